// The record of what triggers did: the newest firings of each profile, kept in SQLite so the CLI
// (which may run an engine of its own for one command) and a restarted app see them too.
import type { TriggerFired, TriggerKind } from '../../../shared/model'
import type { Db } from '../db/open'

/** Firings kept per profile. */
export const KEEP = 10

interface Row {
  profile: string
  trigger: TriggerKind
  detail: string
  outcome: TriggerFired['outcome']
  reason: string | null
  batch_id: number | null
  at: number
}

export class TriggerLog {
  constructor(private readonly db: Db) {}

  add(profileId: number, f: TriggerFired): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO trigger_log (profile_id, trigger, detail, outcome, reason, batch_id, at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(profileId, f.trigger, f.detail, f.outcome, f.reason, f.batchId, f.at)
      this.db
        .prepare(
          `DELETE FROM trigger_log WHERE profile_id = ? AND id NOT IN
             (SELECT id FROM trigger_log WHERE profile_id = ? ORDER BY id DESC LIMIT ${KEEP})`,
        )
        .run(profileId, profileId)
    })()
  }

  /** Newest first, at most KEEP, named by the profile's current name. */
  recent(profileId: number): TriggerFired[] {
    const rows = this.db
      .prepare(
        `SELECT p.name AS profile, l.trigger, l.detail, l.outcome, l.reason, l.batch_id, l.at
         FROM trigger_log l JOIN profiles p ON p.id = l.profile_id
         WHERE l.profile_id = ? ORDER BY l.id DESC LIMIT ${KEEP}`,
      )
      .all(profileId) as Row[]
    return rows.map((r) => ({
      profile: r.profile,
      trigger: r.trigger,
      detail: r.detail,
      outcome: r.outcome,
      reason: r.reason,
      batchId: r.batch_id,
      at: r.at,
    }))
  }
}
