import { constants, type Dirent } from 'node:fs'
import { access, lstat, opendir, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { isAudioName } from '../../../shared/audio'
import { FerryError } from '../../../shared/errors'
import type { FolderEntry, FolderListing } from '../../../shared/browse'
import { errorCode, TEMP_PREFIX } from '../ops/fsutil'

/** Subfolders a listing holds at most (the first, by name); a folder with more says it was cut. */
export const MAX_FOLDERS = 5000

const bad = (message: string) => new FerryError('invalid_input', message)

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

/** Why a folder cannot be listed, in one sentence. */
export function folderError(dir: string, err: unknown): FerryError {
  const code = errorCode(err)
  if (code === 'ENOENT') return bad(`The folder ${dir} is not there.`)
  if (code === 'ENOTDIR') return bad(`${dir} is a file, not a folder.`)
  if (code === 'EACCES' || code === 'EPERM')
    return bad(`The folder ${dir} cannot be read (permission denied).`)
  return bad(`The folder ${dir} cannot be read (${(err as Error).message}).`)
}

/**
 * One folder of this machine: its subfolders (links to folders too), and how many files lie directly
 * in it and their bytes, from the directory entries and stat alone: no file is ever opened.
 */
export async function listFolder(path: string): Promise<FolderListing> {
  const dir = resolve(path)
  const entries: Dirent[] = []
  try {
    for await (const e of await opendir(dir)) entries.push(e)
  } catch (err) {
    throw folderError(dir, err)
  }
  const folders: FolderEntry[] = []
  let files = 0
  let bytes = 0
  let audioFiles = 0
  for (const e of entries) {
    if (e.name.startsWith(TEMP_PREFIX)) continue // Ferry's own temporary files
    const full = join(dir, e.name)
    const s = e.isSymbolicLink() ? await stat(full).catch(() => undefined) : undefined
    if (e.isDirectory() || s?.isDirectory()) {
      folders.push({ name: e.name, path: full, readable: true })
    } else if (e.isFile() || s?.isFile()) {
      files++
      bytes += s?.size ?? (await lstat(full).catch(() => undefined))?.size ?? 0
      if (isAudioName(e.name)) audioFiles++
    }
  }
  folders.sort((a, b) => byName.compare(a.name, b.name))
  const truncated = folders.length > MAX_FOLDERS
  const shown = folders.slice(0, MAX_FOLDERS)
  await Promise.all(
    shown.map(async (f) => {
      f.readable = await access(f.path, constants.R_OK | constants.X_OK).then(
        () => true,
        () => false,
      )
    }),
  )
  const parent = dirname(dir)
  return {
    path: dir,
    parent: parent === dir ? null : parent,
    folders: shown,
    files,
    bytes,
    audioFiles,
    truncated,
  }
}
