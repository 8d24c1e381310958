// Every output right: for each built-in preset and each ffmpeg at hand (the bundled 4.1 and the one
// on PATH), a fully tagged FLAC with a cover converts into a file that decodes without a warning,
// lasts as long as its source, keeps its gapless header (MP3), its tags and its cover.
import { mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import {
  decode,
  FFMPEG,
  ffmpeg,
  ffmpegOnPath,
  makeTaggedFlac,
  readMp3Start,
  readTags,
} from '../helpers/audio'
import { openEngine, run } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'

const SECONDS = 5.04 // not a whole number of MP3, AAC or Opus frames

/** One frame of each codec, in seconds: the most an output's length may differ from its source's. */
const FRAME: Record<string, number> = {
  'mp3-v0': 1152 / 44100,
  'mp3-v2': 1152 / 44100,
  'mp3-320': 1152 / 44100,
  'aac-256': 1024 / 44100,
  'opus-128': 0.02,
  copy: 0,
}
const EXTENSION: Record<string, string> = {
  'mp3-v0': '.mp3',
  'mp3-v2': '.mp3',
  'mp3-320': '.mp3',
  'aac-256': '.m4a',
  'opus-128': '.opus',
  copy: '.flac',
}

const system = ffmpegOnPath()
const binaries: [string, string | undefined][] = [
  ['bundled ffmpeg', FFMPEG],
  ['ffmpeg on PATH', system],
]

describe.each(binaries)('every built-in preset makes a right output with the %s', (_name, binary) => {
  const tmp = tempDir('ferry-outputs-')
  const src = join(tmp.path, 'Library', 'Tagged track.flac')
  let engine: Engine
  let source: Awaited<ReturnType<typeof readTags>>
  let sourceCover: Buffer

  beforeAll(async () => {
    if (!binary) return
    const cover = join(tmp.path, 'cover.jpg')
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=160x160:d=1', '-frames:v', '1', cover])
    sourceCover = await readFile(cover)
    await makeTaggedFlac(src, cover, SECONDS)
    source = await readTags(src)
    await mkdir(join(tmp.path, 'out'))
    engine = await openEngine(join(tmp.path, 'data'), { workers: { transfer: 1, convert: 2 } })
    await engine.api.invoke('settings.set', { ffmpegPath: binary })
  }, 60_000)
  afterAll(async () => {
    await engine?.close()
    tmp.remove()
  })

  it('is there to test with (install Debian’s ffmpeg: apt-get install -y ffmpeg)', () => {
    expect(binary, 'an ffmpeg on PATH other than the bundled one').toBeTruthy()
  })

  it.each(Object.keys(FRAME))('%s', async (preset) => {
    if (!binary) throw new Error('no ffmpeg on PATH to test with')
    const dst = join(tmp.path, 'out', preset)
    const r = await run(engine, { mode: 'convert', sources: [src], destination: dst, preset })
    expect(r.progress.counts.ok, r.tasks.map((t) => t.error ?? '').join('\n')).toBe(r.tasks.length)
    const names = await readdir(dst)
    expect(names).toEqual([`Tagged track${EXTENSION[preset]}`])
    const out = join(dst, names[0]!)

    // Decodes cleanly, to as many samples as the source has (within one frame), with either ffmpeg.
    for (const decoder of [binary, FFMPEG]) {
      const d = await decode(decoder, out)
      // ffmpeg warns "stream N, timescale not set" on reading any `covr` atom (iTunes' own files too):
      // it makes the cover a stream without a time base. The one warning an .m4a with a cover gives.
      const known = preset === 'aac-256' ? /^\[mov,mp4[^\]]*\] stream \d+, timescale not set$/ : /^$/
      const warnings = d.warnings.split('\n').filter((l) => l && !known.test(l))
      expect(warnings, `${decoder} decoding ${preset}`).toEqual([])
      expect(Math.abs(d.seconds - SECONDS), `${preset}: ${d.seconds} s`).toBeLessThanOrEqual(FRAME[preset]!)
    }

    if (EXTENSION[preset] === '.mp3') {
      const start = await readMp3Start(out)
      expect(start.firstFrame, 'the first frame follows the tag, no stray bytes between').toBe(start.tagEnd)
      expect(start.vbrHeader).toBe(preset === 'mp3-320' ? 'Info' : 'Xing')
      expect(start.encoder, 'the LAME header (gapless info)').toMatch(/^(LAME|Lav[cf])/)
      expect(start.delay).toBeGreaterThan(0)
    }

    const after = await readTags(out)
    expect(Object.keys(source.tags)).toHaveLength(21)
    expect(after.tags).toEqual(source.tags)
    expect(after.cover, 'the cover, byte for byte').toEqual(sourceCover)
  })
})
