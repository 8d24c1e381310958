import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

const APP_DIR = 'Ferry'

/**
 * The platform's user-data folder, the same one Electron's `app.getPath('userData')` gives for an app
 * named Ferry, so the desktop app, `ferry serve` and the CLI share one database by default.
 */
export function platformDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR)
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_DIR)
}

/** `--data-dir` wins, then `FERRY_DATA_DIR`, then the platform folder. */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit)
  if (env.FERRY_DATA_DIR) return resolve(env.FERRY_DATA_DIR)
  return platformDataDir(env)
}

export const databaseFile = (dataDir: string) => join(dataDir, 'ferry.db')
/** Folder for the runtime file; readable by the user only. */
export const runDir = (dataDir: string) => join(dataDir, 'run')
export const runtimeFile = (dataDir: string) => join(runDir(dataDir), 'engine.json')
/** What running each ffmpeg found, for the next engine (ffmpeg/memo.ts). */
export const ffmpegMemoPath = (dataDir: string) => join(dataDir, 'cache', 'ffmpeg-seen.json')
