import { lstat, realpath, rm, rmdir, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { destinationAway } from './device'
import { errorCode, isInsideOrSame } from './fsutil'
import { fail, type OpRequest, type OpResult } from './types'

/**
 * Deletes one path, and only inside the root the caller named: the path's real location (symlinks in
 * its folders resolved) must lie strictly below the root's real location. A symlink itself is removed,
 * never followed.
 */
export async function deleteOp(req: OpRequest): Promise<OpResult> {
  if (!req.src || !req.root) return fail('A delete needs a path and the root it must stay inside.')
  const away = destinationAway(req)
  if (away) return away
  let target: string
  let root: string
  try {
    root = await realpath(req.root)
    target = join(await realpath(dirname(req.src)), basename(req.src))
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return { kind: 'skip', reason: 'Already gone.' }
    return fail(`Cannot resolve ${req.src}: ${(err as Error).message}`)
  }
  if (target === root || !isInsideOrSame(root, target)) {
    return fail(`Refused: ${req.src} is not inside the destination root ${req.root}.`)
  }
  try {
    const s = await lstat(target)
    if (s.isDirectory()) await rm(target, { recursive: true })
    else await unlink(target)
    if (req.spec.sync) await pruneEmptyFolders(dirname(target), root)
    return { kind: 'ok' }
  } catch (err) {
    const code = errorCode(err)
    if (code === 'ENOENT') return { kind: 'skip', reason: 'Already gone.' }
    if (code === 'EACCES' || code === 'EPERM') return fail(`Permission denied deleting ${req.src}.`)
    return fail((err as Error).message, true)
  }
}

/** Removes the folders a sync's deletion left empty, up to (not including) the root. */
async function pruneEmptyFolders(dir: string, root: string): Promise<void> {
  for (let d = dir; d !== root && isInsideOrSame(root, d); d = dirname(d)) {
    try {
      await rmdir(d) // fails on a folder that is not empty: then its parents are not empty either
    } catch {
      return
    }
  }
}
