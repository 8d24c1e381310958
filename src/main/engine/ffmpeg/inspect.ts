// Which ffmpeg Ferry uses. Every candidate is run once (`-encoders`, whose banner gives the version); the path set in Settings
// is used if it runs; otherwise the newest that runs, is recent enough and has every encoder Ferry's
// codecs need. Each one passed over is reported with why.
import { execFile } from 'node:child_process'
import { realpathSync } from 'node:fs'
import { promisify } from 'node:util'
import type { AudioEncoder, FfmpegCandidateInfo, FfmpegInfo, FfmpegSource } from '../../../shared/model'
import { ENCODER } from '../convert/args'
import { type FfmpegCandidate, runnable } from './locate'
import type { LookMemo } from './memo'

const run = promisify(execFile)

/** Every encoder a codec Ferry offers is made with (libmp3lame, aac, libopus, libvorbis, flac, alac). */
export const REQUIRED_ENCODERS: readonly string[] = [...new Set(Object.values(ENCODER))]

/** ffmpeg 4.0's libavutil: Ferry is tested with 4.1 (the bundled build) and later. */
const OLDEST_LIBAVUTIL = 56
/** ffmpeg's release line by libavutil major version (3.x had 55, 4.x 56, … 7.x 59). */
const releaseOf = (avutilMajor: number) => `${avutilMajor - 52}.x`

/** Parses `ffmpeg -version`'s first line: "ffmpeg version N-47683-g0e8eb07980-static https://…". */
export function parseVersion(stdout: string): string | undefined {
  return /^ffmpeg version (\S+)/m.exec(stdout)?.[1]
}

/** libavutil's version ("libavutil      56. 24.101 / 56. 24.101"), which orders releases and snapshots alike. */
export function parseLibavutil(stdout: string): [number, number, number] | undefined {
  const m = /^\s*libavutil\s+(\d+)\.\s*(\d+)\.\s*(\d+)/m.exec(stdout)
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])]
  // No library lines (a trimmed build): a release number says as much ("7.1" is libavutil 59).
  const v = /^ffmpeg version n?(\d+)\.(\d+)(?:\.(\d+))?/m.exec(stdout)
  return v ? [Number(v[1]) + 52, Number(v[2]), Number(v[3] ?? 0)] : undefined
}

/** Parses `ffmpeg -encoders`, keeping the audio ones (" A..... libmp3lame  libmp3lame MP3 … (codec mp3)"). */
export function parseAudioEncoders(stdout: string): AudioEncoder[] {
  const out: AudioEncoder[] = []
  for (const line of stdout.split('\n')) {
    const m = /^\s*A[.A-Z]{5}\s+(\S+)\s+(.*)$/.exec(line)
    if (!m || m[1] === '=') continue
    const name = m[1]!
    const description = m[2]!.trim()
    const codec = /\(codec (\S+)\)\s*$/.exec(description)?.[1] ?? name
    out.push({ name, codec, description })
  }
  return out
}

/** One candidate, looked at: `works` until the choice is made. */
interface Looked extends Omit<FfmpegCandidateInfo, 'verdict'> {
  verdict: FfmpegCandidateInfo['verdict'] | 'works'
  encoders: AudioEncoder[]
  /** libavutil's version, to order them; undefined when it did not run. */
  rank?: [number, number, number]
}

const SOURCE_NAME: Record<FfmpegSource, string> = {
  setting: 'the path set in Settings',
  env: 'FFMPEG_PATH',
  bundled: 'the bundled ffmpeg',
  path: 'ffmpeg on PATH',
}

/** What a look at one binary found: the same wherever it is listed from (setting, PATH…). */
export type Found = Omit<Looked, 'path' | 'source'>

async function look(c: FfmpegCandidate, memo?: LookMemo<Found>): Promise<Looked> {
  const base = { ...c, version: null, release: null, missingEncoders: [], encoders: [] }
  const can = runnable(c.path)
  if (can === 'missing') return { ...base, verdict: 'missing', reason: 'not found' }
  if (can === 'not-executable')
    return { ...base, verdict: 'not-executable', reason: 'not an executable file' }
  const id = memo?.identity(c.path)
  const known = id ? memo!.get(id) : undefined
  if (known) return { ...known, path: c.path, source: c.source }
  const looked = await runAndJudge(c, base)
  if (id && looked.verdict !== 'failed') {
    const { path: _p, source: _s, ...found } = looked
    memo!.set(id, found)
  }
  return looked
}

/** Runs the candidate (`-encoders`) and judges what it says. */
async function runAndJudge(c: FfmpegCandidate, base: Omit<Looked, 'verdict' | 'reason'>): Promise<Looked> {
  let version: string | undefined
  let rank: [number, number, number] | undefined
  let encoders: AudioEncoder[]
  let year: string | undefined
  try {
    // One process: the encoders on stdout, and on stderr the banner ffmpeg prints first (its version,
    // copyright years and libraries, as `-version` would say them).
    const e = await run(c.path, ['-encoders'], { timeout: 15_000, maxBuffer: 8 * 1024 * 1024 })
    version = parseVersion(e.stderr)
    if (!version) throw new Error('it did not print an ffmpeg version')
    rank = parseLibavutil(e.stderr)
    if (!rank) throw new Error('it did not say which libavutil it has')
    year = /Copyright \(c\) \d{4}-(\d{4})/.exec(e.stderr)?.[1]
    encoders = parseAudioEncoders(e.stdout)
  } catch (err) {
    return { ...base, verdict: 'failed', reason: `failed to run: ${(err as Error).message.split('\n')[0]}` }
  }
  const release = `${releaseOf(rank[0])}${year ? `, ${year}` : ''}`
  const have = new Set(encoders.map((x) => x.name))
  const missingEncoders = REQUIRED_ENCODERS.filter((x) => !have.has(x))
  const looked = { ...base, version, release, rank, encoders, missingEncoders }
  if (rank[0] < OLDEST_LIBAVUTIL)
    return { ...looked, verdict: 'too-old', reason: `too old (${release}): Ferry needs ffmpeg 4.0 or later` }
  if (missingEncoders.length)
    return { ...looked, verdict: 'lacks-encoders', reason: `lacks ${missingEncoders.join(', ')}` }
  return { ...looked, verdict: 'works', reason: 'works' }
}

const newer = (a: Looked, b: Looked) => {
  for (let i = 0; i < 3; i++) if (a.rank![i] !== b.rank![i]) return a.rank![i]! > b.rank![i]!
  return false
}
/** The newest; of equals, the first found (setting, FFMPEG_PATH, bundled, PATH). */
const newest = (xs: Looked[]) =>
  xs.reduce<Looked | undefined>((best, x) => (!best || newer(x, best) ? x : best), undefined)

/** Chooses among candidates already looked at; returns the chosen one and why. */
function choose(looked: Looked[]): { chosen?: Looked; reason: string } {
  const setting = looked.find((x) => x.source === 'setting')
  if (setting?.rank)
    return {
      chosen: setting,
      reason:
        setting.verdict === 'works' ? 'set in Settings' : `set in Settings, though it ${setting.reason}`,
    }
  const ran = looked.filter((x) => x.rank)
  const works = ran.filter((x) => x.verdict === 'works')
  const recent = ran.filter((x) => x.verdict !== 'too-old')
  let chosen: Looked | undefined
  let reason = ''
  if ((chosen = newest(works)))
    reason =
      works.length > 1
        ? `the newest of the ${works.length} that run and have every encoder Ferry uses`
        : 'the only one that runs and has every encoder Ferry uses'
  else if ((chosen = newest(recent)))
    reason = `the newest that runs, though it ${chosen.reason} (presets that need ${chosen.missingEncoders.length > 1 ? 'them' : 'it'} fail)`
  else if ((chosen = newest(ran))) reason = `the only kind that runs, though it is ${chosen.reason}`
  if (chosen && setting) reason += `; the path set in Settings was passed over (${setting.reason})`
  return { chosen, reason }
}

/**
 * Runs every candidate to learn its version and audio encoders, then chooses (see the top of this
 * file). With a memo, a binary looked at before (the same file, within a day) is not run again.
 */
export async function inspectFfmpeg(
  candidates: FfmpegCandidate[],
  memo?: LookMemo<Found>,
): Promise<FfmpegInfo> {
  // One look per file: FFMPEG_PATH may name the binary that is also on PATH.
  const seen = new Map<string, FfmpegCandidate>()
  const looked = await Promise.all(
    candidates.map((c): Promise<Looked> => {
      let real = c.path
      try {
        real = realpathSync(c.path)
      } catch {
        // missing: look() says so
      }
      const first = seen.get(real)
      if (!first) {
        seen.set(real, c)
        return look(c, memo)
      }
      const reason = `the same file as ${SOURCE_NAME[first.source]}`
      const info = { version: null, release: null, missingEncoders: [], encoders: [] }
      return Promise.resolve({ ...c, ...info, verdict: 'duplicate', reason })
    }),
  )
  memo?.save()
  const { chosen, reason } = choose(looked)
  const report = looked.map(({ encoders: _e, rank: _r, ...x }): FfmpegCandidateInfo => {
    const { verdict } = x
    if (x.source === chosen?.source) return { ...x, verdict: 'chosen', reason }
    if (verdict !== 'works') return { ...x, verdict }
    if (chosen?.source === 'setting')
      return { ...x, verdict: 'overridden', reason: 'works, but the path set in Settings comes first' }
    return { ...x, verdict: 'older', reason: 'older than the one chosen' }
  })
  if (!chosen) {
    return {
      ok: false,
      error: 'ffmpeg was not found. Set its path in Settings, set FFMPEG_PATH, or install ffmpeg on PATH.',
      tried: report.map((c) => `${c.path} (${SOURCE_NAME[c.source]}): ${c.reason}`),
      candidates: report,
    }
  }
  return {
    ok: true,
    path: chosen.path,
    source: chosen.source,
    version: chosen.version!,
    encoders: chosen.encoders,
    reason,
    candidates: report,
  }
}
