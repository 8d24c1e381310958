// What running each ffmpeg found, kept between engines. Running one takes ≈ 20 ms (the static build)
// to ≈ 60 ms (a build linked to a hundred shared libraries), on the way to a one-shot `ferry convert`'s
// first encode and on a core its encoders want. A binary is known again by its identity (the real
// file's device, inode, size, mtime and ctime: any reinstall or upgrade of it changes them) for a
// day at most: a distribution's ffmpeg whose libraries alone were upgraded is looked at again by
// tomorrow. A run that failed is not kept (it may have been a moment's trouble).
import { mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export const MEMO_MAX_AGE_MS = 24 * 60 * 60 * 1000

export interface LookMemo<T> {
  /** The identity of the file at `path` now, or undefined when it cannot be read (then nothing is kept). */
  identity(path: string): string | undefined
  get(id: string): T | undefined
  set(id: string, value: T): void
  /** Writes what changed (by a rename: a reader sees the old file or the new, never half). */
  save(): void
}

interface Stored<T> {
  at: number
  value: T
}

/** A memo kept in one JSON file (unreadable or damaged: empty). */
export function fileMemo<T>(file: string, now: () => number = Date.now): LookMemo<T> {
  let entries: Record<string, Stored<T>> | undefined
  let dirty = false
  const load = () => {
    if (entries) return entries
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { entries?: Record<string, Stored<T>> }
      entries = parsed.entries && typeof parsed.entries === 'object' ? parsed.entries : {}
    } catch {
      entries = {}
    }
    return entries
  }
  return {
    identity(path) {
      try {
        const real = realpathSync(path)
        const s = statSync(real)
        return [real, s.dev, s.ino, s.size, s.mtimeMs, s.ctimeMs].join('|')
      } catch {
        return undefined
      }
    },
    get(id) {
      const hit = load()[id]
      if (!hit || typeof hit.at !== 'number') return undefined
      const age = now() - hit.at
      return age >= 0 && age < MEMO_MAX_AGE_MS ? hit.value : undefined
    },
    set(id, value) {
      load()[id] = { at: now(), value }
      dirty = true
    },
    save() {
      if (!dirty) return
      dirty = false
      const at = now()
      const kept = Object.fromEntries(
        Object.entries(load()).filter(([, e]) => at - e.at >= 0 && at - e.at < MEMO_MAX_AGE_MS),
      )
      const tmp = `${file}.${process.pid}.tmp`
      try {
        mkdirSync(dirname(file), { recursive: true })
        writeFileSync(tmp, `${JSON.stringify({ entries: kept })}\n`)
        renameSync(tmp, file)
      } catch {
        // A memo that cannot be written only means looking again next time.
      }
    },
  }
}
