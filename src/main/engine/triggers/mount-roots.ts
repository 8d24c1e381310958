// Where removable devices appear: the folders whose new subfolders may be a profile's card. A setting
// (`mountRoots`, null for the platform's defaults), and FERRY_MOUNT_ROOTS (a path list, like PATH)
// overrides it for one engine: tests and headless servers use it.
import { delimiter, join, resolve } from 'node:path'
import { userInfo } from 'node:os'

export function defaultMountRoots(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'win32')
    // Every drive letter but the system's: a card is a letter of its own, checked as a root itself.
    return 'DEFGHIJKLMNOPQRSTUVWXYZ'.split('').map((l) => `${l}:\\`)
  if (platform === 'darwin') return ['/Volumes']
  let user = process.env.USER
  try {
    user ||= userInfo().username
  } catch {
    // no passwd entry (a container): the per-user roots are left out
  }
  return [...(user ? [join('/media', user), join('/run/media', user)] : []), '/media', '/mnt']
}

export interface MountRoots {
  roots: string[]
  /** Where the list came from, for the note: the environment, the setting, or the defaults. */
  from: 'env' | 'setting' | 'default'
}

/** The roots one engine watches. */
export function mountRoots(setting: string[] | null, env: NodeJS.ProcessEnv = process.env): MountRoots {
  const fromEnv = env.FERRY_MOUNT_ROOTS
  if (fromEnv !== undefined && fromEnv.trim() !== '')
    return { roots: unique(fromEnv.split(delimiter).filter(Boolean)), from: 'env' }
  if (setting) return { roots: unique(setting), from: 'setting' }
  return { roots: defaultMountRoots(), from: 'default' }
}

const unique = (paths: string[]) => [...new Set(paths.map((p) => resolve(p)))]
