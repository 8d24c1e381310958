// Sources that change while Ferry copies or encodes them: every destination file must be one complete
// version of its source, with that version's mtime, or its task must fail saying the source kept
// changing — never "ok" and wrong.
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import { FFMPEG, makeLongFlac, readAudio } from '../helpers/audio'
import { openEngine, settle, waitFor } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'

const MiB = 1024 * 1024
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

interface Version {
  sha256: string
  size: number
  mtimeMs: number
}

function runMutator(config: object, file: string): Promise<Record<string, Version[]>> {
  return new Promise((resolve, reject) => {
    void writeFile(file, JSON.stringify(config)).then(() => {
      const child = spawn(process.execPath, [join(__dirname, '../helpers/mutator.mjs'), file], {
        stdio: ['ignore', 'inherit', 'inherit'],
      })
      child.on('error', reject)
      child.on('exit', (code) => {
        if (code !== 0) return reject(new Error(`mutator exited ${code}`))
        readFile((config as { log: string }).log, 'utf8').then((t) => resolve(JSON.parse(t)), reject)
      })
    })
  })
}

describe('sources that change while they are copied', () => {
  const tmp = tempDir('ferry-changes-')
  const root = tmp.path
  let engine: Engine
  beforeAll(async () => {
    engine = await openEngine(join(root, 'data'))
  })
  afterAll(async () => {
    await engine?.close()
    tmp.remove()
  })

  it('every copy is one complete version with its mtime, or fails saying the source kept changing', async () => {
    const src = join(root, 'src')
    await mkdir(src, { recursive: true })
    // Above 16 MiB the copy is a read/write loop; below, the kernel's copy: both are exercised.
    const files: { name: string; size: number; mode?: string; untilMs?: number; pauseMs?: number }[] = [
      { name: 'big-rewrite.flac', size: 40 * MiB, mode: 'rewrite', untilMs: 2500 },
      { name: 'big-truncate.flac', size: 40 * MiB, mode: 'truncate', untilMs: 2500 },
      { name: 'big-replace.flac', size: 40 * MiB, mode: 'replace', untilMs: 2500 },
      { name: 'small-rewrite.flac', size: 8 * MiB, mode: 'rewrite', untilMs: 2500, pauseMs: 50 },
      { name: 'small-append.flac', size: 8 * MiB, mode: 'append', untilMs: 2500 },
      { name: 'steady.flac', size: 40 * MiB },
      // Never still for long enough to copy: must fail, not be copied half-way.
      { name: 'churn.flac', size: 48 * MiB, mode: 'churn', untilMs: 12_000, pauseMs: 0 },
    ]
    for (const f of files) await writeFile(join(src, f.name), randomBytes(f.size))
    const mutating = runMutator(
      {
        files: files
          .filter((f) => f.mode)
          .map((f) => ({ path: join(src, f.name), mode: f.mode, untilMs: f.untilMs, pauseMs: f.pauseMs })),
        log: join(root, 'versions.json'),
      },
      join(root, 'mutator.json'),
    )
    // The mutator records each file's first version before it changes anything.
    await new Promise((r) => setTimeout(r, 200))
    const steady = sha(await readFile(join(src, 'steady.flac')))
    const steadyMtime = (await stat(join(src, 'steady.flac'))).mtimeMs
    const dst = join(root, 'dst')
    const { batchId } = await engine.api.invoke('queue.enqueue', {
      mode: 'copy',
      sources: [src],
      destination: dst,
    })
    await settle(engine, batchId, 90_000)
    const versions = await mutating
    const { tasks } = await engine.api.invoke('queue.list', { batchId, limit: 100, sort: 'oldest' })

    for (const f of files) {
      const task = tasks.find((t) => t.src === join(src, f.name))!
      const out = join(dst, 'src', f.name)
      if (f.name === 'churn.flac') {
        // Never still for long enough: it fails saying so. (On a starved machine the appender may
        // pause long enough for one clean copy: then the copy is a whole earlier version — a prefix.)
        if (task.status === 'fail') {
          expect(task.error).toMatch(/source kept changing while it was copied/)
          await expect(stat(out)).rejects.toThrow() // nothing half-copied left under its name
        } else {
          const copy = await readFile(out)
          const final = await readFile(join(src, f.name))
          expect(
            copy.equals(final.subarray(0, copy.length)),
            'churn.flac copy is a whole earlier version',
          ).toBe(true)
        }
        continue
      }
      expect(task.status, `${f.name}: ${task.error ?? ''}`).toBe('ok')
      const copy = await readFile(out)
      const mtime = (await stat(out)).mtimeMs
      const known = f.mode
        ? versions[join(src, f.name)]!
        : [{ sha256: steady, size: f.size, mtimeMs: steadyMtime }]
      // (Versions may share content — every truncation leaves the same first MiB — so match both.)
      const same = known.filter((v) => v.sha256 === sha(copy))
      expect(
        same.length,
        `${f.name} (${copy.length} bytes) is no complete version of its source`,
      ).toBeGreaterThan(0)
      const closest = Math.min(...same.map((v) => Math.abs(mtime - v.mtimeMs)))
      expect(closest, `${f.name} carries the mtime of the version copied`).toBeLessThan(1)
    }
    // No temporary file anywhere at the destination.
    const left = readdirSync(join(dst, 'src')).filter((n) => n.startsWith('.ferry-'))
    expect(left).toEqual([])
  }, 120_000)

  it('an encode is of one version: a source replaced while ffmpeg reads it is encoded again', async () => {
    const src = join(root, 'album', 'Track.flac')
    await makeLongFlac(src, 30)
    const next = join(root, 'next.flac')
    await makeLongFlac(next, 12)
    // An ffmpeg that pauses a second before its first encode, so the replacement surely lands in it;
    // every encode it starts is logged.
    const bin = join(root, 'slow-ffmpeg')
    const log = join(root, 'encodes.log')
    await writeFile(
      bin,
      [
        '#!/bin/sh',
        'for a in "$@"; do if [ "$a" = "-i" ]; then',
        `  echo run >> '${log}'`,
        `  if [ ! -e '${log}.slept' ]; then touch '${log}.slept'; sleep 1; fi`,
        '  break',
        'fi; done',
        `exec '${FFMPEG}' "$@"`,
        '',
      ].join('\n'),
    )
    await chmod(bin, 0o755)
    await writeFile(log, '')
    await engine.api.invoke('settings.set', { ffmpegPath: bin })
    const dst = join(root, 'converted')
    const { batchId } = await engine.api.invoke('queue.enqueue', {
      mode: 'convert',
      sources: [join(root, 'album')],
      destination: dst,
      preset: 'mp3-v0',
    })
    await waitFor('the first encode to start', async () => (await readFile(log, 'utf8')).includes('run'))
    await rename(next, src) // replaced mid-encode (a tagger saving the file)
    const done = await settle(engine, batchId, 60_000)
    await engine.api.invoke('settings.set', { ffmpegPath: null })
    expect(done.counts.fail).toBe(0)
    // The first encode saw the source change under it and was thrown away; the second is of the new version.
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual(['run', 'run'])
    const out = await readAudio(join(dst, 'album', 'Track.mp3'))
    expect(Math.abs(out.duration - 12), `output lasts ${out.duration} s`).toBeLessThan(0.5)
  }, 90_000)
})
