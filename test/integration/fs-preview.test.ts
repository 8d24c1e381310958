// The folder browser's commands (fs.list, fs.places, fs.stat) and queue.preview against real folders:
// what they report, what they refuse and why, that a preview agrees with what the queue then does,
// and that nothing is written by either.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  statfsSync,
  statSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectRemote, type Session } from '../../src/cli/connect'
import { estimateEncoded } from '../../src/main/engine/convert/estimate'
import type { Engine } from '../../src/main/engine/engine'
import type { FerryError } from '../../src/shared/errors'
import { openEngine, run, settle } from '../helpers/engine'
import { FERRY_BIN, tempDir } from '../helpers/ferry'

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal')
    },
    (err: FerryError) => err,
  )

describe('fs.list, fs.places, fs.stat and queue.preview on real folders', () => {
  const dir = tempDir('ferry-fs-preview-')
  const path = (...p: string[]) => join(dir.path, ...p)
  let engine: Engine

  const file = (p: string, content: string | number, mtime?: number) => {
    mkdirSync(join(p, '..'), { recursive: true })
    writeFileSync(p, typeof content === 'number' ? Buffer.alloc(content, 7) : content)
    if (mtime) utimesSync(p, mtime, mtime)
  }

  beforeAll(async () => {
    engine = await openEngine(path('data'))
    // A library: an album (audio, a cover, a booklet), a folder of discs, a link to a folder.
    file(path('lib/Album/01 One.flac'), 3000, 1_600_000_000)
    file(path('lib/Album/02 Two.flac'), 5000, 1_600_000_000)
    file(path('lib/Album/03 Three.mp3'), 700, 1_600_000_000)
    file(path('lib/Album/cover.jpg'), 'SECRET-CONTENT-OF-A-COVER', 1_600_000_000)
    file(path('lib/Album/.ferry-9-abcd.tmp'), 'temporary')
    for (const d of ['Disc 10', 'Disc 2', 'disc 1', '.hidden']) mkdirSync(path('lib/Album', d))
    symlinkSync(path('lib/Other'), path('lib/Album/Link to other'))
    file(path('lib/Other/notes.txt'), 'notes')
    file(path('lib/Deep/Artist/Year/Album/track.opus'), 100)
  })
  afterAll(async () => {
    await engine?.close()
    dir.remove()
  })

  it('fs.list: the subfolders (by name, numbers in order), and files counted and summed, never named or read', async () => {
    const l = await engine.api.invoke('fs.list', { path: path('lib/Album') })
    expect(l.path).toBe(path('lib/Album'))
    expect(l.parent).toBe(path('lib'))
    expect(l.folders.map((f) => f.name)).toEqual(['.hidden', 'disc 1', 'Disc 2', 'Disc 10', 'Link to other'])
    expect(l.folders.every((f) => f.readable && f.path === path('lib/Album', f.name))).toBe(true)
    expect(l).toMatchObject({ files: 4, bytes: 3000 + 5000 + 700 + 25, audioFiles: 3, truncated: false })
    const text = JSON.stringify(l)
    expect(text).not.toContain('SECRET')
    expect(text).not.toContain('cover.jpg')
    expect(text).not.toContain('.ferry-9')
    // The filesystem's root has no parent; a path with .. is resolved.
    expect((await engine.api.invoke('fs.list', { path: '/' })).parent).toBeNull()
    expect((await engine.api.invoke('fs.list', { path: path('lib/Album/disc 1/..') })).path).toBe(
      path('lib/Album'),
    )
  })

  it('fs.list refuses a relative path, a missing folder and a file, each saying which', async () => {
    const rel = await refusal(engine.invoke('fs.list', { path: 'lib/Album' }, 'page'))
    expect(rel.code).toBe('invalid_input')
    expect(rel.message).toContain('absolute')
    const missing = await refusal(engine.api.invoke('fs.list', { path: path('lib/Nope') }))
    expect(missing.message).toBe(`The folder ${path('lib/Nope')} is not there.`)
    const isFile = await refusal(engine.api.invoke('fs.list', { path: path('lib/Album/cover.jpg') }))
    expect(isFile.message).toBe(`${path('lib/Album/cover.jpg')} is a file, not a folder.`)
  })

  it('fs.stat: files, folders with audio at any depth or none, missing paths and special files', async () => {
    execFileSync('mkfifo', [path('lib/pipe')])
    const s = await engine.api.invoke('fs.stat', {
      paths: [
        path('lib/Album/01 One.flac'),
        path('lib/Album/cover.jpg'),
        path('lib/Deep'),
        path('lib/Other'),
        path('lib/Nope'),
        path('lib/pipe'),
      ],
    })
    expect(s.map((x) => [x.kind, x.audio, x.size])).toEqual([
      ['file', true, 3000],
      ['file', false, 25],
      ['folder', true, 0],
      ['folder', false, 0],
      ['missing', false, 0],
      ['special', false, 0],
    ])
    expect(s[4]!.problem).toBe(`${path('lib/Nope')} is not there.`)
    expect(s[5]!.problem).toBe(`${path('lib/pipe')} is a FIFO (named pipe), not a file.`)
    expect(s.slice(0, 4).every((x) => x.problem === undefined)).toBe(true)
  })

  it('queue.preview counts what a copy will copy, skip as identical, and meet as conflicts; the queue then does just that', async () => {
    const card = path('card1')
    // Already on the card: 01 identical (same size and mtime), 02 different, cover identical.
    file(join(card, 'Album/01 One.flac'), 3000, 1_600_000_000)
    file(join(card, 'Album/02 Two.flac'), 4000, 1_500_000_000)
    file(join(card, 'Album/cover.jpg'), 'SECRET-CONTENT-OF-A-COVER', 1_600_000_000)
    const input = { mode: 'copy' as const, sources: [path('lib/Album')], destination: card }
    const p = await engine.api.invoke('queue.preview', input)
    expect(p).toMatchObject({
      destination: card,
      destinationExists: true,
      convert: { files: 0, bytes: 0 },
      copy: { files: 1, bytes: 700 },
      skip: { files: 2, bytes: 3025 },
      conflict: {
        files: 1,
        bytes: 5000,
        policy: 'skip',
        examples: [{ src: path('lib/Album/02 Two.flac'), dst: join(card, 'Album/02 Two.flac') }],
      },
      // A link to a folder is not followed: left out, with why.
      leftOut: {
        files: 1,
        examples: [{ path: path('lib/Album/Link to other'), reason: 'a link to a folder (not followed)' }],
      },
      filtered: 0,
      audioFiles: 3,
      bytesToWrite: 700,
      fits: true,
    })
    const fs = statfsSync(card)
    expect(Math.abs(p.freeBytes! - fs.bavail * fs.bsize)).toBeLessThan(1024 * 1024)
    // The overwrite policy changes what a conflict costs: the difference in place, or all of it.
    const over = await engine.api.invoke('queue.preview', { ...input, overwrite: 'overwrite' })
    expect([over.conflict.policy, over.bytesToWrite]).toEqual(['overwrite', 700 + 1000])
    const both = await engine.api.invoke('queue.preview', { ...input, overwrite: 'keep-both' })
    expect(both.bytesToWrite).toBe(700 + 5000)
    // include/exclude as the enqueue applies them.
    const flacs = await engine.api.invoke('queue.preview', { ...input, include: ['flac'] })
    expect([flacs.filtered, flacs.copy.files, flacs.skip.files, flacs.conflict.files]).toEqual([2, 0, 1, 1])

    // The queue does what the preview said.
    const done = await run(engine, input)
    const by = (s: string) => done.tasks.filter((t) => t.status === s).length
    expect([by('ok'), by('skip'), by('fail')]).toEqual([
      p.copy.files,
      p.skip.files + p.conflict.files + p.leftOut.files,
      0,
    ])
    // Nothing changed for the conflict (skip policy); a second preview finds everything there.
    expect(statSync(join(card, 'Album/02 Two.flac')).size).toBe(4000)
    const again = await engine.api.invoke('queue.preview', input)
    expect([again.copy.files, again.skip.files, again.conflict.files, again.bytesToWrite]).toEqual([
      0, 3, 1, 0,
    ])
  })

  it('queue.preview of a convert: audio encoded (estimated from the preset), lossy audio and covers copied, outputs already there skipped', async () => {
    const card = path('card2')
    file(join(card, 'Album/01 One.mp3'), 10) // an output of an earlier convert
    const input = {
      mode: 'convert' as const,
      sources: [path('lib/Album')],
      destination: card,
      preset: 'mp3-v0',
    }
    const p = await engine.api.invoke('queue.preview', input)
    const preset = await engine.api.invoke('presets.get', { name: 'mp3-v0' })
    expect(p).toMatchObject({
      convert: { files: 1, bytes: 5000 },
      copy: { files: 2, bytes: 700 + 25 },
      skip: { files: 1, bytes: 3000 },
      conflict: { files: 0 },
      audioFiles: 3,
      bytesToWrite: estimateEncoded(5000, preset) + 700 + 25,
    })
    // Overwrite: the output there is replaced (a conflict the policy settles), its encode counted.
    const over = await engine.api.invoke('queue.preview', { ...input, overwrite: 'overwrite' })
    expect([over.convert.files, over.skip.files, over.conflict.files, over.conflict.policy]).toEqual([
      1,
      0,
      1,
      'overwrite',
    ])
  })

  it('queue.preview of a destination still to be made gives the free space of the folder it would be made in, and makes nothing', async () => {
    const p = await engine.api.invoke('queue.preview', {
      mode: 'copy',
      sources: [path('lib/Album/01 One.flac'), path('lib/Other')],
      destination: path('new-card'),
    })
    expect(p).toMatchObject({ destinationExists: false, copy: { files: 2, bytes: 3005 }, fits: true })
    expect(p.freeBytes).toBeGreaterThan(0)
    expect(existsSync(path('new-card'))).toBe(false)
  })

  it('queue.preview says when it does not fit; the enqueue refuses the same and queues nothing', async () => {
    // A sparse file bigger than the disk's free space: its size is what a copy would write.
    const free = statfsSync(dir.path).bavail * statfsSync(dir.path).bsize
    file(path('huge/big.wav'), '')
    truncateSync(path('huge/big.wav'), free + 1024 ** 3)
    const input = { mode: 'copy' as const, sources: [path('huge')], destination: path('card3') }
    const p = await engine.api.invoke('queue.preview', input)
    expect(p.fits).toBe(false)
    expect(p.bytesToWrite).toBe(free + 1024 ** 3)
    const before = (await engine.api.invoke('queue.list', {})).total
    const err = await refusal(engine.api.invoke('queue.enqueue', input))
    expect(err.message).toMatch(/^Not enough space at .*card3: this needs about/)
    expect((await engine.api.invoke('queue.list', {})).total).toBe(before)
    expect(existsSync(path('card3'))).toBe(false)
  })

  it('preview and enqueue refuse a missing source, a destination that cannot be made and one that is a file, in the same words', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { sources: [path('lib/Album'), path('lib/Gone')], destination: path('card4') },
        `The source does not exist: ${path('lib/Gone')}`,
      ],
      [
        { sources: [path('lib/Album')], destination: path('unplugged/card') },
        `The destination ${path('unplugged/card')} is not there, nor is the folder ${path('unplugged')} it would be made in`,
      ],
      [
        { sources: [path('lib/Album')], destination: path('lib/Album/cover.jpg') },
        `The destination is a file, not a folder: ${path('lib/Album/cover.jpg')}`,
      ],
      [
        { sources: [path('lib/Album')], destination: path('lib/Album/Disc 2') },
        `The destination ${path('lib/Album/Disc 2')} is inside the source ${path('lib/Album')}.`,
      ],
    ]
    const before = (await engine.api.invoke('queue.list', {})).total
    for (const [input, message] of cases) {
      for (const command of ['queue.preview', 'queue.enqueue'] as const) {
        const err = await refusal(engine.invoke(command, { mode: 'copy', ...input }, 'page'))
        expect(err.code, `${command} ${message}`).toBe('invalid_input')
        expect(err.message).toContain(message)
      }
    }
    expect((await engine.api.invoke('queue.list', {})).total).toBe(before)
    expect(existsSync(path('card4'))).toBe(false)
  })

  it('fs.places: home, existing mount roots, recent destinations and sources (from enqueues), profiles; names found where they most likely are', async () => {
    mkdirSync(path('music/Artist/Album A'), { recursive: true })
    mkdirSync(path('music/Artist/Album B'), { recursive: true })
    file(path('music/Artist/Album A/01.flac'), 10)
    file(path('profile-lib/Loose Song.flac'), 10)
    await engine.api.invoke('profiles.create', {
      name: 'player',
      sources: [path('profile-lib')],
      destination: path('player'),
    })
    const r = await engine.api.invoke('queue.enqueue', {
      mode: 'copy',
      sources: [path('music/Artist/Album A')],
      destination: path('card5'),
    })
    await settle(engine, r.batchId)
    const p = await engine.api.invoke('fs.places', {
      near: ['Album B', 'Loose Song.flac', 'Nowhere at all'],
    })
    expect(p.home).toBe(homedir())
    for (const m of p.mounts) expect(statSync(m).isDirectory()).toBe(true)
    for (const root of ['/mnt', '/media', '/Volumes'])
      expect(p.mounts.includes(root)).toBe(existsSync(root) && statSync(root).isDirectory())
    expect(p.recentDestinations[0]).toBe(path('card5'))
    expect(p.recentDestinations).toContain(path('card1')) // from the batches table
    expect(p.recentSources[0]).toBe(path('music/Artist/Album A'))
    expect(p.recentSources).toContain(path('lib/Album'))
    expect(p.profiles).toEqual([
      { name: 'player', sources: [path('profile-lib')], destination: path('player') },
    ])
    expect(p.found).toEqual([
      { name: 'Album B', path: path('music/Artist/Album B'), kind: 'folder' },
      { name: 'Loose Song.flac', path: path('profile-lib/Loose Song.flac'), kind: 'file' },
    ])
  })
})

describe('as a user who may not read or write everywhere (ferry serve run as nobody)', () => {
  const dir = tempDir('ferry-fs-nobody-')
  const path = (...p: string[]) => join(dir.path, ...p)
  let session: Session
  let child: ReturnType<typeof spawn>

  beforeAll(async () => {
    chmodSync(dir.path, 0o755)
    mkdirSync(path('home/lib/Album'), { recursive: true })
    writeFileSync(path('home/lib/Album/01.flac'), 'x')
    mkdirSync(path('home/lib/Locked'))
    spawnSync('chown', ['-R', '65534:65534', path('home')])
    chownSync(path('home/lib/Locked'), 0, 0)
    chmodSync(path('home/lib/Locked'), 0o700)
    mkdirSync(path('rootonly/card'), { recursive: true }) // root's, readable, not writable by nobody
    const asRoot = process.getuid?.() === 0
    child = spawn(
      process.execPath,
      [FERRY_BIN, '--data-dir', path('home/data'), 'serve', '--port', '0', '--stop-with-stdin'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, HOME: path('home') },
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      },
    )
    const url = await new Promise<RegExpExecArray>((resolve, reject) => {
      let out = ''
      child.stdout!.on('data', (d) => {
        out += d
        const m = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+)/.exec(out)
        if (m) resolve(m)
      })
      child.stderr!.on('data', (d) => (out += d))
      child.once('exit', (code) => reject(new Error(`ferry serve exited (${code}):\n${out}`)))
    })
    session = await connectRemote({
      pid: child.pid!,
      kind: 'serve',
      startedAt: Date.now(),
      dataDir: path('home/data'),
      port: Number(url[1]),
      token: url[2]!,
    })
  })
  afterAll(async () => {
    await session?.close()
    if (child && child.exitCode === null) {
      const gone = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await gone
    }
    dir.remove()
  })

  it('an unreadable folder says so, and shows as unreadable in its parent', async () => {
    const api = session.api
    const err = await refusal(api.invoke('fs.list', { path: path('home/lib/Locked') }))
    expect(err.message).toBe(`The folder ${path('home/lib/Locked')} cannot be read (permission denied).`)
    const parent = await api.invoke('fs.list', { path: path('home/lib') })
    expect(parent.folders.map((f) => [f.name, f.readable])).toEqual([
      ['Album', true],
      ['Locked', false],
    ])
    const [s] = await api.invoke('fs.stat', { paths: [path('home/lib/Locked')] })
    expect(s).toMatchObject({
      kind: 'unreadable',
      problem: `${path('home/lib/Locked')} cannot be read (permission denied).`,
    })
  })

  it('a destination that cannot be written, or made, is refused by preview and enqueue before any walk; nothing is queued', async () => {
    const api = session.api
    const cases: [string, string][] = [
      [
        path('rootonly/card'),
        `The destination ${path('rootonly/card')} cannot be written (permission denied). Nothing was queued.`,
      ],
      [
        path('rootonly/new'),
        `The destination ${path('rootonly/new')} cannot be made: the folder ${path('rootonly')} cannot be written (permission denied). Nothing was queued.`,
      ],
    ]
    for (const [destination, message] of cases)
      for (const command of ['queue.preview', 'queue.enqueue'] as const) {
        const input = { mode: 'copy' as const, sources: [path('home/lib/Album')], destination }
        const err = await refusal(api.invoke(command, input))
        expect(err.message, command).toBe(message)
      }
    expect((await api.invoke('queue.list', {})).total).toBe(0)
    expect(readdirSync(path('rootonly'))).toEqual(['card'])
  })
})
