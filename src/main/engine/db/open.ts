import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { FerryError } from '../../../shared/errors'
import { migrations } from './migrations'

export type Db = Database.Database

export interface OpenOptions {
  /** Path of a better-sqlite3 addon built for another ABI (the desktop app passes Electron's). */
  nativeBinding?: string
  /** Describes the engine that holds the database, for the refusal message. */
  describeOwner?: () => string | undefined
}

/**
 * Opens the database and takes sole ownership of it. The lock is SQLite's own exclusive lock
 * (locking_mode=EXCLUSIVE in WAL), held by the OS for as long as the process lives: it cannot go stale,
 * even after `kill -9`, and a second engine gets SQLITE_BUSY at once.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  try {
    mkdirSync(dirname(file), { recursive: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST' || code === 'ENOTDIR')
      throw new FerryError(
        'invalid_input',
        `The data folder ${dirname(file)} is a file, not a folder: name another one with --data-dir or FERRY_DATA_DIR.`,
      )
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
      throw new FerryError(
        'invalid_input',
        `The data folder ${dirname(file)} cannot be created (permission denied): name another one with --data-dir or FERRY_DATA_DIR.`,
      )
    throw err
  }
  const db = new Database(file, { timeout: 0, nativeBinding: opts.nativeBinding })
  try {
    // Exclusive before WAL, so no shared-memory index is created and no other process can read a
    // half-written state either.
    db.pragma('locking_mode = EXCLUSIVE')
    db.pragma('journal_mode = WAL')
    db.exec('BEGIN IMMEDIATE; COMMIT')
  } catch (err) {
    db.close()
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      const owner = opts.describeOwner?.() ?? 'another Ferry engine'
      throw new FerryError(
        'engine_running',
        `The database ${file} is in use by ${owner}. Only one engine may own it: stop that one, or let the CLI talk to it.`,
      )
    }
    throw err
  }
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  return db
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > migrations.length) {
    throw new FerryError(
      'unavailable',
      `The database was written by a newer Ferry (schema ${current}, this one knows ${migrations.length}).`,
    )
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
}
