import type { SyncMark } from '../../../shared/model'
import type { Db } from '../db/open'

export interface IndexRow {
  dst: string
  src: string
  srcSize: number
  srcMtime: number
  madeBy: string
  dstSize: number
  dstMtime: number
  /** The row's position in the list `rows` returned. */
  pos: number
}

/** `sync_index`: what Ferry wrote for each profile. */
export class SyncIndex {
  constructor(private readonly db: Db) {}

  rows(profileId: number): IndexRow[] {
    const rows = this.db
      .prepare(
        `SELECT dst, src, src_size AS srcSize, src_mtime AS srcMtime, made_by AS madeBy, dst_size AS dstSize,
           dst_mtime AS dstMtime FROM sync_index WHERE profile_id = ? ORDER BY dst`,
      )
      .all(profileId) as IndexRow[]
    for (let i = 0; i < rows.length; i++) rows[i]!.pos = i
    return rows
  }

  /** Just the destination paths, in the order `rows` lists them (one column: quick to load). */
  dsts(profileId: number): string[] {
    return this.db
      .prepare('SELECT dst FROM sync_index WHERE profile_id = ? ORDER BY dst')
      .pluck()
      .all(profileId) as string[]
  }

  /** Called inside the transaction that ends the task. */
  apply(mark: SyncMark, written?: { size: number; mtimeMs: number }): void {
    if (mark.remove) {
      this.db.prepare('DELETE FROM sync_index WHERE profile_id = ? AND dst = ?').run(mark.profileId, mark.dst)
      return
    }
    if (!written || mark.src === undefined) return
    this.db
      .prepare(
        `INSERT INTO sync_index (profile_id, dst, src, src_size, src_mtime, made_by, dst_size, dst_mtime)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(profile_id, dst) DO UPDATE SET src = excluded.src, src_size = excluded.src_size,
           src_mtime = excluded.src_mtime, made_by = excluded.made_by, dst_size = excluded.dst_size,
           dst_mtime = excluded.dst_mtime`,
      )
      .run(
        mark.profileId,
        mark.dst,
        mark.src,
        mark.srcSize ?? 0,
        mark.srcMtime ?? 0,
        mark.madeBy ?? 'copy',
        written.size,
        Math.trunc(written.mtimeMs),
      )
  }
}
