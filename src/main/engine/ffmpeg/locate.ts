import { accessSync, constants, existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import type { FfmpegSource } from '../../../shared/model'

export interface FfmpegCandidate {
  path: string
  source: FfmpegSource
}

/**
 * Where ffmpeg may be, in the order they are tried: the user's setting, `FFMPEG_PATH`, the static
 * binary shipped in the `@ffmpeg-installer/ffmpeg` package, then `ffmpeg` on PATH.
 */
export async function ffmpegCandidates(
  setting: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<FfmpegCandidate[]> {
  const out: FfmpegCandidate[] = []
  if (setting) out.push({ path: setting, source: 'setting' })
  if (env.FFMPEG_PATH) out.push({ path: env.FFMPEG_PATH, source: 'env' })
  const bundled = await bundledFfmpeg()
  if (bundled) out.push({ path: bundled, source: 'bundled' })
  const onPath = findOnPath(process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg', env.PATH ?? '')
  if (onPath) out.push({ path: onPath, source: 'path' })
  return out
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
    const mod = (await import('@ffmpeg-installer/ffmpeg')) as { path?: string; default?: { path: string } }
    const path = mod.path ?? mod.default?.path
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
    if (isExecutable(candidate)) return candidate
  }
  return undefined
}
