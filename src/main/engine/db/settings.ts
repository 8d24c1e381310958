import type { Statement } from 'better-sqlite3'
import type { Db } from './open'

/** The raw key/value store behind the settings (JSON values in the `settings` table). What the
 * settings mean, their defaults and checks, is system/settings.ts (FerrySettings). */
export class SettingsStore {
  // Prepared once: settings are read on every convert task and cache check.
  private readonly read: Statement
  private readonly write: Statement

  constructor(db: Db) {
    this.read = db.prepare('SELECT value FROM settings WHERE key = ?')
    this.write = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    )
  }

  get<T>(key: string): T | undefined {
    const row = this.read.get(key) as { value: string } | undefined
    return row ? (JSON.parse(row.value) as T) : undefined
  }

  set(key: string, value: unknown): void {
    this.write.run(key, JSON.stringify(value))
  }
}
