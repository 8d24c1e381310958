// Names that are valid on the target filesystem, decided the same way on every run.
import type { Naming } from '../../../shared/profiles'

// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const WINDOWS_INVALID = /[<>:"/\\|?*\u0000-\u001f]/g
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i
/** FAT32, exFAT and NTFS count names in UTF-16 units; ext4 and friends in bytes. */
const MAX_COMPONENT = 255
/** Kept below Windows' 260-character MAX_PATH, leaving room for a drive and a root folder. */
const MAX_RELATIVE_PATH = 200

export const caseInsensitive = (naming: Naming) => naming !== 'posix'

/** One path component made valid for the target. Never empty, never `.` or `..`. */
export function sanitizeComponent(name: string, naming: Naming): string {
  let n = name.normalize('NFC')
  if (naming === 'posix') {
    n = n.replace(/[/\u0000]/g, '_') // eslint-disable-line no-control-regex
  } else {
    n = n.replace(WINDOWS_INVALID, '_').replace(/[. ]+$/, '')
    const dot = n.indexOf('.')
    const base = dot === -1 ? n : n.slice(0, dot)
    if (RESERVED.test(base.trim())) n = `${base}_${dot === -1 ? '' : n.slice(dot)}`
  }
  if (n === '' || n === '.' || n === '..') n = '_'
  return truncate(n, naming === 'posix' ? (s) => Buffer.byteLength(s) : (s) => s.length, MAX_COMPONENT)
}

/** Shortens a name to `max` units, keeping its extension. */
function truncate(name: string, size: (s: string) => number, max: number): string {
  if (size(name) <= max) return name
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : ''
  let stem = [...name.slice(0, name.length - ext.length)]
  while (stem.length > 1 && size(stem.join('') + ext) > max) stem = stem.slice(0, -1)
  return stem.join('').replace(/[. ]+$/, '') + ext
}

export function splitExt(name: string): [string, string] {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
}

/**
 * Assigns target paths to source-relative paths. Folders that only the target sees as one (case, or
 * two names sanitising alike) are merged under the first spelling; files that collide get " (2)",
 * " (3)"… Callers pass paths already known to the index first, so existing files keep their names
 * when new ones arrive; within each group the order is sorted, so runs agree.
 */
export class NameAssigner {
  private readonly dirs = new Map<string, string>()
  /** A source folder (as written) → its folder on the target: sanitised once, not once per file. */
  private readonly resolved = new Map<string, string>()
  /** The same for folders of reserved (existing) paths. */
  private readonly reservedDirs = new Map<string, string>()
  private readonly taken = new Set<string>()

  constructor(private readonly naming: Naming) {}

  private key(p: string): string {
    return caseInsensitive(this.naming) ? p.toLowerCase() : p
  }

  /** Reserves a path that must keep its name (a file already on the device), if still free. */
  reserve(target: string): boolean {
    const k = this.key(target)
    if (this.taken.has(k)) return false
    this.taken.add(k)
    const slash = target.lastIndexOf('/')
    const rawDir = slash === -1 ? '' : target.slice(0, slash)
    if (this.reservedDirs.has(rawDir)) return true
    let dir = ''
    for (const part of rawDir ? rawDir.split('/') : []) {
      const next = dir ? `${dir}/${part}` : part
      const k2 = this.key(next)
      if (!this.dirs.has(k2)) this.dirs.set(k2, next)
      dir = this.dirs.get(k2)!
    }
    this.reservedDirs.set(rawDir, dir)
    return true
  }

  /** `rel` uses `/`; `ext` (with its dot) replaces the file's extension when given. */
  assign(rel: string, ext?: string): string {
    const slash = rel.lastIndexOf('/')
    const rawDir = slash === -1 ? '' : rel.slice(0, slash)
    let dir = this.resolved.get(rawDir)
    if (dir === undefined) {
      dir = ''
      for (const part of rawDir ? rawDir.split('/') : []) {
        const clean = sanitizeComponent(part, this.naming)
        const spelled = dir ? `${dir}/${clean}` : clean
        const k = this.key(spelled)
        if (!this.dirs.has(k)) this.dirs.set(k, spelled)
        dir = this.dirs.get(k)!
      }
      this.resolved.set(rawDir, dir)
    }
    const file = rel.slice(slash + 1)
    const [stem0, ext0] = splitExt(file)
    const wanted = sanitizeComponent(stem0 + (ext ?? ext0), this.naming)
    const [stem0b, extension] = splitExt(wanted)
    let stem = stem0b
    const room = MAX_RELATIVE_PATH - (dir.length + 1) - extension.length - 4
    if (this.naming !== 'posix' && stem.length > room) stem = stem.slice(0, Math.max(8, room)).trimEnd()
    for (let n = 1; ; n++) {
      const name = n === 1 ? `${stem}${extension}` : `${stem} (${n})${extension}`
      const target = dir ? `${dir}/${name}` : name
      const k = this.key(target)
      if (!this.taken.has(k)) {
        this.taken.add(k)
        return target
      }
    }
  }
}
