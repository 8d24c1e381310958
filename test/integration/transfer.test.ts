import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import { openEngine, run } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'

let dir: ReturnType<typeof tempDir>
let engine: Engine
const path = (...p: string[]) => join(dir.path, ...p)
const write = (p: string, content: string | Buffer) => {
  mkdirSync(join(p, '..'), { recursive: true })
  writeFileSync(p, content)
}
/** Every file below a folder, relative, including hidden ones. */
const tree = (root: string): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort()

beforeAll(async () => {
  dir = tempDir()
  engine = await openEngine(path('data'))
})
afterAll(async () => {
  await engine.close()
  dir.remove()
})

describe('copy', () => {
  it('copies a folder into the destination, keeping its name, structure and mtimes', async () => {
    write(path('lib/Album/01 One.flac'), 'one')
    write(path('lib/Album/CD2/01 Two.flac'), Buffer.alloc(17 * 1024 * 1024, 7)) // past the fast-copy size: the chunked path
    write(path('lib/Album/cover.jpg'), 'jpg')
    utimesSync(path('lib/Album/01 One.flac'), new Date('2020-01-02'), new Date('2020-01-02'))
    const r = await run(engine, { mode: 'copy', sources: [path('lib/Album')], destination: path('card') })
    expect(r.tasks.map((t) => t.status)).toEqual(['ok', 'ok', 'ok'])
    expect(tree(path('card'))).toEqual(['Album/01 One.flac', 'Album/CD2/01 Two.flac', 'Album/cover.jpg'])
    expect(readFileSync(path('card/Album/CD2/01 Two.flac')).equals(Buffer.alloc(17 * 1024 * 1024, 7))).toBe(
      true,
    )
    expect(statSync(path('card/Album/01 One.flac')).mtime.toISOString()).toBe('2020-01-02T00:00:00.000Z')
    expect(r.progress.bytesDone).toBe(r.progress.bytesTotal)
  })

  it('skips identical files on a second run, with the reason', async () => {
    const r = await run(engine, { mode: 'copy', sources: [path('lib/Album')], destination: path('card') })
    expect(r.tasks.map((t) => [t.status, t.result])).toEqual(
      Array(3).fill(['skip', 'An identical file is already at the destination.']),
    )
  })

  it('applies the overwrite policy to a different file: skip, overwrite, keep-both', async () => {
    write(path('one/a.flac'), 'new content')
    write(path('out/a.flac'), 'old')
    const skip = await run(engine, { mode: 'copy', sources: [path('one/a.flac')], destination: path('out') })
    expect(skip.tasks[0]).toMatchObject({ status: 'skip' })
    expect(skip.tasks[0]!.result).toMatch(/different file/)
    expect(readFileSync(path('out/a.flac'), 'utf8')).toBe('old')

    const both = await run(engine, {
      mode: 'copy',
      sources: [path('one/a.flac')],
      destination: path('out'),
      overwrite: 'keep-both',
    })
    expect(both.tasks[0]!.status).toBe('ok')
    expect(readFileSync(path('out/a (1).flac'), 'utf8')).toBe('new content')
    expect(readFileSync(path('out/a.flac'), 'utf8')).toBe('old')

    await run(engine, {
      mode: 'copy',
      sources: [path('one/a.flac')],
      destination: path('out'),
      overwrite: 'overwrite',
    })
    expect(readFileSync(path('out/a.flac'), 'utf8')).toBe('new content')
  })

  it('filters by extension like qop -i / -I', async () => {
    write(path('mix/a.flac'), 'a')
    write(path('mix/b.mp3'), 'b')
    write(path('mix/c.JPG'), 'c')
    const only = await run(engine, {
      mode: 'copy',
      sources: [path('mix')],
      destination: path('f1'),
      include: ['flac'],
    })
    expect([only.tasks.length, only.filtered]).toEqual([1, 2])
    const not = await run(engine, {
      mode: 'copy',
      sources: [path('mix')],
      destination: path('f2'),
      exclude: ['.jpg'],
    })
    expect(not.filtered).toBe(1) // .JPG matched case-insensitively
    expect(tree(path('f2'))).toEqual(['mix/a.flac', 'mix/b.mp3'])
  })

  it('leaves no temporary file behind', () => {
    expect(tree(dir.path).filter((f) => f.includes('.ferry-'))).toEqual([])
  })
})

describe('move', () => {
  it('renames on the same filesystem and the source is gone', async () => {
    write(path('mv/src/Song.flac'), 'song')
    const r = await run(engine, { mode: 'move', sources: [path('mv/src')], destination: path('mv/dst') })
    expect(r.tasks[0]!.status).toBe('ok')
    expect(readFileSync(path('mv/dst/src/Song.flac'), 'utf8')).toBe('song')
    expect(existsSync(path('mv/src/Song.flac'))).toBe(false)
  })

  it('keeps the source when a different file is in the way (skip policy)', async () => {
    write(path('mv2/x.flac'), 'mine')
    write(path('mv2out/x.flac'), 'theirs')
    const r = await run(engine, { mode: 'move', sources: [path('mv2/x.flac')], destination: path('mv2out') })
    expect(r.tasks[0]!.status).toBe('skip')
    expect(readFileSync(path('mv2/x.flac'), 'utf8')).toBe('mine')
    expect(readFileSync(path('mv2out/x.flac'), 'utf8')).toBe('theirs')
  })
})

describe('delete', () => {
  it('deletes inside the root and refuses anything outside it, symlink escapes included', async () => {
    write(path('precious/keep.flac'), 'keep')
    // Only a destination Ferry was given is a root anything may be deleted in, whoever asks.
    await expect(
      engine.api.invoke('queue.enqueue', {
        mode: 'delete',
        paths: [path('precious/keep.flac')],
        root: path('precious'),
      }),
    ).rejects.toThrow(/is not a destination Ferry was given/)
    await expect(
      engine.api.invoke('queue.enqueue', { mode: 'delete', paths: [path('precious/keep.flac')], root: '/' }),
    ).rejects.toThrow(/is not a destination Ferry was given/)
    write(path('music/Music/old.mp3'), 'x')
    mkdirSync(path('dev'))
    await run(engine, { mode: 'copy', sources: [path('music/Music')], destination: path('dev') }) // dev is given
    symlinkSync(path('precious'), path('dev/Music/link'))
    const ok = await run(engine, { mode: 'delete', paths: [path('dev/Music/old.mp3')], root: path('dev') })
    expect(ok.tasks[0]!.status).toBe('ok')
    expect(existsSync(path('dev/Music/old.mp3'))).toBe(false)

    await expect(
      engine.api.invoke('queue.enqueue', {
        mode: 'delete',
        paths: [path('precious/keep.flac')],
        root: path('dev'),
      }),
    ).rejects.toThrow(/is not inside/)
    await expect(
      engine.api.invoke('queue.enqueue', {
        mode: 'delete',
        paths: [path('dev/../precious/keep.flac')],
        root: path('dev'),
      }),
    ).rejects.toThrow(/is not inside/)
    await expect(
      engine.api.invoke('queue.enqueue', {
        mode: 'delete',
        paths: [path('dev/Music/link/keep.flac')],
        root: path('dev'),
      }),
    ).rejects.toThrow(/is not inside/)
    await expect(
      engine.api.invoke('queue.enqueue', { mode: 'delete', paths: [path('dev')], root: path('dev') }),
    ).rejects.toThrow(/is not inside/)
    expect(readFileSync(path('precious/keep.flac'), 'utf8')).toBe('keep')
  })
})
