// Refusals change nothing and say what to do: exit code 2, one plain sentence, no raw error code,
// no profile saved, nothing queued. A finished copy says what it skipped and why.
import { existsSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runFerry, tempDir } from '../helpers/ferry'

describe('refusals and summaries', () => {
  const dir = tempDir('ferry-refusals-')
  const path = (...p: string[]) => join(dir.path, ...p)
  const ferry = (...args: string[]) => runFerry(['--data-dir', path('data'), ...args])
  afterAll(() => dir.remove())
  mkdirSync(path('lib/Album'), { recursive: true })
  writeFileSync(path('lib/Album/01.mp3'), 'one')
  writeFileSync(path('lib/Album/02.mp3'), 'two')
  writeFileSync(path('a-file'), 'x')

  const refused = (r: { code: number | null; stderr: string }, text: RegExp) => {
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(text)
    expect(r.stderr).not.toMatch(/\bE[A-Z]{3,}\b|Too big|expected (string|number)|at .*\.js:\d+/)
  }

  it('names what is wrong on the command line, with exit 2', async () => {
    refused(await ferry('scan', path('nowhere')), /nowhere is not there: name a folder to scan/)
    refused(await ferry('scan', path('a-file')), /is a file, not a folder/)
    refused(
      await runFerry(['--data-dir', path('a-file'), 'info']),
      /The data folder .*a-file is a file, not a folder/,
    )
    refused(await ferry('queue', 'cancel', 'abc'), /A task id is a whole number.*"abc"/)
    refused(await ferry('presets', 'show', 'nope'), /No preset named "nope"/)
    refused(await ferry('profile', 'sync', 'nope'), /No profile named "nope"/)
  })

  it('profile add refuses a missing source, an overlap and a destination that is a file, saving nothing', async () => {
    refused(
      await ferry('profile', 'add', 'p1', '-s', path('gone'), '-d', path('card')),
      /source folder .*gone is not there/,
    )
    refused(await ferry('profile', 'add', 'p2', '-s', path('lib'), '-d', path('lib/card')), /overlap/)
    refused(
      await ferry('profile', 'add', 'p3', '-s', path('lib'), '-d', path('a-file')),
      /is a file, not a folder/,
    )
    const ls = await ferry('profile', 'ls')
    expect(ls.stdout).not.toMatch(/p1|p2|p3/)
  })

  it('a refused sync saves no profile: destination a file, overlap, no room', async () => {
    refused(await ferry('sync', path('lib'), path('a-file')), /is a file, not a folder/)
    refused(await ferry('sync', path('lib'), path('lib/Album/out')), /overlap/)
    // A sparse "cover" far larger than the disk: the plan does not fit.
    mkdirSync(path('big'), { recursive: true })
    writeFileSync(path('big/cover.jpg'), '')
    truncateSync(path('big/cover.jpg'), 2 ** 40)
    refused(await ferry('sync', path('big'), path('card')), /Not enough space/)
    expect((await ferry('profile', 'ls')).stdout).not.toMatch(/sync /)
    expect(existsSync(path('card'))).toBe(false)
  })

  it('cp checks the free space first and queues nothing that cannot fit', async () => {
    refused(
      await ferry('cp', path('big'), path('card2')),
      /Not enough space at .*card2: this needs about 1024\.0 GiB/,
    )
    expect(existsSync(path('card2'))).toBe(false)
    expect((await ferry('queue', 'ls')).stdout).toContain('(none of 0)')
  })

  it('cp ends with what it did and what it skipped, exit 0; -v lists the skipped files', async () => {
    mkdirSync(path('dev/Album'), { recursive: true })
    writeFileSync(path('dev/Album/02.mp3'), 'another two')
    const r = await ferry('cp', '-q', path('lib/Album'), path('dev'))
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(
      '1 copied, 1 skipped — 1 a different file is already there; --overwrite or --keep-both to change that',
    )
    const again = await ferry('cp', '-q', '-v', path('lib/Album'), path('dev'))
    expect(again.code).toBe(0)
    expect(again.stderr).toContain('0 copied, 2 skipped — 1 already there, identical; 1 a different file')
    expect(again.stderr).toContain(
      `skipped: ${path('lib/Album/02.mp3')}: A different file is already at the destination`,
    )
  })
})
