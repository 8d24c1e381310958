import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import type { FfmpegSource } from '../../../shared/model'

export interface FfmpegCandidate {
  path: string
  source: FfmpegSource
}

export interface LocateOptions {
  /** The bundled binary's path; by default the one the `@ffmpeg-installer/ffmpeg` package ships. */
  bundled?: string | null
}

/**
 * Every ffmpeg Ferry may use, in this order: the user's setting, `FFMPEG_PATH`, the static binary
 * shipped in the `@ffmpeg-installer/ffmpeg` package, then `ffmpeg` on PATH. A path that was set (the
 * setting, `FFMPEG_PATH`) is listed even when nothing is there, so that it can be reported.
 */
export async function ffmpegCandidates(
  setting: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  opts: LocateOptions = {},
): Promise<FfmpegCandidate[]> {
  const out: FfmpegCandidate[] = []
  if (setting) out.push({ path: setting, source: 'setting' })
  if (env.FFMPEG_PATH) out.push({ path: env.FFMPEG_PATH, source: 'env' })
  const bundled = opts.bundled === undefined ? await bundledFfmpeg() : opts.bundled
  if (bundled) out.push({ path: bundled, source: 'bundled' })
  const onPath = findOnPath(process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg', env.PATH ?? '')
  if (onPath) out.push({ path: onPath, source: 'path' })
  return out
}

/** Whether a path may be run: `missing` (nothing there), `not-executable` (a folder, or no x bit), or `ok`. */
export function runnable(path: string): 'ok' | 'missing' | 'not-executable' {
  let isFile
  try {
    isFile = statSync(path).isFile()
  } catch {
    return 'missing'
  }
  if (!isFile) return 'not-executable'
  return isExecutable(path) ? 'ok' : 'not-executable'
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

async function bundledFfmpeg(): Promise<string | undefined> {
  try {
    const path = (await import('./bundled')).bundledPath
    if (!path) return undefined
    // Inside a packaged app the binary is unpacked beside the asar archive, not inside it.
    const unpacked = path.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1')
    return existsSync(unpacked) ? unpacked : path
  } catch {
    return undefined // no build for this platform
  }
}

function findOnPath(name: string, pathVar: string): string | undefined {
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, name)
    if (runnable(candidate) === 'ok') return candidate
  }
  return undefined
}
