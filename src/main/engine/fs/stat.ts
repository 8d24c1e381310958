import { constants } from 'node:fs'
import { access, lstat, opendir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { PathInfo } from '../../../shared/browse'
import { errorCode } from '../ops/fsutil'
import { specialKind } from '../ops/special'
import { isAudioName } from '../../../shared/audio'

/** Directory entries looked at, at most, to learn whether a folder holds audio (it stops at the first). */
const AUDIO_LOOKUP_BUDGET = 5000

/** What each path is, whether it can be added, and whether it holds audio. Stat and names only. */
export function statPaths(paths: string[]): Promise<PathInfo[]> {
  return Promise.all(paths.map((p) => statPath(resolve(p))))
}

async function statPath(path: string): Promise<PathInfo> {
  let s
  try {
    s = await stat(path)
  } catch (err) {
    const code = errorCode(err)
    const link = await lstat(path).catch(() => undefined)
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return {
        path,
        kind: 'missing',
        size: 0,
        audio: false,
        problem: link ? `${path} is a link to nothing.` : `${path} is not there.`,
      }
    return {
      path,
      kind: 'unreadable',
      size: 0,
      audio: false,
      problem:
        code === 'EACCES' || code === 'EPERM'
          ? `${path} cannot be read (permission denied).`
          : `${path} cannot be read (${(err as Error).message}).`,
    }
  }
  if (!s.isFile() && !s.isDirectory())
    return {
      path,
      kind: 'special',
      size: 0,
      audio: false,
      problem: `${path} is ${specialKind(s) ?? 'not a file'}.`,
    }
  const folder = s.isDirectory()
  const readable = await access(path, folder ? constants.R_OK | constants.X_OK : constants.R_OK).then(
    () => true,
    () => false,
  )
  if (!readable)
    return {
      path,
      kind: 'unreadable',
      size: 0,
      audio: false,
      problem: `${path} cannot be read (permission denied).`,
    }
  if (!folder) return { path, kind: 'file', size: s.size, audio: isAudioName(path) }
  return { path, kind: 'folder', size: 0, audio: await holdsAudio(path) }
}

/** An audio file at or below the folder: breadth first, by names only, within a budget of entries. */
async function holdsAudio(root: string): Promise<boolean> {
  const queue = [root]
  let budget = AUDIO_LOOKUP_BUDGET
  while (queue.length && budget > 0) {
    const dir = queue.shift()!
    let handle
    try {
      handle = await opendir(dir)
    } catch {
      continue
    }
    for await (const e of handle) {
      if (--budget < 0) break
      if ((e.isFile() || e.isSymbolicLink()) && isAudioName(e.name)) return true // leaving the loop closes the folder
      if (e.isDirectory()) queue.push(join(dir, e.name))
    }
  }
  return false
}
