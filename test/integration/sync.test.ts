import { spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import { FerryError } from '../../src/shared/errors'
import { countingFfmpeg, ffmpeg, makeToneFlac } from '../helpers/audio'
import { openEngine, settle, waitFor } from '../helpers/engine'
import { FERRY_BIN, runFerry, tempDir } from '../helpers/ferry'

/** Every file below a folder, relative, sorted (our marker left out; temporary files kept, to be caught). */
const tree = (root: string) =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== '.ferry-profile.json')
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort()

const EXPECTED = [
  'Artist A/Album 1/01 Intro_ What_.mp3',
  'Artist A/Album 1/02 ALAC.mp3',
  'Artist A/Album 1/03 Lossy.mp3',
  'Artist A/Album 1/04 Opus.opus',
  'Artist A/Album 1/cover.jpg',
  'Café/Vol. 2/Track.mp3',
  'Café/Vol. 2/track (2).mp3',
  'Mix.m3u8',
  'aux_/CON_.mp3',
]

async function makeLibrary(lib: string): Promise<void> {
  const album = join(lib, 'Artist A', 'Album 1')
  const cafe = join(lib, 'Cafe\u0301', 'Vol. 2..') // NFD accent, trailing dots
  for (const d of [album, cafe, join(lib, 'aux')]) mkdirSync(d, { recursive: true })
  const tone = (f: number) => ['-f', 'lavfi', '-i', `sine=frequency=${f}:duration=1`, '-ac', '2']
  const tags = (title: string) => ['-metadata', `title=${title}`, '-metadata', 'artist=Artist A']
  await ffmpeg([...tone(440), ...tags('Intro'), '-c:a', 'flac', join(album, '01 Intro: What?.flac')])
  await ffmpeg([...tone(450), ...tags('Alac'), '-c:a', 'alac', join(album, '02 ALAC.m4a')])
  await ffmpeg([
    ...tone(460),
    ...tags('Lossy'),
    '-c:a',
    'libmp3lame',
    '-q:a',
    '5',
    join(album, '03 Lossy.mp3'),
  ])
  await ffmpeg([...tone(470), ...tags('Opus'), '-c:a', 'libopus', '-b:a', '64k', join(album, '04 Opus.opus')])
  await ffmpeg([...tone(480), ...tags('Upper'), '-c:a', 'flac', join(cafe, 'Track.flac')])
  await ffmpeg([...tone(490), ...tags('lower'), '-c:a', 'flac', join(cafe, 'track.flac')])
  await ffmpeg([...tone(500), ...tags('Con'), '-c:a', 'flac', join(lib, 'aux', 'CON.flac')])
  await ffmpeg([...tone(510), '-c:a', 'flac', join(album, '.hidden.flac')])
  writeFileSync(join(album, 'cover.jpg'), 'a cover')
  writeFileSync(join(album, 'notes.txt'), 'not a cover: not copied')
  symlinkSync(join(lib, 'Artist A'), join(lib, 'Artist A', 'loop'))
  writeFileSync(
    join(lib, 'Mix.m3u8'),
    [
      '#EXTM3U',
      '#EXTINF:1,Intro',
      'Artist A/Album 1/01 Intro: What?.flac',
      'Artist A/Album 1/notes.txt',
      'Artist A\\Album 1\\03 Lossy.mp3',
      'missing.flac',
      '',
    ].join('\n'),
  )
  // Whole-second mtimes, so that a later change of atime alone can keep them exactly.
  const now = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000)
  for (const e of readdirSync(lib, { recursive: true, withFileTypes: true }))
    if (e.isFile()) utimesSync(join(e.parentPath, e.name), now, now)
}

const refused = async (p: Promise<unknown>): Promise<FerryError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(FerryError)
  return err as FerryError
}

describe('sync profiles', () => {
  const dir = tempDir('ferry-sync-')
  const lib = join(dir.path, 'lib')
  const card = join(dir.path, 'CARD', 'Music')
  let engine: Engine
  const api = () => engine.api
  const sync = async (profile = 'card', extra: { force?: boolean } = {}) => {
    const r = await api().invoke('sync.run', { profile, ...extra })
    if (r.batchId !== null) await settle(engine, r.batchId, 60_000)
    return r
  }

  beforeAll(async () => {
    await makeLibrary(lib)
    mkdirSync(join(dir.path, 'CARD'))
    engine = await openEngine(join(dir.path, 'data'), { workers: { transfer: 1, convert: 2 } })
    await api().invoke('profiles.create', {
      name: 'card',
      sources: [lib],
      destination: card,
      delete: 'mirror',
    })
  }, 60_000)
  afterAll(async () => {
    await engine?.close()
    dir.remove()
  })

  it('first sync writes exactly the expected tree: converted, sanitised, playlist rewritten', async () => {
    const plan = await api().invoke('sync.plan', { profile: 'card' })
    expect(plan.totals.counts).toMatchObject({ convert: 5, copy: 4, delete: 0, conflict: 0 })
    expect(plan.totals.problems.join('\n')).toMatch(/Symlink loop skipped: .*loop/)
    const r = await sync()
    expect(r.tasks).toBe(9)
    const p = await engine.api.invoke('queue.progress', { batchId: r.batchId! })
    expect(p.counts.fail).toBe(0)
    expect(tree(card)).toEqual(EXPECTED)
    expect(readFileSync(join(card, 'Mix.m3u8'), 'utf8')).toBe(
      '#EXTM3U\n#EXTINF:1,Intro\nArtist A/Album 1/01 Intro_ What_.mp3\nArtist A/Album 1/03 Lossy.mp3\n',
    )
    expect(readFileSync(join(card, 'Artist A/Album 1/03 Lossy.mp3'))).toEqual(
      readFileSync(join(lib, 'Artist A/Album 1/03 Lossy.mp3')),
    )
    expect(JSON.parse(readFileSync(join(card, '.ferry-profile.json'), 'utf8'))).toMatchObject({
      profile: 'card',
    })
  }, 60_000)

  it('an immediate second run plans nothing, enqueues nothing and reads no file content', async () => {
    // atime moves when a file's content is read: set every source's atime far back, then look again.
    const old = new Date('2020-01-01T00:00:00Z')
    const sources = readdirSync(lib, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
    for (const f of sources) utimesSync(f, old, statSync(f).mtime)
    // The probe itself: on this filesystem a read does move atime (else this test could not fail).
    const control = join(dir.path, 'control')
    writeFileSync(control, 'x')
    utimesSync(control, old, statSync(control).mtime)
    readFileSync(control)
    expect(statSync(control).atimeMs).toBeGreaterThan(old.getTime())

    const before = (await api().invoke('queue.list', {})).total
    const r = await api().invoke('sync.run', { profile: 'card' })
    expect(r.batchId).toBeNull()
    expect(r.plan.totals.counts).toMatchObject({ convert: 0, copy: 0, delete: 0, conflict: 0, skip: 9 })
    expect((await api().invoke('queue.list', {})).total).toBe(before)
    for (const f of sources) expect(statSync(f).atimeMs, f).toBe(old.getTime())
  }, 60_000)

  it('re-converts only the file whose tags changed, then every file when the preset changes', async () => {
    const fake = await countingFfmpeg(join(dir.path, 'ff'))
    await api().invoke('settings.set', { ffmpegPath: fake.path })
    try {
      const intro = join(lib, 'Artist A/Album 1/01 Intro: What?.flac')
      const retagged = join(dir.path, 'retagged.flac')
      await ffmpeg(['-i', intro, '-c', 'copy', '-metadata', 'title=Intro (new title)', retagged])
      renameSync(retagged, intro)
      const plan = await api().invoke('sync.plan', { profile: 'card', kinds: ['convert', 'copy', 'delete'] })
      expect(plan.entries.map((e) => [e.kind, e.dst])).toEqual([
        ['convert', 'Artist A/Album 1/01 Intro_ What_.mp3'],
      ])
      await sync()
      expect(readFileSync(fake.log, 'utf8').trim().split('\n')).toHaveLength(1)

      await api().invoke('profiles.update', { name: 'card', preset: 'mp3-v2' })
      const again = await api().invoke('sync.plan', { profile: 'card' })
      expect(again.totals.counts).toMatchObject({ convert: 5, copy: 0 })
      expect(
        again.entries.filter((e) => e.kind === 'convert').every((e) => e.reason === 'The preset changed.'),
      ).toBe(true)
      await sync()
      expect(readFileSync(fake.log, 'utf8').trim().split('\n')).toHaveLength(6)
      expect(tree(card)).toEqual(EXPECTED)
    } finally {
      await api().invoke('settings.set', { ffmpegPath: null })
      await api().invoke('profiles.update', { name: 'card', preset: 'mp3-v0' })
      await sync()
    }
  }, 120_000)

  it('mirrors a deletion only under mirror, and never deletes or overwrites a file put there by hand', async () => {
    const byHand = join(card, 'Artist A/Album 1/by hand.mp3')
    writeFileSync(byHand, 'mine')
    // A new source whose name on the device is already taken by a file Ferry did not write.
    writeFileSync(join(card, 'Artist A/Album 1/05 New.mp3'), 'also mine')
    await makeToneFlac(join(lib, 'Artist A/Album 1/05 New.flac'))
    rmSync(join(lib, 'aux/CON.flac'))

    await api().invoke('profiles.update', { name: 'card', delete: 'never' })
    const never = await api().invoke('sync.plan', { profile: 'card', kinds: ['delete', 'conflict'] })
    expect(never.entries.map((e) => [e.kind, e.dst])).toEqual([['conflict', 'Artist A/Album 1/05 New.mp3']])
    await sync()
    expect(existsSync(join(card, 'aux_/CON_.mp3'))).toBe(true)

    await api().invoke('profiles.update', { name: 'card', delete: 'mirror' })
    const mirror = await api().invoke('sync.plan', { profile: 'card', kinds: ['delete', 'conflict'] })
    expect(mirror.entries.map((e) => [e.kind, e.dst])).toEqual([
      ['delete', 'aux_/CON_.mp3'],
      ['conflict', 'Artist A/Album 1/05 New.mp3'],
    ])
    await sync()
    expect(existsSync(join(card, 'aux_'))).toBe(false) // the folder the deletion emptied went too
    expect(readFileSync(byHand, 'utf8')).toBe('mine')
    expect(readFileSync(join(card, 'Artist A/Album 1/05 New.mp3'), 'utf8')).toBe('also mine')
    rmSync(join(lib, 'Artist A/Album 1/05 New.flac'))
    rmSync(join(card, 'Artist A/Album 1/05 New.mp3'))
    rmSync(byHand)
  }, 60_000)

  it('a second profile with the same preset encodes nothing again (shared transcode cache)', async () => {
    const fake = await countingFfmpeg(join(dir.path, 'ff-shared'))
    await api().invoke('settings.set', { ffmpegPath: fake.path })
    try {
      mkdirSync(join(dir.path, 'PHONE'))
      await api().invoke('profiles.create', {
        name: 'phone',
        sources: [lib],
        destination: join(dir.path, 'PHONE'),
      })
      const r = await sync('phone')
      expect(r.plan.totals.counts.convert).toBe(4)
      expect(readFileSync(fake.log, 'utf8')).toBe('') // every encode came from the cache
      for (const f of tree(join(dir.path, 'PHONE')).filter((x) => x.endsWith('.mp3')))
        expect(readFileSync(join(dir.path, 'PHONE', f)).equals(readFileSync(join(card, f))), f).toBe(true)
    } finally {
      await api().invoke('settings.set', { ffmpegPath: null })
    }
  })

  it('a missing destination is a clear error; one that vanishes mid-run makes tasks wait, then finish', async () => {
    await api().invoke('profiles.create', {
      name: 'gone',
      sources: [lib],
      destination: join(dir.path, 'UNPLUGGED', 'Music'),
    })
    const err = await refused(api().invoke('sync.plan', { profile: 'gone' }))
    expect(err.message).toMatch(/is not there \(is the device plugged in and mounted\?\)/)
    expect(existsSync(join(dir.path, 'UNPLUGGED'))).toBe(false)

    const dev = join(dir.path, 'DEV')
    mkdirSync(dev)
    await api().invoke('profiles.create', { name: 'dev', sources: [lib], destination: join(dev, 'Music') })
    await api().invoke('queue.pause')
    const r = await api().invoke('sync.run', { profile: 'dev' })
    renameSync(dev, `${dev}-away`) // unplugged before anything ran
    await api().invoke('queue.resume')
    await waitFor('tasks to wait for the device', async () => {
      const p = await api().invoke('queue.progress', { batchId: r.batchId! })
      return p.waitingFor.length > 0
    })
    renameSync(`${dev}-away`, dev)
    const done = await settle(engine, r.batchId!, 60_000)
    expect(done.counts.fail).toBe(0)
    expect(tree(join(dev, 'Music')).length).toBeGreaterThan(5)
  }, 60_000)

  it('a missing source is an error, not a reason to delete; overlapping folders are refused', async () => {
    const nas = join(dir.path, 'NAS')
    mkdirSync(join(nas, 'Album'), { recursive: true })
    writeFileSync(join(nas, 'Album', 'cover.jpg'), 'cover')
    mkdirSync(join(dir.path, 'USB'))
    await api().invoke('profiles.create', {
      name: 'nas',
      sources: [nas],
      destination: join(dir.path, 'USB'),
      delete: 'mirror',
    })
    await sync('nas')
    expect(tree(join(dir.path, 'USB'))).toEqual(['Album/cover.jpg'])
    renameSync(nas, `${nas}-unmounted`)
    const err = await refused(api().invoke('sync.run', { profile: 'nas' }))
    expect(err.message).toMatch(/The source folder .*NAS is not there .* nothing will be deleted/)
    expect(tree(join(dir.path, 'USB'))).toEqual(['Album/cover.jpg'])
    renameSync(`${nas}-unmounted`, nas)
    // Another destination is another device: the old index says nothing of it, and nothing is deleted.
    mkdirSync(join(dir.path, 'USB2'))
    await api().invoke('profiles.update', { name: 'nas', destination: join(dir.path, 'USB2') })
    const moved = await api().invoke('sync.plan', { profile: 'nas' })
    expect(moved.entries.map((e) => [e.kind, e.dst, e.reason])).toEqual([['copy', 'Album/cover.jpg', 'New.']])

    // Overlapping folders are refused before the profile is saved, and again before any plan.
    const loop = { name: 'loop', sources: [lib], destination: join(lib, 'Artist A', 'copy') }
    expect((await refused(api().invoke('profiles.create', loop))).message).toMatch(/overlap/)
    await api().invoke('profiles.create', { ...loop, destination: join(dir.path, 'LOOP') })
    await api().invoke('profiles.update', { name: 'loop', destination: join(dir.path, 'LOOP') })
    await expect(
      api().invoke('profiles.update', { name: 'loop', destination: join(lib, 'Artist A', 'copy') }),
    ).rejects.toThrow(/overlap/)
    expect((await api().invoke('profiles.get', { name: 'loop' })).destination).toBe(join(dir.path, 'LOOP'))
    expect(existsSync(join(lib, 'Artist A', 'copy'))).toBe(false)
  })

  it('a plan that does not fit says by how much, and nothing is written without force', async () => {
    const big = join(dir.path, 'big')
    mkdirSync(join(big, 'Album'), { recursive: true })
    const free = (await api().invoke('sync.plan', { profile: 'card', limit: 0 })).totals.freeBytes!
    writeFileSync(join(big, 'Album', 'cover.jpg'), '')
    truncateSync(join(big, 'Album', 'cover.jpg'), free + 1024 ** 3) // sparse: takes no room here
    mkdirSync(join(dir.path, 'SMALL'))
    await api().invoke('profiles.create', {
      name: 'small',
      sources: [big],
      destination: join(dir.path, 'SMALL'),
    })
    const plan = await api().invoke('sync.plan', { profile: 'small' })
    expect(plan.totals.shortBy).toBeGreaterThan(0.9 * 1024 ** 3)
    expect(plan.totals.shortBy).toBeLessThan(1.1 * 1024 ** 3)
    const err = await refused(api().invoke('sync.run', { profile: 'small' }))
    expect(err.message).toMatch(/Not enough space .* needs 10\d\d\.\d MiB more .* Nothing was written/)
    expect(readdirSync(join(dir.path, 'SMALL'))).toEqual([])
  })

  it('refuses a second sync of a profile while its last one is still under way', async () => {
    await api().invoke('queue.pause')
    try {
      writeFileSync(join(lib, 'Artist A/Album 1/folder.jpg'), 'another cover')
      await api().invoke('sync.run', { profile: 'card' })
      const err = await refused(api().invoke('sync.run', { profile: 'card' }))
      expect(err.message).toMatch(/still under way/)
    } finally {
      await api().invoke('queue.resume')
      await settle(engine)
    }
  })
})

describe('a sync killed with SIGKILL mid-way', () => {
  const dir = tempDir('ferry-sync-crash-')
  afterAll(() => dir.remove())

  it('ends, after a restart and a second run, exactly as a clean sync leaves the device', async () => {
    const lib = join(dir.path, 'lib')
    await makeLibrary(lib)
    for (let i = 0; i < 30; i++)
      writeFileSync(join(lib, 'Artist A', 'Album 1', `scan ${i}.jpg`), Buffer.alloc(300_000, i))
    const ferry = (data: string, ...args: string[]) =>
      runFerry(['--data-dir', join(dir.path, data), ...args], {}, 120_000)
    mkdirSync(join(dir.path, 'A'))
    mkdirSync(join(dir.path, 'B'))
    for (const [data, dst] of [
      ['crash', 'A'],
      ['clean', 'B'],
    ] as const) {
      const add = await ferry(
        data,
        'profile',
        'add',
        'card',
        '-s',
        lib,
        '-d',
        join(dir.path, dst),
        '--non-audio',
        'all',
      )
      expect(add.code).toBe(0)
    }
    expect((await ferry('clean', 'profile', 'sync', 'card', '-q')).code).toBe(0)

    expect((await ferry('crash', 'profile', 'sync', 'card', '--enqueue-only', '-q')).code).toBe(0)
    let kills = 0
    for (let round = 0; round < 12 && kills < 5; round++) {
      const child = spawn(
        process.execPath,
        [FERRY_BIN, '--data-dir', join(dir.path, 'crash'), 'queue', 'wait', '-q'],
        {
          stdio: 'ignore',
        },
      )
      const exited = new Promise((r) => child.once('exit', r))
      const early = await Promise.race([
        exited,
        new Promise((r) => setTimeout(() => r('timer'), 350 + round * 60)),
      ])
      if (early !== 'timer') break
      child.kill('SIGKILL')
      await exited
      kills++
    }
    expect(kills).toBeGreaterThan(0)
    expect((await ferry('crash', 'queue', 'wait', '-q')).code).toBe(0)
    const again = await ferry('crash', 'profile', 'sync', 'card', '-q')
    expect(again.code).toBe(0)

    const a = tree(join(dir.path, 'A'))
    expect(a).toEqual(tree(join(dir.path, 'B')))
    expect(a.filter((f) => f.includes('.ferry-'))).toEqual([])
    for (const f of a)
      expect(readFileSync(join(dir.path, 'A', f)).equals(readFileSync(join(dir.path, 'B', f))), f).toBe(true)
    const dry = await ferry('crash', 'profile', 'sync', 'card', '--dry-run')
    expect(dry.stdout).toMatch(/convert 0, copy 0, delete 0, up to date \d+, conflicts 0/)
  }, 180_000)
})
