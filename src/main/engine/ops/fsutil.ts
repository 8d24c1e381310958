import { randomBytes } from 'node:crypto'
import { closeSync, constants, fsync, openSync } from 'node:fs'
import { access, lstat, readdir, realpath, rm, stat } from 'node:fs/promises'
import { promisify } from 'node:util'
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path'

/** fsync(2) on an open descriptor, in the thread pool. */
export const fsyncFd = promisify(fsync)

export const TEMP_PREFIX = '.ferry-'
export const TEMP_SUFFIX = '.tmp'

/** A hidden temporary name beside the destination, unique to the task and the attempt. */
export function tempPathFor(dst: string, taskId: number): string {
  return join(dirname(dst), `${TEMP_PREFIX}${taskId}-${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`)
}

/** Removes what earlier attempts of a task left in a folder (a crash between write and rename). */
export async function sweepTemps(dir: string, taskId: number): Promise<void> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return
  }
  const prefix = `${TEMP_PREFIX}${taskId}-`
  await Promise.all(
    names
      .filter((n) => n.startsWith(prefix) && n.endsWith(TEMP_SUFFIX))
      .map((n) => rm(join(dir, n), { force: true })),
  )
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK)
    return true
  } catch {
    return false
  }
}

export async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

/**
 * Flushes a folder's entry table, so a rename into it survives a power cut: the open and close at
 * once, the fsync in the thread pool.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    await fsyncFd(fd)
  } catch {
    // Some filesystems (and Windows) refuse to fsync a folder; the file itself was synced.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** True when `child` is `parent` or lies below it (both already resolved). */
export function isInsideOrSame(parent: string, child: string): boolean {
  const rel = relative(parent, child)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/** Resolves symlinks in the longest existing part of a path, keeping the rest as written. */
export async function realpathLoose(path: string): Promise<string> {
  const abs = resolve(path)
  try {
    return await realpath(abs)
  } catch {
    const parent = dirname(abs)
    if (parent === abs) return abs
    return join(await realpathLoose(parent), basename(abs))
  }
}

/** "Song.flac" → "Song (1).flac", "Song (2).flac", …: the first name not taken. */
export async function freeName(path: string): Promise<string> {
  const ext = extname(path)
  const stem = path.slice(0, path.length - ext.length)
  for (let n = 1; ; n++) {
    const candidate = `${stem} (${n})${ext}`
    try {
      await lstat(candidate)
    } catch {
      return candidate
    }
  }
}

/** FAT keeps mtimes in 2 s steps and local time: equal within 2 s, or exactly an hour apart (DST). */
export function sameMtime(a: number, b: number): boolean {
  const d = Math.abs(a - b)
  return d <= 2000 || Math.abs(d - 3_600_000) <= 2000
}

export function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException)?.code
}
