// How the planner compares paths and times: the small rules every stage must agree on.
import type { SyncMark } from '../../../../shared/model'
import type { Naming } from '../../../../shared/profiles'
import { sameMtime } from '../../ops/fsutil'
import { caseInsensitive } from '../names'
import type { ScanFile } from '../scan'
import type { IndexRow } from '../sync-index'
import type { Candidate } from './types'

/** A path's extension, lower-cased, without the dot ('' when the last component has none). */
export const extOf = (path: string): string => {
  const dot = path.lastIndexOf('.')
  return dot > path.lastIndexOf('/') ? path.slice(dot + 1).toLowerCase() : ''
}

/**
 * Whether `extOf(path) === ext` for a lower-case `ext`, without cutting a string out of the path: the
 * planner asks it of every up-to-date file.
 */
export function hasExt(path: string, ext: string): boolean {
  if (ext === '' || ext.includes('.') || ext.includes('/')) return extOf(path) === ext
  const dot = path.length - ext.length - 1
  if (dot < 0 || path.charCodeAt(dot) !== 46 /* . */) return false
  for (let k = 0; k < ext.length; k++) {
    let c = path.charCodeAt(dot + 1 + k)
    if (c > 127) return extOf(path) === ext
    if (c >= 65 && c <= 90) c += 32
    if (c !== ext.charCodeAt(k)) return false
  }
  return true
}

/** Source mtimes, kept in whole ms: equal within the rounding of a float round trip. */
export const sameMs = (a: number, b: number): boolean => Math.abs(a - b) <= 1

/**
 * The key under which the target filesystem sees a destination path: NFC and NFD forms of a name
 * are one name, and FAT/exFAT/NTFS fold case.
 */
export function targetKey(naming: Naming): (dst: string) => string {
  const folds = caseInsensitive(naming)
  return (dst) => {
    // eslint-disable-next-line no-control-regex -- ASCII needs no normalising (the common case, and fast)
    const n = /[^\x00-\x7f]/.test(dst) ? dst.normalize('NFC') : dst
    return folds ? n.toLowerCase() : n
  }
}

/** The device still holds the file the row says Ferry wrote there (size, and mtime within FAT's 2 s). */
export function holdsOurs(row: IndexRow | undefined, there: ScanFile | undefined): boolean {
  return !!row && !!there && there.size === row.dstSize && sameMtime(there.mtimeMs, row.dstMtime)
}

/** The row was made from this very source file, unchanged since. */
export const sameSource = (row: IndexRow, c: Candidate): boolean =>
  row.src === c.abs && row.srcSize === c.file.size && sameMs(row.srcMtime, c.file.mtimeMs)

/** What the index records once the file is written: the source version and what made the file. */
export function markFor(profileId: number, dst: string, c: Candidate, madeBy: string): SyncMark {
  return { profileId, dst, src: c.abs, srcSize: c.file.size, srcMtime: c.file.mtimeMs, madeBy }
}
