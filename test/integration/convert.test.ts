import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { constants, getPriority } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import type { Task } from '../../src/shared/model'
import {
  countingFfmpeg,
  ffmpeg,
  type Fixture,
  makeFixtures,
  makeLongFlac,
  mp3RateMode,
  readAudio,
} from '../helpers/audio'
import { openEngine, run, settle, waitFor } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'

const same = async (a: string, b: string) => (await readFile(a)).equals(await readFile(b))
const files = async (dir: string): Promise<string[]> => {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(join(e.parentPath, e.name))
  return out.sort()
}
const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter(Boolean)

describe('conversion with the real ffmpeg', () => {
  let tmp: ReturnType<typeof tempDir>
  let root: string
  let lib: string
  let noise: string
  let fixtures: Fixture[]
  let engine: Engine

  beforeAll(async () => {
    tmp = tempDir('ferry-convert-')
    root = tmp.path
    lib = join(root, 'Library')
    fixtures = await makeFixtures(lib)
    noise = join(root, 'noise', 'Pink noise.flac')
    await makeLongFlac(noise, 8)
    engine = await openEngine(join(root, 'data'), { workers: { transfer: 1, convert: 2 } })
  }, 60_000)
  afterAll(async () => {
    await engine?.close()
    tmp?.remove()
  })

  const convert = async (sources: string[], destination: string, extra: Record<string, unknown> = {}) => {
    await mkdir(dirname(destination), { recursive: true }) // Ferry makes the destination, not its parents
    return run(engine, { mode: 'convert', sources, destination, ...extra })
  }

  it('each built-in preset makes the codec, container and rate mode it promises', async () => {
    const out: Record<string, string> = {}
    for (const preset of ['mp3-v0', 'mp3-v2', 'mp3-320', 'aac-256', 'opus-128', 'copy']) {
      const r = await convert([noise], join(root, 'presets', preset), { preset })
      expect(r.progress.counts.fail).toBe(0)
      const [file] = await files(join(root, 'presets', preset))
      out[preset] = file!
    }
    const v0 = await readAudio(out['mp3-v0']!)
    const v2 = await readAudio(out['mp3-v2']!)
    const cbr = await readAudio(out['mp3-320']!)
    expect(out['mp3-v0']).toMatch(/\.mp3$/)
    expect(v0.codec).toBe('MPEG 1 Layer 3')
    expect(await mp3RateMode(out['mp3-v0']!)).toBe('vbr')
    expect(await mp3RateMode(out['mp3-v2']!)).toBe('vbr')
    expect(v0.bitrate).toBeGreaterThan(v2.bitrate * 1.1) // V0 spends more bits than V2 on the same noise
    expect(await mp3RateMode(out['mp3-320']!)).toBe('cbr')
    expect(cbr.bitrate).toBe(320_000)

    const aac = await readAudio(out['aac-256']!)
    expect(out['aac-256']).toMatch(/\.m4a$/)
    expect(aac.codec).toMatch(/AAC/)
    expect(aac.container).toMatch(/^M4A/)
    const aacRate = ((await stat(out['aac-256']!)).size * 8) / aac.duration
    expect(aacRate).toBeGreaterThan(200_000)
    expect(aacRate).toBeLessThan(300_000)

    const opus = await readAudio(out['opus-128']!)
    expect(out['opus-128']).toMatch(/\.opus$/)
    expect(opus.codec).toBe('Opus')
    expect(opus.container).toBe('Ogg')
    const opusRate = ((await stat(out['opus-128']!)).size * 8) / opus.duration
    expect(opusRate).toBeGreaterThan(64_000) // VBR: below its 128k target on noise this simple
    expect(opusRate).toBeLessThan(170_000)

    expect(out.copy).toMatch(/Pink noise\.flac$/)
    expect(await same(out.copy!, noise)).toBe(true)
  }, 120_000)

  it('keeps the tags of every source format, as ID3v2.3 or 2.4, with or without art as asked', async () => {
    await engine.api.invoke('presets.create', {
      name: 'mp3-all',
      from: 'mp3-v0',
      spec: { lossy: 'transcode' },
    })
    await engine.api.invoke('presets.create', { name: 'mp3-24', from: 'mp3-v0', spec: { id3v2Version: 4 } })
    await engine.api.invoke('presets.create', { name: 'mp3-noart', from: 'mp3-v0', spec: { art: 'remove' } })
    const dst = join(root, 'tags')
    const r = await convert([lib], dst, { preset: 'mp3-all' })
    expect(r.progress.counts.fail).toBe(0)
    for (const f of fixtures) {
      const before = await readAudio(join(lib, f.file))
      const out = join(dst, 'Library', f.file.replace(/\.\w+$/, '.mp3'))
      const after = await readAudio(out)
      expect(after.codec, f.file).toBe('MPEG 1 Layer 3')
      expect(after.tagTypes, f.file).toContain('ID3v2.3')
      expect(Object.keys(before.tags).length, f.file).toBeGreaterThanOrEqual(6)
      for (const [k, v] of Object.entries(before.tags)) expect(after.tags[k], `${f.file}: ${k}`).toBe(v)
      expect(after.art, `${f.file}: art`).toBe(f.art)
    }

    const flac = join(lib, fixtures[0]!.file)
    const v24 = await convert([flac], join(root, 'v24'), { preset: 'mp3-24' })
    const noArt = await convert([flac], join(root, 'noart'), { preset: 'mp3-noart' })
    const removeArt = await convert([flac], join(root, 'remove-art'), { removeArt: true })
    for (const x of [v24, noArt, removeArt]) expect(x.progress.counts.ok).toBeGreaterThan(0)
    const a24 = await readAudio((await files(join(root, 'v24')))[0]!)
    expect(a24.tagTypes).toContain('ID3v2.4')
    expect(a24.tags.title).toBe((await readAudio(flac)).tags.title)
    expect((await readAudio((await files(join(root, 'noart')))[0]!)).art).toBe(false)
    expect((await readAudio((await files(join(root, 'remove-art')))[0]!)).art).toBe(false)
  }, 120_000)

  it('keeps every tag and the cover in .m4a (AAC, ALAC) and Ogg (Opus, Vorbis) outputs too', async () => {
    await engine.api.invoke('presets.create', { name: 'alac', spec: { codec: 'alac' } })
    await engine.api.invoke('presets.create', { name: 'ogg-q5', spec: { codec: 'vorbis', quality: 5 } })
    const kinds: Record<string, [RegExp, RegExp]> = {
      'aac-256': [/AAC/, /\.m4a$/],
      alac: [/ALAC/, /\.m4a$/],
      'opus-128': [/Opus/, /\.opus$/],
      'ogg-q5': [/Vorbis/, /\.ogg$/],
    }
    const flac = join(lib, fixtures[0]!.file)
    const before = await readAudio(flac)
    expect(Object.keys(before.tags)).toEqual(
      expect.arrayContaining([
        'replaygain_track_gain',
        'musicbrainz_recordingid',
        'musicbrainz_albumid',
        'comment',
      ]),
    )
    for (const [preset, [codec, extension]] of Object.entries(kinds)) {
      await convert([flac], join(root, 'm4a', preset), { preset })
      const [out] = await files(join(root, 'm4a', preset))
      const after = await readAudio(out!)
      expect(out, preset).toMatch(extension)
      expect(after.codec, preset).toMatch(codec)
      for (const [k, v] of Object.entries(before.tags)) expect(after.tags[k], `${preset}: ${k}`).toBe(v)
      expect(after.art, preset).toBe(true)
      expect(after.duration, preset).toBeGreaterThan(2.9)
      await ffmpeg(['-xerror', '-i', out!, '-f', 'null', '-']) // and still decodes, start to end
    }
    for (const preset of ['aac-256', 'opus-128']) {
      await convert([flac], join(root, 'm4a', `${preset}-no-art`), { preset, removeArt: true })
      expect((await readAudio((await files(join(root, 'm4a', `${preset}-no-art`)))[0]!)).art, preset).toBe(
        false,
      )
    }
    expect(await readdir(join(engine.cache.dir, 'tmp'))).toEqual([]) // no cover file left behind
  }, 60_000)

  it('copies lossy sources byte for byte; decides lossless by codec, not by extension', async () => {
    const dst = join(root, 'lossy')
    const r = await convert([lib], dst)
    expect(r.progress.counts.fail).toBe(0)
    const written = (await files(join(dst, 'Library'))).map((f) => f.slice(dst.length + 9))
    for (const f of fixtures) {
      if (f.lossless) {
        expect(written, f.file).toContain(f.file.replace(/\.\w+$/, '.mp3'))
      } else {
        expect(written, f.file).toContain(f.file)
        expect(await same(join(lib, f.file), join(dst, 'Library', f.file)), f.file).toBe(true)
      }
    }
    // Both .m4a files: the ALAC one was transcoded, the AAC one copied.
    expect(written).toContain('04 日本語 ALAC.mp3')
    expect(written).toContain('05 Русский AAC.m4a')
  }, 120_000)

  it('fails a corrupt or truncated file with a readable reason; the rest of the batch completes', async () => {
    const src = join(root, 'damaged')
    const dst = join(root, 'damaged-out')
    await makeLongFlac(join(src, 'whole.flac'), 4)
    const whole = await readFile(join(src, 'whole.flac'))
    await writeFile(join(src, 'truncated.flac'), whole.subarray(0, Math.floor(whole.length / 3)))
    await writeFile(join(src, 'garbage.flac'), Buffer.alloc(5000, 0x5a))
    const r = await convert([src], dst)
    const byName = (n: string) => r.tasks.find((t: Task) => t.src?.endsWith(n))!
    expect(byName('whole.flac').status).toBe('ok')
    expect(byName('truncated.flac').status).toBe('fail')
    expect(byName('truncated.flac').error).toMatch(/truncated or damaged: ffmpeg could decode \d/)
    expect(byName('garbage.flac').status).toBe('fail')
    expect(byName('garbage.flac').error).toMatch(/Not a readable audio file/)
    expect((await files(dst)).map((f) => f.slice(dst.length))).toEqual(['/damaged/whole.mp3'])
    expect(await readdir(join(engine.cache.dir, 'tmp'))).toEqual([])
  }, 60_000)

  it('cancel mid-encode kills ffmpeg and leaves no partial file anywhere', async () => {
    const long = join(root, 'long', 'Long.flac')
    await makeLongFlac(long, 240)
    const fake = await countingFfmpeg(join(root, 'ff-cancel'))
    await engine.api.invoke('settings.set', { ffmpegPath: fake.path })
    try {
      const dst = join(root, 'cancelled')
      const { batchId } = await engine.api.invoke('queue.enqueue', {
        mode: 'convert',
        sources: [long],
        destination: dst,
      })
      const task = await waitFor('the encode to make progress', async () => {
        const t = (await engine.api.invoke('queue.list', { batchId })).tasks[0]!
        const p = await engine.api.invoke('queue.progress', { batchId })
        return p.workers.some((w) => w.taskId === t.id && w.bytesDone > 0) ? t : undefined
      })
      const pid = Number((await lines(fake.log))[0]!.split(' ')[0])
      expect(alive(pid)).toBe(true)
      // The encode runs below normal priority, so that the app and the copies onto the card stay quick.
      expect(getPriority(pid)).toBeGreaterThanOrEqual(constants.priority.PRIORITY_BELOW_NORMAL)
      await engine.api.invoke('task.cancel', { taskId: task.id })
      await settle(engine, batchId)
      expect((await engine.api.invoke('task.get', { taskId: task.id })).status).toBe('cancelled')
      await waitFor('ffmpeg to be gone', () => !alive(pid), 5000)
      expect(await files(dst).catch(() => [])).toEqual([])
      expect(await readdir(join(engine.cache.dir, 'tmp'))).toEqual([])
    } finally {
      await engine.api.invoke('settings.set', { ffmpegPath: null })
    }
  }, 120_000)

  it('kills a stalled ffmpeg and fails the task with what it said', async () => {
    const fake = await countingFfmpeg(join(root, 'ff-stall'), { hang: true })
    await engine.api.invoke('cache.clear') // an earlier test encoded this file: make it encode again
    await engine.api.invoke('settings.set', { ffmpegPath: fake.path, 'convert.stallSeconds': 5 })
    try {
      const r = await convert([join(lib, fixtures[0]!.file)], join(root, 'stalled'))
      const t = r.tasks[0]!
      expect(t.status).toBe('fail')
      expect(t.error).toMatch(/ffmpeg made no progress for 5 s and was stopped/)
      const pid = Number((await lines(fake.log))[0]!.split(' ')[0])
      await waitFor('the stuck process to be gone', () => !alive(pid), 5000)
      expect(await files(join(root, 'stalled')).catch(() => [])).toEqual([])
    } finally {
      await engine.api.invoke('settings.set', { ffmpegPath: null, 'convert.stallSeconds': 60 })
    }
  }, 60_000)

  it('a second conversion of the same sources runs no encoder and yields identical files', async () => {
    const fake = await countingFfmpeg(join(root, 'ff-cache'))
    await engine.api.invoke('cache.clear')
    await engine.api.invoke('settings.set', { ffmpegPath: fake.path })
    try {
      const lossless = fixtures.filter((f) => f.lossless).map((f) => join(lib, f.file))
      const first = await convert(lossless, join(root, 'cache1'))
      expect(first.progress.counts.fail).toBe(0)
      expect(await lines(fake.log)).toHaveLength(lossless.length)
      const stats = await engine.api.invoke('cache.stats')
      expect(stats.entries).toBe(lossless.length)

      const second = await convert(lossless, join(root, 'cache2'))
      expect(second.progress.counts.fail).toBe(0)
      expect(await lines(fake.log)).toHaveLength(lossless.length) // no new encode
      const a = await files(join(root, 'cache1'))
      const b = await files(join(root, 'cache2'))
      expect(a).toHaveLength(lossless.length)
      for (const [i, f] of a.entries()) expect(await same(f, b[i]!), f).toBe(true)

      const cleared = await engine.api.invoke('cache.clear')
      expect(cleared.removed).toBe(lossless.length)
      expect((await engine.api.invoke('cache.stats')).entries).toBe(0)
      await convert(lossless.slice(0, 1), join(root, 'cache3'))
      expect(await lines(fake.log)).toHaveLength(lossless.length + 1) // encodes again
    } finally {
      await engine.api.invoke('settings.set', { ffmpegPath: null })
    }
  }, 120_000)

  it('evicts the least recently used encodes beyond the size limit', async () => {
    await engine.api.invoke('cache.clear')
    const sources = fixtures.filter((f) => f.lossless).map((f) => join(lib, f.file))
    await convert(sources, join(root, 'evict1'))
    const full = await engine.api.invoke('cache.stats')
    expect(full.entries).toBe(sources.length)
    const limit = Math.floor(full.bytes / 2)
    await engine.api.invoke('settings.set', { 'cache.maxBytes': limit })
    const after = await waitFor('eviction', async () => {
      const s = await engine.api.invoke('cache.stats')
      return s.bytes <= limit ? s : undefined
    })
    expect(after.entries).toBeLessThan(sources.length)
    expect(after.entries).toBeGreaterThan(0)
    let onDisk = 0
    for (const shard of await readdir(engine.cache.dir)) {
      if (shard === 'tmp') continue
      for (const f of await readdir(join(engine.cache.dir, shard)))
        onDisk += (await stat(join(engine.cache.dir, shard, f))).size
    }
    expect(onDisk).toBe(after.bytes)
    await engine.api.invoke('settings.set', { 'cache.maxBytes': 2 * 1024 ** 3 })
  }, 60_000)
})

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
