import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { AudioEncoder, FfmpegInfo } from '../../../shared/model'
import { type FfmpegCandidate, isExecutable } from './locate'

const run = promisify(execFile)

/** Parses `ffmpeg -version`'s first line: "ffmpeg version N-47683-g0e8eb07980-static https://…". */
export function parseVersion(stdout: string): string | undefined {
  return /^ffmpeg version (\S+)/m.exec(stdout)?.[1]
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

/** Runs the real binary to learn its version and audio encoders; the first candidate that runs wins. */
export async function inspectFfmpeg(candidates: FfmpegCandidate[]): Promise<FfmpegInfo> {
  const tried: string[] = []
  for (const c of candidates) {
    if (!isExecutable(c.path)) {
      tried.push(`${c.path} (${c.source}): not found or not executable`)
      continue
    }
    try {
      const opts = { timeout: 15_000, maxBuffer: 8 * 1024 * 1024 }
      const [v, e] = await Promise.all([
        run(c.path, ['-hide_banner', '-version'], opts),
        run(c.path, ['-hide_banner', '-encoders'], opts),
      ])
      const version = parseVersion(v.stdout)
      if (!version) throw new Error('it did not print an ffmpeg version')
      return { ok: true, path: c.path, source: c.source, version, encoders: parseAudioEncoders(e.stdout) }
    } catch (err) {
      tried.push(`${c.path} (${c.source}): ${(err as Error).message.split('\n')[0]}`)
    }
  }
  return {
    ok: false,
    error: 'ffmpeg was not found. Set its path in Settings, set FFMPEG_PATH, or install ffmpeg on PATH.',
    tried,
  }
}
