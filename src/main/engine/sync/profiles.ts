import { FerryError } from '../../../shared/errors'
import { type Profile, type ProfileSpec, profileSpec } from '../../../shared/profiles'
import type { Db } from '../db/open'

interface Row {
  id: number
  name: string
  spec: string
  created_at: number
  updated_at: number
  last_sync_at: number | null
}

const toProfile = (r: Row): Profile => ({
  ...(JSON.parse(r.spec) as ProfileSpec),
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastSyncAt: r.last_sync_at,
})

function validSpec(candidate: unknown): ProfileSpec {
  const parsed = profileSpec.safeParse(candidate)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'profile'}: ${i.message}`)
    throw new FerryError('invalid_input', `Invalid profile: ${issues.join('; ')}`)
  }
  return parsed.data
}

/** Sync profiles, kept in SQLite. */
export class ProfileStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Profile[] {
    return (this.db.prepare('SELECT * FROM profiles ORDER BY name').all() as Row[]).map(toProfile)
  }

  /** By name or id. */
  get(ref: string | number): Profile {
    const r = this.db
      .prepare(
        typeof ref === 'number'
          ? 'SELECT * FROM profiles WHERE id = ?'
          : 'SELECT * FROM profiles WHERE name = ?',
      )
      .get(ref) as Row | undefined
    if (!r) {
      const names = this.list().map((p) => p.name)
      throw new FerryError(
        'not_found',
        `No profile ${typeof ref === 'number' ? `#${ref}` : `named "${ref}"`}${names.length ? ` (profiles: ${names.join(', ')})` : ''}.`,
      )
    }
    return toProfile(r)
  }

  find(name: string): Profile | undefined {
    const r = this.db.prepare('SELECT * FROM profiles WHERE name = ?').get(name) as Row | undefined
    return r && toProfile(r)
  }

  create(name: string, spec: unknown): Profile {
    const s = validSpec(spec)
    if (this.find(name)) throw new FerryError('invalid_input', `A profile named "${name}" already exists.`)
    const now = this.now()
    const id = this.db
      .prepare('INSERT INTO profiles (name, spec, created_at, updated_at) VALUES (?, ?, ?, ?)')
      .run(name, JSON.stringify(s), now, now).lastInsertRowid
    return this.get(Number(id))
  }

  update(name: string, change: { rename?: string; spec?: Partial<ProfileSpec> }): Profile {
    const current = this.get(name)
    const { id: _i, name: _n, createdAt: _c, updatedAt: _u, lastSyncAt: _l, ...spec } = current
    const next = validSpec({ ...spec, ...change.spec })
    const newName = change.rename ?? name
    if (newName !== name && this.find(newName))
      throw new FerryError('invalid_input', `A profile named "${newName}" already exists.`)
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE profiles SET name = ?, spec = ?, updated_at = ? WHERE id = ?')
        .run(newName, JSON.stringify(next), this.now(), current.id)
      // Another destination is another device: what Ferry wrote on the old one says nothing of it.
      if (next.destination !== current.destination)
        this.db.prepare('DELETE FROM sync_index WHERE profile_id = ?').run(current.id)
    })()
    return this.get(current.id)
  }

  /** Forgets a profile and its index; the files it wrote stay where they are. */
  delete(name: string): { deleted: string; forgotten: number } {
    const p = this.get(name)
    const forgotten = (
      this.db.prepare('SELECT count(*) AS n FROM sync_index WHERE profile_id = ?').get(p.id) as { n: number }
    ).n
    this.db.prepare('DELETE FROM profiles WHERE id = ?').run(p.id)
    return { deleted: p.name, forgotten }
  }

  synced(id: number): void {
    this.db.prepare('UPDATE profiles SET last_sync_at = ? WHERE id = ?').run(this.now(), id)
  }
}
