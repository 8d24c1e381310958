// A cover never fails a file. Sources whose cover ffmpeg does not expose as a picture stream (an APEv2
// binary item it takes for an attachment), a cover too large for one Ogg page, and a cover in a format
// the output cannot hold: each converts, with its cover carried over or, when it cannot be, left out
// and said so in the task's result.
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseFile } from 'music-metadata'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import {
  appendApeTag,
  decode,
  FFMPEG,
  ffmpeg,
  ffmpegOnPath,
  makeTaggedFlac,
  readTags,
} from '../helpers/audio'
import { openEngine, run } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'

const PRESETS: Record<string, string> = {
  'mp3-v0': '.mp3',
  'aac-256': '.m4a',
  'opus-128': '.opus',
  'vorbis-q5': '.ogg',
  'flac-keep': '.flac',
}

/** What each fixture's output must hold: its cover's bytes, or a note saying why there is none. */
interface Case {
  name: string
  cover: Buffer
  /** The presets whose container cannot take this cover. */
  leftOutBy: string[]
}

const binaries: [string, string | undefined][] = [
  ['bundled ffmpeg', FFMPEG],
  ['ffmpeg on PATH', ffmpegOnPath()],
]

describe.each(binaries)('covers, with the %s', (_name, binary) => {
  const tmp = tempDir('ferry-covers-')
  const lib = join(tmp.path, 'Library')
  const cases: Case[] = []
  let engine: Engine

  beforeAll(async () => {
    if (!binary) return
    await mkdir(lib, { recursive: true })
    await mkdir(join(tmp.path, 'out'))
    const image = async (name: string, source: string) => {
      const path = join(tmp.path, name)
      await ffmpeg(['-f', 'lavfi', '-i', source, '-frames:v', '1', path])
      return readFile(path)
    }
    const jpeg = await image('cover.jpg', 'testsrc=s=160x160:d=1')
    // Noise does not compress: ~300 KB, more than one Ogg page (64 KiB) holds.
    const big = await image('big.png', 'color=c=gray:s=320x320:d=1,noise=alls=100:allf=t')
    const gif = await image('cover.gif', 'testsrc=s=64x64:d=1')
    expect(big.length).toBeGreaterThan(200_000)

    const wavpack = async (name: string, tags: Parameters<typeof appendApeTag>[1]) => {
      const file = join(lib, name)
      await ffmpeg([
        ...['-f', 'lavfi', '-i', 'sine=frequency=330:duration=2:sample_rate=44100', '-ac', '2'],
        ...['-c:a', 'wavpack', '-map_metadata', '-1', '-fflags', '+bitexact', '-f', 'wv', file],
      ])
      await appendApeTag(file, { Title: name, Artist: 'APE Artist', Album: 'APE Album', ...tags })
    }
    // A binary item named without an image extension: ffmpeg makes it an attachment, not a picture.
    await wavpack('APE cover.wv', { 'Cover Art (Front)': { name: 'Cover Art (Front)', data: jpeg } })
    cases.push({ name: 'APE cover', cover: jpeg, leftOutBy: [] })
    // Named as an image: ffmpeg sees a picture, and keeps the name as a text tag, which must not follow.
    await wavpack('APE named cover.wv', { 'Cover Art (Front)': { name: 'folder.jpg', data: jpeg } })
    cases.push({ name: 'APE named cover', cover: jpeg, leftOutBy: [] })
    await wavpack('APE GIF cover.wv', { 'Cover Art (Front)': { name: 'cover.gif', data: gif } })
    cases.push({ name: 'APE GIF cover', cover: gif, leftOutBy: ['mp3-v0', 'aac-256', 'flac-keep'] })
    await makeTaggedFlac(join(lib, 'Big cover.flac'), join(tmp.path, 'big.png'), 2)
    cases.push({ name: 'Big cover', cover: big, leftOutBy: [] })

    engine = await openEngine(join(tmp.path, 'data'), { workers: { transfer: 1, convert: 2 } })
    await engine.api.invoke('settings.set', { ffmpegPath: binary })
    await engine.api.invoke('presets.create', { name: 'vorbis-q5', spec: { codec: 'vorbis', quality: 5 } })
    await engine.api.invoke('presets.create', { name: 'flac-keep', spec: { codec: 'flac' } })
  }, 60_000)
  afterAll(async () => {
    await engine?.close()
    tmp.remove()
  })

  it('is there to test with (install Debian’s ffmpeg: apt-get install -y ffmpeg)', () => {
    expect(binary, 'an ffmpeg on PATH other than the bundled one').toBeTruthy()
  })

  it.each(Object.keys(PRESETS))('%s', async (preset) => {
    if (!binary) throw new Error('no ffmpeg on PATH to test with')
    const dst = join(tmp.path, 'out', preset)
    const r = await run(engine, { mode: 'convert', sources: [lib], destination: dst, preset })
    expect(r.progress.counts.ok, r.tasks.map((t) => t.error ?? '').join('\n')).toBe(r.tasks.length)
    expect(r.tasks.filter((t) => t.type === 'convert')).toHaveLength(cases.length)

    for (const c of cases) {
      const out = join(dst, 'Library', `${c.name}${PRESETS[preset]}`)
      const task = r.tasks.find((t) => t.type === 'convert' && t.src?.includes(`/${c.name}.`))!
      const d = await decode(binary, out)
      const known = preset === 'aac-256' ? /^\[mov,mp4[^\]]*\] stream \d+, timescale not set$/ : /^$/
      expect(
        d.warnings.split('\n').filter((l) => l && !known.test(l)),
        `${c.name}`,
      ).toEqual([])
      expect(d.seconds, c.name).toBeGreaterThan(1.9)

      const after = await readTags(out)
      expect(after.tags.title, c.name).toBe((await readTags(task.src!)).tags.title)
      if (c.leftOutBy.includes(preset)) {
        expect(after.cover, `${c.name}: no cover`).toBeUndefined()
        expect(task.result, c.name).toMatch(/cover \(GIF\) was left out/)
      } else {
        expect(after.cover, `${c.name}: the cover, byte for byte`).toEqual(c.cover)
        expect(task.result ?? '', c.name).not.toMatch(/cover/i)
      }
      // No tag made of a binary item's file name ("Cover Art (Front)" = "folder.jpg").
      const native = JSON.stringify((await parseFile(out, { skipCovers: true })).native)
      expect(native, c.name).not.toMatch(/cover art|folder\.jpg/i)
    }
  })
})
