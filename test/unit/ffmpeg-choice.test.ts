// Which ffmpeg Ferry uses, among real files: the bundled 4.1 and small shell scripts that answer
// `-version` and `-encoders` as an ffmpeg would (a newer one, an old one, one without libopus…).
import { appendFileSync, existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { inspectFfmpeg, parseLibavutil, REQUIRED_ENCODERS } from '../../src/main/engine/ffmpeg/inspect'
import { ffmpegCandidates } from '../../src/main/engine/ffmpeg/locate'
import { fileMemo, MEMO_MAX_AGE_MS } from '../../src/main/engine/ffmpeg/memo'
import type { FfmpegInfo } from '../../src/shared/model'
import { FFMPEG } from '../helpers/audio'
import { fakeFfmpeg as makeFake } from '../helpers/fake-ffmpeg'
import { tempDir } from '../helpers/ferry'

const tmp = tempDir('ferry-ffmpeg-choice-')
afterAll(() => tmp.remove())
const fakeFfmpeg = (fake: Parameters<typeof makeFake>[1]) => makeFake(tmp.path, fake)

const NEW = { version: '7.1', avutil: '59. 39.100' }

/** What Ferry chooses with this setting and environment; `bundled: null` as if no build shipped. */
async function choice(
  setting: string | undefined,
  env: NodeJS.ProcessEnv,
  bundled: string | null = FFMPEG,
): Promise<FfmpegInfo> {
  return inspectFfmpeg(await ffmpegCandidates(setting, env, { bundled }))
}

const verdicts = (info: FfmpegInfo) =>
  Object.fromEntries(info.candidates.map((c) => [c.source, `${c.verdict}: ${c.reason}`]))

describe('the ffmpeg Ferry uses', () => {
  it('is the newest that works: a newer one on PATH over the bundled 4.1; a bad FFMPEG_PATH is reported', async () => {
    const onPath = fakeFfmpeg(NEW)
    const info = await choice(undefined, { FFMPEG_PATH: '/nonexistent/ffmpeg', PATH: onPath.dir })
    if (!info.ok) throw new Error(info.error)
    expect(info.path).toBe(onPath.path)
    expect(info.source).toBe('path')
    expect(info.version).toBe('7.1')
    expect(info.reason).toBe('the newest of the 2 that run and have every encoder Ferry uses')
    expect(verdicts(info)).toEqual({
      env: 'missing: not found',
      bundled: 'older: older than the one chosen',
      path: `chosen: ${info.reason}`,
    })
    const bundled = info.candidates.find((c) => c.source === 'bundled')!
    expect(bundled).toMatchObject({
      path: FFMPEG,
      version: 'N-47683-g0e8eb07980-static',
      release: '4.x, 2018',
    })
    expect(info.candidates.find((c) => c.source === 'path')!.release).toBe('7.x, 2024')
  })

  it('passes over one too old, one lacking an encoder, one that fails to run, one that is no executable', async () => {
    const old = fakeFfmpeg({ version: '3.4.8', avutil: '55. 78.100', year: 2020 })
    const noOpus = fakeFfmpeg({ ...NEW, lacking: ['libopus'] })
    const broken = fakeFfmpeg({ broken: true })
    const notExecutable = join(tmp.path, 'not-executable')
    writeFileSync(notExecutable, '#!/bin/sh\n')
    for (const [candidate, verdict] of [
      [old, 'too-old: too old (3.x, 2020): Ferry needs ffmpeg 4.0 or later'],
      [noOpus, 'lacks-encoders: lacks libopus'],
      [broken, /^failed: failed to run: Command failed: .*ffmpeg -encoders/],
    ] as const) {
      const info = await choice(undefined, { PATH: candidate.dir })
      expect(info.ok && info.source, String(verdict)).toBe('bundled')
      expect(info.ok && info.reason).toBe('the only one that runs and has every encoder Ferry uses')
      expect(verdicts(info).path).toMatch(verdict)
    }
    for (const path of [notExecutable, tmp.path]) {
      const info = await choice(undefined, { FFMPEG_PATH: path, PATH: '' })
      expect(info.ok && info.source).toBe('bundled')
      expect(verdicts(info).env).toBe('not-executable: not an executable file')
    }
  })

  it('honours the path set in Settings when it runs, even an older one', async () => {
    const onPath = fakeFfmpeg(NEW)
    const info = await choice(FFMPEG, { PATH: onPath.dir })
    expect(info.ok && info.source).toBe('setting')
    expect(info.ok && info.path).toBe(FFMPEG)
    expect(verdicts(info)).toEqual({
      setting: 'chosen: set in Settings',
      bundled: 'duplicate: the same file as the path set in Settings',
      path: 'overridden: works, but the path set in Settings comes first',
    })
    const lacking = fakeFfmpeg({ ...NEW, lacking: ['libvorbis', 'alac'] })
    const told = await choice(lacking.path, { PATH: onPath.dir })
    expect(told.ok && told.path).toBe(lacking.path)
    expect(told.ok && told.reason).toBe('set in Settings, though it lacks libvorbis, alac')
  })

  it('falls back when the path set in Settings does not work, and says so', async () => {
    const onPath = fakeFfmpeg(NEW)
    const info = await choice('/nonexistent/ffmpeg', { PATH: onPath.dir })
    expect(info.ok && info.path).toBe(onPath.path)
    expect(info.ok && info.reason).toBe(
      'the newest of the 2 that run and have every encoder Ferry uses; the path set in Settings was passed over (not found)',
    )
    expect(verdicts(info).setting).toBe('missing: not found')
  })

  it('of equals, takes the first found; one file named twice is looked at once', async () => {
    const a = fakeFfmpeg(NEW)
    const b = fakeFfmpeg(NEW)
    const info = await choice(undefined, { FFMPEG_PATH: a.path, PATH: b.dir }, null)
    expect(info.ok && info.source).toBe('env')
    expect(verdicts(info).path).toBe('older: older than the one chosen')
    const same = await choice(undefined, { FFMPEG_PATH: a.path, PATH: a.dir }, null)
    expect(verdicts(same).path).toBe('duplicate: the same file as FFMPEG_PATH')
  })

  it('uses one lacking an encoder when nothing better runs, saying what will fail', async () => {
    const noOpus = fakeFfmpeg({ ...NEW, lacking: ['libopus'] })
    const info = await choice(undefined, { PATH: noOpus.dir }, null)
    expect(info.ok && info.reason).toBe(
      'the newest that runs, though it lacks libopus (presets that need it fail)',
    )
  })

  it('with none that runs, is not found, and lists every one tried with why', async () => {
    const broken = fakeFfmpeg({ broken: true })
    const info = await choice(undefined, { FFMPEG_PATH: '/nonexistent/ffmpeg', PATH: broken.dir }, null)
    if (info.ok) throw new Error('expected no ffmpeg')
    expect(info.tried[0]).toBe('/nonexistent/ffmpeg (FFMPEG_PATH): not found')
    expect(info.tried[1]).toMatch(/^\S+\/ffmpeg \(ffmpeg on PATH\): failed to run: /)
  })

  it('needs every encoder a codec of Ferry is made with', () => {
    expect([...REQUIRED_ENCODERS].sort()).toEqual([
      'aac',
      'alac',
      'flac',
      'libmp3lame',
      'libopus',
      'libvorbis',
    ])
  })

  it('orders builds by libavutil, or by the release number when a build prints no library versions', () => {
    expect(parseLibavutil('ffmpeg version N-47683\nlibavutil      56. 24.101 / 56. 24.101\n')).toEqual([
      56, 24, 101,
    ])
    expect(parseLibavutil('ffmpeg version n7.1.1 Copyright (c) 2000-2025\n')).toEqual([59, 1, 1])
    expect(parseLibavutil('ffmpeg version N-12345-gabcdef\n')).toBeUndefined()
  })

  it('runs a binary once: the next engine takes what it found from the memo, until the file changes or a day passes', async () => {
    const fake = fakeFfmpeg(NEW)
    // Each run of the fake leaves a line: the memo's worth is the runs it spares.
    const runs = join(fake.dir, 'runs.log')
    const script = readFileSync(fake.path, 'utf8')
    writeFileSync(fake.path, script.replace('#!/bin/sh\n', `#!/bin/sh\necho run >> '${runs}'\n`))
    const count = () => (existsSync(runs) ? readFileSync(runs, 'utf8').split('\n').length - 1 : 0)
    const file = join(tmp.path, 'memo', 'ffmpeg-seen.json')
    let clock = 1_000_000
    const inspect = async () =>
      inspectFfmpeg(
        await ffmpegCandidates(undefined, { PATH: fake.dir }, { bundled: null }),
        fileMemo(file, () => clock),
      )
    const first = await inspect()
    expect(count()).toBe(1)
    // Another engine (a new memo object, read from the file): the same answer, and no run.
    const again = await inspect()
    expect(count()).toBe(1)
    expect(again).toEqual(first)
    expect(again.ok && again.version).toBe('7.1')
    // The binary replaced (an upgrade): looked at again.
    appendFileSync(fake.path, '# upgraded\n')
    utimesSync(fake.path, new Date(), new Date(Date.now() + 5000))
    await inspect()
    expect(count()).toBe(2)
    await inspect()
    expect(count()).toBe(2)
    // A day later, looked at again (its libraries may have changed without it).
    clock += MEMO_MAX_AGE_MS
    await inspect()
    expect(count()).toBe(3)
    // One that failed to run is not remembered: the next engine tries it again.
    const broken = fakeFfmpeg({ broken: true })
    const brokenRuns = join(broken.dir, 'runs.log')
    writeFileSync(
      broken.path,
      readFileSync(broken.path, 'utf8').replace('#!/bin/sh\n', `#!/bin/sh\necho run >> '${brokenRuns}'\n`),
    )
    const tryBroken = async () =>
      inspectFfmpeg(
        await ffmpegCandidates(undefined, { PATH: broken.dir }, { bundled: null }),
        fileMemo(file, () => clock),
      )
    expect((await tryBroken()).ok).toBe(false)
    expect((await tryBroken()).ok).toBe(false)
    expect(readFileSync(brokenRuns, 'utf8').split('\n').length - 1).toBe(2)
    // A damaged memo is no memo.
    writeFileSync(file, '{ not json')
    expect((await inspect()).ok).toBe(true)
    expect(count()).toBe(4)
  })
})
