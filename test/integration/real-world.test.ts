// Every file a real library holds (test/helpers/library.ts), synced with every built-in preset through
// the real engine: each source yields a playable output (as long as its source to the frame, with its
// tags and cover), or fails in ffmpeg's words naming the ffmpeg used. Never an output that does not
// play, never a failure that is Ferry's own.
import { mkdir, readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { parseFile } from 'music-metadata'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import type { Task } from '../../src/shared/model'
import { FFMPEG, ffmpegOnPath, readAudio, readTags } from '../helpers/audio'
import { openEngine, run, settle } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'
import { type Library, makeLibrary, play, type Source } from '../helpers/library'

/** One frame of each preset's codec, in seconds: how far an output's length may be from its source's. */
const FRAME: Record<string, number> = {
  'mp3-v0': 1152 / 44100,
  'mp3-v2': 1152 / 44100,
  'mp3-320': 1152 / 44100,
  'aac-256': 1024 / 44100,
  'opus-128': 0.02,
}
const EXTENSION: Record<string, string> = {
  'mp3-v0': '.mp3',
  'mp3-v2': '.mp3',
  'mp3-320': '.mp3',
  'aac-256': '.m4a',
  'opus-128': '.opus',
}
const CODEC: Record<string, RegExp> = {
  'mp3-v0': /MPEG 1 Layer 3/,
  'mp3-v2': /MPEG 1 Layer 3/,
  'mp3-320': /MPEG 1 Layer 3/,
  'aac-256': /AAC/,
  'opus-128': /Opus/,
}
/** ffmpeg warns so on reading any `covr` atom (iTunes' own files too); the file is fine. */
const COVR_WARNING = /^\[mov,mp4[^\]]*\] stream \d+, timescale not set$/
/** An MP3 of 10 ms is one frame after its tag: ffmpeg plays it whole, but says it nearly took it for something else. */
const TINY_MP3_WARNING =
  /^\[mp3 @ [^\]]+\] Format mp3 detected only with low score of \d+, misdetection possible!$/
/**
 * The sync planner tells lossless from lossy by extension where the extension is not ambiguous
 * (sync/plan/classify.ts): a FLAC named .mp3 is copied as it is. `ferry convert` reads it (the last test).
 */
const PLANNED_BY_EXTENSION = new Set(['Odd/A FLAC named.mp3'])
/** What a copy of a file whose extension lies is named. */
const REAL_NAME: Record<string, string> = { 'Odd/An MP3 named.flac': 'Odd/An MP3 named.mp3' }

const system = ffmpegOnPath()
const BINARIES: Record<string, string | undefined> = { bundled: FFMPEG, 'on PATH': system }
/** Each preset with each ffmpeg would be 10 syncs; the MP3 presets differ only by their options, so each runs with one. */
const RUNS: [string, string][] = [
  ['mp3-v0', 'on PATH'],
  ['mp3-v2', 'bundled'],
  ['mp3-320', 'on PATH'],
  ['aac-256', 'bundled'],
  ['aac-256', 'on PATH'],
  ['opus-128', 'bundled'],
  ['opus-128', 'on PATH'],
  ['copy', 'on PATH'],
]

describe('a real-world library, synced with every built-in preset', () => {
  const tmp = tempDir('ferry-real-world-')
  let lib: Library
  let engine: Engine
  const played = new Map<string, ReturnType<typeof play>>()
  /** The source as the ffmpeg given plays it (once per pair). */
  const playSource = (bin: string, file: string) => {
    const key = `${bin}\0${file}`
    if (!played.has(key)) played.set(key, play(bin, file))
    return played.get(key)!
  }

  beforeAll(async () => {
    lib = await makeLibrary(join(tmp.path, 'Library'), FFMPEG, system ?? FFMPEG)
    await mkdir(join(tmp.path, 'out'))
    engine = await openEngine(join(tmp.path, 'data'), { workers: { transfer: 1, convert: 2 } })
  }, 60_000)
  afterAll(async () => {
    await engine?.close()
    tmp.remove()
  })

  it('has Debian’s ffmpeg to test with (apt-get install -y ffmpeg)', () => {
    expect(system, 'an ffmpeg on PATH other than the bundled one').toBeTruthy()
  })

  it.each(RUNS)('%s, with the %s ffmpeg', async (preset, which) => {
    const binary = BINARIES[which]
    if (!binary) throw new Error(`no ${which} ffmpeg to test with`)
    await engine.api.invoke('settings.set', { ffmpegPath: binary })
    const name = `${preset} ${which}`
    const dst = join(tmp.path, 'out', name)
    await engine.api.invoke('profiles.create', { name, sources: [lib.root], destination: dst, preset })
    const sync = await engine.api.invoke('sync.run', { profile: name })
    await settle(engine, sync.batchId!, 120_000)
    const { tasks } = await engine.api.invoke('queue.list', {
      batchId: sync.batchId!,
      limit: 1000,
      sort: 'oldest',
    })

    // Checked four at a time (each plays its output, and its source once per ffmpeg).
    const problems: string[] = []
    const queue = [...lib.sources]
    const checker = async () => {
      for (let source; (source = queue.shift());) {
        try {
          await check(source, tasks, preset, binary)
        } catch (err) {
          // A broken tag can make a message of binary junk: one line, cut short.
          problems.push(`${source.rel}: ${(err as Error).message.replace(/\s+/g, ' ').slice(0, 400)}`)
        }
      }
    }
    await Promise.all([checker(), checker(), checker(), checker()])
    expect(problems.sort().join('\n')).toBe('')

    // A second sync tries again what failed, and has nothing else to do. But for the MP3 named .flac:
    // the planner (sync/plan/classify.ts) takes a .flac for lossless, so the copy, rightly named .mp3, never
    // looks up to date to it under a preset whose files are not .mp3.
    const again = await engine.api.invoke('sync.run', { profile: name, dryRun: true, limit: 1000 })
    const redone = again.plan.entries
      .filter((e) => e.kind === 'convert' || e.kind === 'copy')
      .map((e) => e.src)
    const failed = tasks.filter((t) => t.parentId === null && t.status === 'fail').map((t) => t.src)
    const mislabeled = join(lib.root, 'Odd/An MP3 named.flac')
    const expected = [...failed, ...(preset !== 'copy' && EXTENSION[preset] !== '.mp3' ? [mislabeled] : [])]
    expect(redone.sort(), 'a resync with nothing changed').toEqual(expected.sort())
  })

  async function check(source: Source, tasks: Task[], preset: string, binary: string): Promise<void> {
    const src = join(lib.root, source.rel)
    const task = tasks.find((t) => t.src === src && t.parentId === null)
    if (!task) throw new Error('no task')
    if (preset === 'copy') {
      expect(task.status, task.error ?? '').toBe('ok')
      expect((await readFile(task.dst!)).equals(await readFile(src)), 'copied byte for byte').toBe(true)
      return
    }
    if (source.expect === 'fails') {
      expect(task.status, 'fails').toBe('fail')
      expect(task.error, 'naming the ffmpeg used').toContain(`(${binary})`)
      // ffmpeg's words; or, when it decoded nothing and said nothing (garbage where the frames were), that.
      expect(task.error, 'in ffmpeg’s words').toMatch(/\) (said: \S|gave no reason\.)/)
      return
    }
    expect(task.status, task.error ?? '').toBe('ok')
    const child = task.type === 'convert' ? tasks.find((t) => t.parentId === task.id) : undefined
    const out = child?.dst ?? task.dst!
    const copied = task.type === 'copy' || child?.src === src

    if (copied) {
      if (!PLANNED_BY_EXTENSION.has(source.rel))
        expect(source.lossless, 'only lossy sources are copied').toBe(false)
      expect(out.endsWith(REAL_NAME[source.rel] ?? source.rel), out).toBe(true)
      expect((await readFile(out)).equals(await readFile(src)), 'copied byte for byte').toBe(true)
      await play(binary, out)
      return
    }
    expect(source.lossless, 'a lossy source is copied, not transcoded').toBe(true)
    expect(extname(out)).toBe(EXTENSION[preset])
    const o = await play(binary, out)
    const known = (l: string) =>
      COVR_WARNING.test(l) || (source.expect === 'tiny' && TINY_MP3_WARNING.test(l))
    expect(
      o.warnings.filter((l) => !known(l)),
      'plays without a warning',
    ).toEqual([])
    const format = (await parseFile(out, { duration: false, skipCovers: true })).format
    expect(format.codec).toMatch(CODEC[preset]!)
    // Every source here is 44.1 kHz, or DSD64 (2.8224 MHz), which players want as 44.1 kHz: Opus is 48 kHz.
    expect(format.sampleRate, 'its sample rate').toBe(preset === 'opus-128' ? 48000 : 44100)
    const s = await playSource(binary, src)
    const off = Math.abs(o.seconds - s.seconds)
    expect(off, `${o.seconds} s for ${s.seconds} s`).toBeLessThanOrEqual(FRAME[preset]! + 0.001)

    const after = await readTags(out)
    if (source.tags === 'full') {
      const before = await readTags(src)
      for (const [k, v] of Object.entries(before.tags)) expect(after.tags[k], `its ${k}`).toBe(v)
    }
    if (source.tags === 'empty') expect(after.tags, 'no tags').toEqual({})
    if (source.tags === 'broken') {
      // What a damaged tag block still yields: if a cover comes out, it is the whole cover.
      if (after.cover) expect(after.cover.equals(lib.cover), 'a whole cover').toBe(true)
    } else if (source.cover) {
      expect(after.cover?.equals(source.cover), 'its cover, byte for byte').toBe(true)
      expect(task.result ?? '', 'nothing said about a cover that is there').not.toMatch(/cover/)
    } else expect(after.cover, 'no cover').toBeUndefined()
  }

  it('`ferry convert` reads a file for what it is, whatever its extension says', async () => {
    await engine.api.invoke('settings.set', { ffmpegPath: system ?? FFMPEG })
    const odd = ['Odd/A FLAC named.mp3', 'Odd/An MP3 named.flac'].map((rel) => join(lib.root, rel))
    const dst = join(tmp.path, 'out', 'convert')
    const r = await run(engine, { mode: 'convert', sources: odd, destination: dst, preset: 'mp3-v0' })
    expect(r.tasks.map((t) => t.error ?? t.status)).toEqual(r.tasks.map(() => 'ok'))
    const [flac, mp3] = odd.map((src) => r.tasks.find((t) => t.src === src)!)
    const flacOut = r.tasks.find((t) => t.parentId === flac!.id)!
    expect(flacOut.src, 'the FLAC named .mp3 is transcoded').not.toBe(flac!.src)
    expect((await readAudio(flacOut.dst!)).codec).toMatch(/MPEG 1 Layer 3/)
    expect((await readTags(flacOut.dst!)).cover?.equals(lib.cover)).toBe(true)
    const mp3Out = r.tasks.find((t) => t.parentId === mp3!.id)!
    expect(mp3Out.src, 'the MP3 named .flac is copied as it is').toBe(mp3!.src)
    expect(mp3Out.dst, 'under the name its content calls for').toBe(join(dst, 'An MP3 named.mp3'))
    expect(mp3!.result).toMatch(/named \.mp3, as its content is/)
  })
})
