import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runFerry, startServe, tempDir } from '../helpers/ferry'

describe('ferry cp / mv / queue', () => {
  const dir = tempDir()
  const path = (...p: string[]) => join(dir.path, ...p)
  const data = path('data')
  const ferry = (...args: string[]) => runFerry(['--data-dir', data, ...args])
  afterAll(() => dir.remove())

  mkdirSync(path('lib/Album'), { recursive: true })
  writeFileSync(path('lib/Album/01.flac'), 'one')
  writeFileSync(path('lib/Album/02.flac'), 'two')
  writeFileSync(path('lib/Album/cover.jpg'), 'jpg')

  it('cp copies with a summary and exits 0; relative paths are taken from the current folder', async () => {
    const r = await runFerry(
      ['--data-dir', data, 'cp', 'lib/Album', 'card', '-I', 'jpg'],
      {},
      30_000,
      dir.path,
    )
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('2 files, 6 B, 1 left out by filters')
    expect(r.stderr).toMatch(/2\/2 tasks/)
    expect(readFileSync(path('card/Album/02.flac'), 'utf8')).toBe('two')
    expect(existsSync(path('card/Album/cover.jpg'))).toBe(false)
  })

  it('a folder where a file would go is a skip with the reason, and exits 0', async () => {
    mkdirSync(path('card2/Album/01.flac'), { recursive: true })
    const r = await ferry('cp', path('lib/Album'), path('card2'), '-i', 'flac')
    expect(r.code).toBe(0)
    const ls = await ferry('queue', 'ls', '--status', 'skip')
    expect(ls.stdout).toContain('A folder stands where the file would go')
  })

  it('exits 1 when a task failed, naming the file and the reason', async () => {
    mkdirSync(path('card5'), { recursive: true })
    writeFileSync(path('card5/Album'), 'a file where the Album folder would go')
    const r = await ferry('cp', path('lib/Album'), path('card5'), '-i', 'flac')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`fail: ${path('lib/Album/01.flac')}: A file stands where a folder is expected`)
    expect(readFileSync(path('card5/Album'), 'utf8')).toBe('a file where the Album folder would go')
  })

  it('usage errors exit 2: a bad policy, a single path, an unknown status, a path that is not there', async () => {
    expect((await ferry('cp', path('lib'), path('x'), '--overwrite', 'maybe')).code).toBe(2)
    const one = await ferry('cp', path('lib'))
    expect(one.code).toBe(2)
    expect(one.stderr).toContain('needs at least one SRC and a DST')
    expect((await ferry('queue', 'ls', '--status', 'done')).code).toBe(2)
    const odd = await ferry('cp', `${path('lib')}\u0001`, path('x'))
    expect(odd.code).toBe(2)
    expect(odd.stderr).toContain('does not exist')
    expect(existsSync(path('x'))).toBe(false)
  })

  it('a missing source is refused before anything is copied', async () => {
    const r = await ferry('cp', path('lib/Album'), path('nope'), path('card3'))
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`The source does not exist: ${path('nope')}`)
    expect(existsSync(path('card3'))).toBe(false)
  })

  it('an unreadable source is refused with the reason (as an unprivileged user)', async () => {
    if (process.getuid?.() !== 0) {
      chmodSync(path('lib/Album/01.flac'), 0o000)
      const r = await ferry('cp', path('lib/Album/01.flac'), path('card4'))
      chmodSync(path('lib/Album/01.flac'), 0o644)
      expect(r.stderr).toContain('permission denied')
      return
    }
    // Root reads everything: run ferry as "nobody" against its own data folder.
    const home = path('nobody')
    mkdirSync(home, { recursive: true })
    chownSync(home, 65534, 65534)
    chmodSync(dir.path, 0o755)
    writeFileSync(path('secret.flac'), 'x')
    chmodSync(path('secret.flac'), 0o600)
    const { spawnSync } = await import('node:child_process')
    const r = spawnSync(
      process.execPath,
      [
        join(__dirname, '../../bin/ferry.cjs'),
        '--data-dir',
        join(home, 'data'),
        'cp',
        path('secret.flac'),
        join(home, 'out'),
      ],
      { uid: 65534, gid: 65534, encoding: 'utf8', env: { ...process.env, HOME: home } },
    )
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`The source cannot be read (permission denied): ${path('secret.flac')}`)
    expect(existsSync(join(home, 'out'))).toBe(false)
  })

  it('mv moves and the source is gone', async () => {
    mkdirSync(path('tomove'), { recursive: true })
    writeFileSync(path('tomove/a.flac'), 'a')
    const r = await ferry('mv', path('tomove/a.flac'), path('moved'))
    expect(r.code).toBe(0)
    expect(readFileSync(path('moved/a.flac'), 'utf8')).toBe('a')
    expect(existsSync(path('tomove/a.flac'))).toBe(false)
  })

  it('--enqueue-only leaves the work for `ferry queue wait`; retry, flush and progress work', async () => {
    const q = await ferry('cp', path('lib/Album'), path('later'), '--enqueue-only')
    expect(q.code).toBe(0)
    expect(existsSync(path('later'))).toBe(true) // the destination folder exists, empty
    expect((await ferry('queue', 'ls', '--status', 'pending')).stdout).toContain('(1–3 of 3)')
    const batch = /batch (\d+):/.exec(q.stderr)![1]!
    const w = await ferry('queue', 'wait', '-q', '--batch', batch)
    expect(w.code).toBe(0)
    // The whole queue still holds the failed task of an earlier test: waiting on all of it says so.
    expect((await ferry('queue', 'wait', '-q')).code).toBe(1)
    expect(readFileSync(path('later/Album/01.flac'), 'utf8')).toBe('one')
    const p = JSON.parse((await ferry('queue', 'progress', '--json')).stdout)
    expect(p.counts.pending + p.counts.active).toBe(0)
    expect((await ferry('queue', 'retry')).code).toBe(2) // which one?
    expect((await ferry('queue', 'retry', '--all')).stdout).toContain('tasks back in the queue')
    expect((await ferry('queue', 'flush')).stdout).toMatch(/\d+ finished tasks removed/)
  })

  it('works against a running engine (ferry serve) the same way', async () => {
    const served = await startServe(data)
    try {
      const r = await ferry('cp', path('lib/Album'), path('viaserve'))
      expect(r.code).toBe(0)
      expect(readFileSync(path('viaserve/Album/01.flac'), 'utf8')).toBe('one')
      const ls = await ferry('queue', 'ls', '-n', '1')
      expect(ls.code).toBe(0)
    } finally {
      await served.stop()
    }
  })
})
