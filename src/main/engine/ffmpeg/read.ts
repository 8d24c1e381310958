// What ffmpeg itself makes of a file: asked when Ferry's own reader (music-metadata) cannot read it
// (a damaged tag block, bytes it does not know), since what counts is whether ffmpeg can decode it.
// And which ffmpeg that is, in words a failure can carry: "ffmpeg 5.1.9-0+deb12u1 (/usr/bin/ffmpeg)".
import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { parseVersion } from './inspect'

const run = promisify(execFile)

export interface FfmpegRead {
  /** Which ffmpeg read it, as `ffmpegName` says. */
  ffmpeg: string
  /** The demuxer ffmpeg chose ("flac", "mov,mp4,m4a,3gp,3g2,mj2", "ogg"…). */
  format: string | null
  /** Seconds; 0 when ffmpeg does not know. */
  duration: number
  /** The first audio stream, when ffmpeg found one it can decode (a codec, a sample rate). */
  audio: { codec: string; sampleRate: number } | null
  /** What ffmpeg said about the file, in its own words (the banner and the stream listing left out). */
  words: string
}

/** The words ffmpeg prints for any input without an output: not about the file. */
const NOISE =
  /^(At least one output file must be specified|Consider increasing the value for the 'analyzeduration'|Guessed Channel Layout|Estimating duration from bitrate|Use -h to get full help)/

/** Lines ffmpeg prints about a file (its demuxers' and decoders' messages, and a last "<file>: error"). */
export function ffmpegWords(stderr: string, file?: string): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && (l.startsWith('[') || (file !== undefined && l.startsWith(`${file}:`))))
    .map((l) => l.replace(/^\[([^\]@]+?) @ 0x[0-9a-f]+\]\s*/, '[$1] '))
    .filter((l) => !NOISE.test(l.replace(/^\[[^\]]*\]\s*/, '')))
    .slice(-4)
    .join(' | ')
}

/** Parses what `ffmpeg -i FILE` prints (with its banner): see FfmpegRead. */
export function parseFfmpegRead(stderr: string, ffmpegPath: string, file: string): FfmpegRead {
  const version = parseVersion(stderr)
  const format = /^Input #0, (.+), from '/m.exec(stderr)?.[1] ?? null
  const d = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr)
  const duration = d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : 0
  const a = /Stream #0:\d+[^:]*: Audio: ([\w-]+)[^\n]*?, (\d+) Hz/.exec(stderr)
  return {
    ffmpeg: label(ffmpegPath, version),
    format,
    duration,
    audio: a ? { codec: a[1]!, sampleRate: Number(a[2]) } : null,
    words: ffmpegWords(stderr, file),
  }
}

const label = (path: string, version: string | undefined) =>
  version ? `ffmpeg ${version} (${path})` : `the ffmpeg at ${path}`

/** Runs `ffmpeg -i FILE` and reads what it says. Never rejects: a failure to run is in `words`. */
export function readWithFfmpeg(ffmpegPath: string, file: string, timeoutMs = 60_000): Promise<FfmpegRead> {
  return new Promise((resolve) => {
    let stderr = ''
    const child = spawn(ffmpegPath, ['-nostdin', '-i', file], { stdio: ['ignore', 'ignore', 'pipe'] })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 256 * 1024) stderr += d
    })
    child.on('error', (err) => {
      clearTimeout(timer)
      resolve({
        ffmpeg: label(ffmpegPath, undefined),
        format: null,
        duration: 0,
        audio: null,
        words: err.message,
      })
    })
    child.on('close', () => {
      clearTimeout(timer)
      resolve(parseFfmpegRead(stderr, ffmpegPath, file))
    })
  })
}

const names = new Map<string, Promise<string>>()

/** "ffmpeg 5.1.9-0+deb12u1 (/usr/bin/ffmpeg)": which ffmpeg a failure came from (asked once per path). */
export function ffmpegName(ffmpegPath: string): Promise<string> {
  let name = names.get(ffmpegPath)
  if (!name) {
    name = run(ffmpegPath, ['-hide_banner', '-version'], { timeout: 15_000 })
      .then((r) => label(ffmpegPath, parseVersion(r.stdout)))
      .catch(() => label(ffmpegPath, undefined))
    names.set(ffmpegPath, name)
  }
  return name
}
