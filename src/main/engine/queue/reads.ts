// The questions the rest of the engine asks about tasks and batches. Nothing here changes a row:
// the changes of state are Queue's (queue.ts), which extends this.
import type { Batch, Task, TaskStatus } from '../../../shared/model'
import { FerryError } from '../../../shared/errors'
import type { Statement } from 'better-sqlite3'
import type { Db } from '../db/open'
import type { RootIdentity } from '../ops/device'
import { emptyCounts, type TaskRow, toTask } from './rows'
import { filterSql, OPEN, QUEUE_ORDER, Statements, type TaskFilter, type TaskQuery } from './sql'

/** A task with the ids of the tasks it waits for. */
const WITH_DEPS = `SELECT t.*, (SELECT group_concat(depends_on) FROM task_deps WHERE task_id = t.id) AS deps FROM tasks t`

export class QueueReads {
  private readonly statements: Statements

  constructor(
    protected readonly db: Db,
    protected readonly now: () => number = Date.now,
  ) {
    this.statements = new Statements(db)
  }

  protected sql(source: string): Statement {
    return this.statements.get(source)
  }

  get(id: number): Task | undefined {
    const row = this.sql(`${WITH_DEPS} WHERE t.id = ?`).get(id) as TaskRow | undefined
    return row && toTask(row)
  }

  /**
   * A page of tasks. A batch's tasks in queue order come straight from an index (a page deep in a
   * batch of 100k costs a few milliseconds); `search` keeps tasks whose source or destination path
   * contains it (ASCII letters in either case).
   */
  list(q: TaskQuery): { tasks: Task[]; total: number } {
    const { where: w, params } = filterSql(q)
    const order = {
      queue: QUEUE_ORDER,
      newest: 'id DESC',
      oldest: 'id',
    }[q.sort]
    const total = (this.sql(`SELECT count(*) AS n FROM tasks ${w}`).get(...params) as { n: number }).n
    const rows = this.sql(`${WITH_DEPS} ${w} ORDER BY ${order} LIMIT ? OFFSET ?`).all(
      ...params,
      q.limit,
      q.offset,
    ) as TaskRow[]
    return { tasks: rows.map(toTask), total }
  }

  counts(batchId?: number): { counts: Record<TaskStatus, number>; bytesTotal: number; bytesDone: number } {
    const rows = this.sql(
      `SELECT status, count(*) AS n, sum(bytes_total) AS bt, sum(bytes_done) AS bd FROM tasks
       ${batchId === undefined ? '' : 'WHERE batch_id = ?'} GROUP BY status`,
    ).all(...(batchId === undefined ? [] : [batchId])) as {
      status: TaskStatus
      n: number
      bt: number
      bd: number
    }[]
    const counts = emptyCounts()
    let bytesTotal = 0
    let bytesDone = 0
    for (const r of rows) {
      counts[r.status] = r.n
      if (r.status === 'cancelled') continue
      bytesTotal += r.bt ?? 0
      bytesDone += r.bd ?? 0
    }
    return { counts, bytesTotal, bytesDone }
  }

  /**
   * The newest batches, each with its tasks counted by state (from an index: no task row is read).
   * With a filter (states, a path search), `matching` counts the batch's tasks that pass it.
   */
  batches(limit: number, filter: Omit<TaskFilter, 'batchId'> = {}): Batch[] {
    const batches = this.sql(
      'SELECT id, label, created_at, paused FROM batches ORDER BY id DESC LIMIT ?',
    ).all(limit) as { id: number; label: string; created_at: number; paused: number }[]
    if (batches.length === 0) return []
    const ids = batches.map((b) => b.id)
    const low = Math.min(...ids)
    const counts = new Map<number, Record<TaskStatus, number>>(ids.map((id) => [id, emptyCounts()]))
    const rows = this.sql(
      `SELECT batch_id AS b, status, count(*) AS n FROM tasks WHERE batch_id >= ? GROUP BY batch_id, status`,
    ).all(low) as { b: number; status: TaskStatus; n: number }[]
    for (const r of rows) {
      const c = counts.get(r.b)
      if (c) c[r.status] = r.n
    }
    const filtered = Boolean(filter.status?.length || filter.search)
    const matching = new Map<number, number>()
    if (filter.search) {
      const { where, params } = filterSql(filter)
      const m = this.sql(
        `SELECT batch_id AS b, count(*) AS n FROM tasks ${where} AND batch_id >= ? GROUP BY batch_id`,
      ).all(...params, low) as { b: number; n: number }[]
      for (const r of m) matching.set(r.b, r.n)
    }
    return batches.map((b) => {
      const c = counts.get(b.id)!
      const batch: Batch = {
        id: b.id,
        label: b.label,
        createdAt: b.created_at,
        paused: b.paused === 1,
        counts: c,
      }
      if (filtered)
        batch.matching = filter.search
          ? (matching.get(b.id) ?? 0)
          : filter.status!.reduce((n, s) => n + c[s], 0)
      return batch
    })
  }

  /** One batch with its counts. */
  batch(batchId: number): Batch {
    const b = this.sql('SELECT id, label, created_at, paused FROM batches WHERE id = ?').get(batchId) as
      { id: number; label: string; created_at: number; paused: number } | undefined
    if (!b) throw new FerryError('not_found', `No batch ${batchId}.`)
    const counts = emptyCounts()
    const rows = this.sql(`SELECT status, count(*) AS n FROM tasks WHERE batch_id = ? GROUP BY status`).all(
      batchId,
    ) as { status: TaskStatus; n: number }[]
    for (const r of rows) counts[r.status] = r.n
    return { id: b.id, label: b.label, createdAt: b.created_at, paused: b.paused === 1, counts }
  }

  /**
   * A batch counted in files: its top-level tasks by state (a convert's move into place is its own
   * child task, and a parent ends as its children do), so "6 done" means six files.
   */
  fileCounts(batchId: number): Record<TaskStatus, number> {
    const counts = emptyCounts()
    const rows = this.sql(
      'SELECT status, count(*) AS n FROM tasks WHERE batch_id = ? AND parent_id IS NULL GROUP BY status',
    ).all(batchId) as { status: TaskStatus; n: number }[]
    for (const r of rows) counts[r.status] = r.n
    return counts
  }

  /** When the last task of a batch ended (null when none has). */
  lastFinishedAt(batchId: number): number | null {
    return this.sql('SELECT max(finished_at) FROM tasks WHERE batch_id = ?').pluck().get(batchId) as
      number | null
  }

  /** A batch's label and the name of the profile whose sync it is (null for a drop, a CLI call). */
  batchOrigin(batchId: number): { label: string; profile: string | null } | undefined {
    return this.sql(
      `SELECT b.label, p.name AS profile FROM batches b LEFT JOIN profiles p ON p.id = b.profile_id
       WHERE b.id = ?`,
    ).get(batchId) as { label: string; profile: string | null } | undefined
  }

  /** How many tasks of a batch are still to run (pending or active). */
  openTasks(batchId: number): number {
    return this.sql(`SELECT count(*) FROM tasks WHERE batch_id = ? AND status IN ${OPEN}`)
      .pluck()
      .get(batchId) as number
  }

  /**
   * The profile's sync run still under way: its newest batch with tasks left to run, and how many.
   * A sync is refused while one is, so there is at most one.
   */
  openSyncRun(profileId: number): { batchId: number; openTasks: number } | undefined {
    const batchId = this.sql(
      `SELECT b.id FROM batches b WHERE b.profile_id = ?
         AND EXISTS (SELECT 1 FROM tasks t WHERE t.batch_id = b.id AND t.status IN ${OPEN})
       ORDER BY b.id DESC LIMIT 1`,
    )
      .pluck()
      .get(profileId) as number | undefined
    return batchId === undefined ? undefined : { batchId, openTasks: this.openTasks(batchId) }
  }

  /** The profile's newest sync runs (batches), newest first, passing over those whose tasks were all flushed. */
  syncRuns(profileId: number, limit: number): number[] {
    return this.sql(
      `SELECT b.id FROM batches b WHERE b.profile_id = ?
         AND EXISTS (SELECT 1 FROM tasks t WHERE t.batch_id = b.id)
       ORDER BY b.id DESC LIMIT ?`,
    )
      .pluck()
      .all(profileId, limit) as number[]
  }

  /** How many queued converts (pending or active) encode with the preset named so. */
  tasksUsingPreset(name: string): number {
    return this.sql(
      `SELECT count(*) FROM tasks WHERE type = 'convert' AND status IN ${OPEN}
         AND json_extract(spec, '$.preset.name') = ?`,
    )
      .pluck()
      .get(name) as number
  }

  /** Whether a task still to run (pending or active) reads this file (a transcode cache entry, say). */
  isReadByOpenTask(path: string): boolean {
    return this.sql(`SELECT 1 FROM tasks WHERE src = ? AND status IN ${OPEN}`).get(path) !== undefined
  }

  /** The size of the smallest task of a batch that waits for its destination (0 if none). */
  smallestWaiting(batchId: number): number {
    return (
      (this.sql(
        `SELECT min(bytes_total) FROM tasks WHERE batch_id = ? AND status = 'pending' AND waiting = 'destination'`,
      )
        .pluck()
        .get(batchId) as number | null) ?? 0
    )
  }

  /** Batches waiting for their destination, with how many tasks wait. */
  waitingRoots(): { batchId: number; root: string; tasks: number }[] {
    return this.sql(
      `SELECT batch_id AS batchId, root, count(*) AS tasks FROM tasks
       WHERE status = 'pending' AND waiting = 'destination'
       GROUP BY batch_id, root ORDER BY root, batch_id`,
    ).all() as { batchId: number; root: string; tasks: number }[]
  }

  /** Tasks waiting for their device: one may have been cut short mid-write when it went (see the dispatcher). */
  waitingForDevice(): number[] {
    return (
      this.sql(`SELECT id FROM tasks WHERE status = 'pending' AND waiting = 'destination'`).all() as {
        id: number
      }[]
    ).map((r) => r.id)
  }

  /** Every destination root a batch was given (what a delete may name as its root). */
  destinationRoots(): string[] {
    return this.sql('SELECT DISTINCT root FROM batches WHERE root IS NOT NULL').pluck().all() as string[]
  }

  /** The destination root a batch recorded when it was enqueued (none for older batches). */
  batchRoot(batchId: number): RootIdentity | undefined {
    const r = this.sql('SELECT root, root_dev, root_btime, root_marker FROM batches WHERE id = ?').get(
      batchId,
    ) as
      | {
          root: string | null
          root_dev: string | null
          root_btime: number | null
          root_marker: number | null
        }
      | undefined
    if (!r?.root || r.root_dev === null) return undefined
    return { path: r.root, dev: r.root_dev, btime: r.root_btime ?? 0, marker: r.root_marker }
  }
}
