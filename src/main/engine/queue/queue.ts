import type { Task, TaskSpec, TaskStatus, TaskType, Lane } from '../../../shared/model'
import { FerryError } from '../../../shared/errors'
import type { RootIdentity } from '../ops/device'
import type { ChildTask } from '../ops/types'
import { QueueReads } from './reads'
import { type TaskRow, toTask } from './rows'
import { OPEN, PAUSED_OR_NULL, READY, type Selector, selectorSql } from './sql'

export type { Selector, TaskFilter, TaskQuery } from './sql'

export interface NewTask {
  type: TaskType
  lane: Lane
  src?: string | null
  dst?: string | null
  root?: string | null
  spec?: TaskSpec
  priority?: number
  maxAttempts?: number
  bytesTotal?: number
  parentId?: number | null
  /** Tasks this one waits for: existing ids (positive), or earlier rows of the same putMany (-1 = the row just before). */
  dependsOn?: number[]
  /** Recorded as skipped at once, with this reason (a file that cannot be copied at all). */
  skipped?: string
}

/** What a task must be to join a worker's group commit: its type, and smaller than the room left. */
export interface JoinGroup {
  types: readonly TaskType[]
  maxBytes: number
}

/** A task the engine died under this many times fails instead of going back to pending. */
export const MAX_INTERRUPTIONS = 10

/** Rows written per transaction, so a big enqueue never holds the main thread for long. */
const CHUNK = 500

/** Automatic retry delay after the n-th failed attempt: 2 s, 8 s, 32 s … capped at 5 minutes. */
export function backoffMs(attempt: number): number {
  return Math.min(2000 * 4 ** Math.max(0, attempt - 1), 300_000)
}

/**
 * The rows of the follow-up tasks an operation asked for (a convert's move of its output into
 * place): into the parent's destination root, with its overwrite policy, and for a sync the
 * parent's mark naming the version of the source that was encoded (it may be newer than planned).
 */
export function followUpRows(
  parent: Task,
  children: ChildTask[],
  encoded?: { size: number; mtimeMs: number },
): NewTask[] {
  const mark = parent.spec.sync
  const sync = mark && encoded ? { ...mark, srcSize: encoded.size, srcMtime: encoded.mtimeMs } : mark
  return children.map((c) => ({
    type: c.type,
    lane: 'transfer' as const,
    src: c.src,
    dst: c.dst,
    root: parent.root,
    bytesTotal: c.bytes,
    spec: { overwrite: parent.spec.overwrite ?? 'skip', sync, ...(c.ownSource ? { ownSource: true } : {}) },
  }))
}

/**
 * The persistent queue: the job is the row. A claim is one statement; every change of state is one
 * transaction; nothing here touches a file. The questions (lists, counts, a profile's runs) are
 * QueueReads'; this adds the changes of state. One engine owns the database (db/open.ts), so a
 * claim needs no lease: whatever is active belongs to this engine, and at start-up to nobody.
 */
export class Queue extends QueueReads {
  /** Batches a task of which reached a final state since `takeEnded` was last called. */
  private readonly ended = new Set<number>()

  /** A new batch; `root` is the destination its tasks write into, identified as it is now. */
  createBatch(label: string, profileId: number | null = null, root?: RootIdentity, sealed = true): number {
    return this.db.transaction(() => {
      // Never an id a cleared batch had: the dispatcher (its destination's identity) and clients (what
      // they show) know a batch by its id. SQLite would hand out max(id) + 1 again once the newest
      // batches are flushed.
      const id =
        Math.max(
          (this.sql('SELECT max(id) FROM batches').pluck().get() as number | null) ?? 0,
          Number(this.sql(`SELECT value FROM settings WHERE key = 'queue.lastBatchId'`).pluck().get() ?? 0),
        ) + 1
      this.sql(
        `INSERT INTO settings (key, value) VALUES ('queue.lastBatchId', ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      ).run(String(id))
      this.sql(
        `INSERT INTO batches (id, label, profile_id, created_at, root, root_dev, root_btime, root_marker, sealed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        id,
        label,
        profileId,
        this.now(),
        root?.path ?? null,
        root?.dev ?? null,
        root?.btime ?? null,
        root?.marker ?? null,
        sealed ? 1 : 0,
      )
      return id
    })()
  }

  /**
   * A batch and its tasks, all or nothing. A small one is one transaction. A big one is written in
   * chunks, yielding to the event loop between them so the engine stays responsive, while the batch
   * is unsealed and its tasks wait ('enqueue'): the dispatcher sees none of them until the last chunk
   * and the seal commit together, and a crash before that leaves a batch `recover` removes.
   */
  async addBatch(
    meta: { label: string; profileId?: number | null; root?: RootIdentity },
    rows: NewTask[],
  ): Promise<number> {
    if (rows.length <= CHUNK) {
      return this.db.transaction(() => {
        const id = this.createBatch(meta.label, meta.profileId ?? null, meta.root)
        const ids: number[] = []
        for (const row of rows) ids.push(this.insert(id, row, ids))
        return id
      })()
    }
    const id = this.createBatch(meta.label, meta.profileId ?? null, meta.root, false)
    const ids: number[] = []
    for (let i = 0; i < rows.length; i += CHUNK) {
      const last = i + CHUNK >= rows.length
      this.db.transaction(() => {
        for (const row of rows.slice(i, i + CHUNK)) ids.push(this.insert(id, row, ids, 'enqueue'))
        if (last) {
          this.sql(
            `UPDATE tasks SET waiting = ${PAUSED_OR_NULL} WHERE batch_id = ? AND waiting = 'enqueue'`,
          ).run(id)
          this.sql('UPDATE batches SET sealed = 1 WHERE id = ?').run(id)
        }
      })()
      if (!last) await new Promise((r) => setImmediate(r))
    }
    return id
  }

  /** Inserts tasks into an existing batch in chunks (tests, diagnostics). Returns their ids in order. */
  async putMany(batchId: number, rows: NewTask[]): Promise<number[]> {
    const ids: number[] = []
    for (let i = 0; i < rows.length; i += CHUNK) {
      this.db.transaction(() => {
        for (const row of rows.slice(i, i + CHUNK)) ids.push(this.insert(batchId, row, ids))
      })()
      if (i + CHUNK < rows.length) await new Promise((r) => setImmediate(r))
    }
    return ids
  }

  put(batchId: number, row: NewTask): Task {
    const id = this.db.transaction(() => this.insert(batchId, row, []))()
    return this.get(id)!
  }

  private insert(batchId: number, row: NewTask, earlier: number[], waiting: string | null = null): number {
    if (row.skipped !== undefined) this.ended.add(batchId) // a batch of such rows only is finished at once
    const id = Number(
      this.sql(
        `INSERT INTO tasks (batch_id, parent_id, type, lane, priority, src, dst, root, spec, max_attempts,
             bytes_total, created_at, status, result, finished_at, waiting)
           VALUES (@batchId, @parentId, @type, @lane, @priority, @src, @dst, @root, @spec, @maxAttempts,
             @bytesTotal, @now, @status, @result, @finishedAt,
             coalesce(@waiting, (SELECT CASE WHEN paused = 1 AND @status = 'pending' THEN 'paused' END
                                 FROM batches WHERE id = @batchId)))`,
      ).run({
        batchId,
        parentId: row.parentId ?? null,
        type: row.type,
        lane: row.lane,
        priority: row.priority ?? 100,
        src: row.src ?? null,
        dst: row.dst ?? null,
        root: row.root ?? null,
        spec: JSON.stringify(row.spec ?? {}),
        maxAttempts: row.maxAttempts ?? 3,
        bytesTotal: row.bytesTotal ?? 0,
        now: this.now(),
        status: row.skipped === undefined ? 'pending' : 'skip',
        result: row.skipped ?? null,
        finishedAt: row.skipped === undefined ? null : this.now(),
        waiting: row.skipped === undefined ? waiting : null,
      }).lastInsertRowid,
    )
    for (const dep of row.dependsOn ?? []) {
      const on = dep < 0 ? earlier[earlier.length + dep] : dep
      if (on === undefined) throw new FerryError('invalid_input', `Task depends on an unknown task (${dep}).`)
      this.sql('INSERT INTO task_deps (task_id, depends_on) VALUES (?, ?)').run(id, on)
    }
    return id
  }

  /**
   * Claims the next ready task of a lane in one statement: lowest priority first, children before
   * top-level tasks of the same priority, then oldest. Counts the attempt. With `joining`, only if that
   * next task may join a worker's group of small files (else nothing: the queue's order is kept). A
   * task that failed before (its worker died, say) runs alone (`solo`): should it be what kills its
   * worker, it must not take a group of others down with it again and again. So does one an engine's
   * death cut short (`interrupted`): recovery counts an interruption against every task that was
   * active, and a group of 32 caught in repeated crashes would otherwise reach the limit together.
   */
  claim(lane: Lane, joining?: JoinGroup): (Task & { rerun: boolean; solo: boolean }) | undefined {
    const join = joining
      ? `AND type IN (${joining.types.map((t) => `'${t.replace(/'/g, '')}'`).join(', ')}) AND bytes_total < @maxBytes
         AND attempts = 0 AND interrupted = 0`
      : ''
    const row = this.sql(
      `UPDATE tasks SET status = 'active', attempts = attempts + 1, started_at = @now, error = NULL, bytes_done = 0
       WHERE id = (SELECT t.id FROM tasks t WHERE ${READY}
                   ORDER BY t.priority, t.is_top, t.id LIMIT 1) ${join}
       RETURNING *`,
    ).get({ lane, now: this.now(), ...(joining && { maxBytes: joining.maxBytes }) }) as
      (TaskRow & { interrupted: number }) | undefined
    // rerun: an earlier attempt was cut short (a failure, a crash), and may have finished its write.
    return (
      row && {
        ...toTask(row),
        rerun: row.attempts > 1 || row.interrupted > 0,
        solo: row.attempts > 1 || row.interrupted > 0,
      }
    )
  }

  /** Runs several changes of state as one transaction (the results of a group commit, recorded together). */
  together<T>(changes: () => T): T {
    return this.db.transaction(changes)()
  }

  /**
   * Ends an active task (ok or skip). A parent with unfinished children stays active until they end.
   * Children it spawned (a convert's move into place) are inserted in the same transaction, so a
   * crash never leaves a finished parent without them.
   */
  finish(
    id: number,
    status: 'ok' | 'skip',
    result: string | null,
    children: NewTask[] = [],
    /** Runs inside the same transaction (a sync's index row). */
    alongside?: () => void,
  ): void {
    this.db.transaction(() => {
      alongside?.()
      if (children.length) {
        const parent = this.get(id)
        if (!parent || parent.status !== 'active') return
        for (const c of children)
          this.insert(parent.batchId, { priority: parent.priority, ...c, parentId: id }, [])
      }
      const open = this.sql(`SELECT count(*) FROM tasks WHERE parent_id = ? AND status IN ${OPEN}`)
        .pluck()
        .get(id) as number
      if (open > 0) {
        this.sql(`UPDATE tasks SET waiting = 'children', result = ? WHERE id = ?`).run(result, id)
        return
      }
      this.end(id, status, null, result)
    })()
  }

  /**
   * Records an operation that ended ok, with the follow-up tasks it asked for (see followUpRows), in
   * one transaction with `alongside` (a sync's index row).
   */
  complete(
    task: Task,
    result: string | null,
    followUps: ChildTask[] = [],
    encoded?: { size: number; mtimeMs: number },
    alongside?: () => void,
  ): void {
    this.finish(task.id, 'ok', result, followUpRows(task, followUps, encoded), alongside)
  }

  /**
   * A failed attempt: retried after a backoff while attempts remain and the failure is worth retrying,
   * else the task fails for good (and so do the tasks that wait on it).
   */
  fail(id: number, error: string, retryable: boolean): 'retry' | 'fail' {
    return this.db.transaction(() => {
      const t = this.get(id)
      if (!t || t.status !== 'active') return 'fail'
      if (retryable && t.attempts < t.maxAttempts) {
        this.sql(
          `UPDATE tasks SET status = 'pending', error = ?, run_after = ?, waiting = ${PAUSED_OR_NULL}
           WHERE id = ?`,
        ).run(error, this.now() + backoffMs(t.attempts), id)
        return 'retry'
      }
      this.end(id, 'fail', error, null)
      return 'fail'
    })()
  }

  /** Puts an active task back to pending without counting the attempt, waiting for `reason`. */
  requeue(id: number, waiting: string | null = null): void {
    this.sql(
      `UPDATE tasks SET status = 'pending', attempts = max(attempts - 1, 0),
         waiting = coalesce(?, ${PAUSED_OR_NULL}), bytes_done = 0
       WHERE id = ? AND status = 'active'`,
    ).run(waiting, id)
  }

  /** Marks every pending task of a batch writing into `root` as waiting for it (or clears the mark). */
  setRootWaiting(batchId: number, root: string, waiting: boolean): number {
    return this.sql(
      waiting
        ? `UPDATE tasks SET waiting = 'destination'
           WHERE batch_id = ? AND root = ? AND status = 'pending' AND waiting IS NULL`
        : `UPDATE tasks SET waiting = ${PAUSED_OR_NULL}
           WHERE batch_id = ? AND root = ? AND status = 'pending' AND waiting = 'destination'`,
    ).run(batchId, root).changes
  }

  /**
   * The batches where a task ended (or was recorded skipped) since the last call: the only ones that
   * may have just finished. A rolled-back transaction may leave an id here; the caller checks.
   */
  takeEnded(): number[] {
    const ids = [...this.ended]
    this.ended.clear()
    return ids
  }

  /** Sets a task's final state, then settles its parent and the tasks that depend on it. */
  private end(id: number, status: TaskStatus, error: string | null, result: string | null): void {
    const t = this.sql(
      `UPDATE tasks SET status = ?, error = ?, result = coalesce(?, result), finished_at = ?, waiting = NULL,
         bytes_done = CASE WHEN ? IN ('ok', 'skip') THEN bytes_total ELSE bytes_done END
       WHERE id = ? RETURNING parent_id, batch_id`,
    ).get(status, error, result, this.now(), status, id) as
      { parent_id: number | null; batch_id: number } | undefined
    if (!t) return
    this.ended.add(t.batch_id)
    if (status === 'fail' || status === 'cancelled') {
      const dependents = this.sql(
        `SELECT t.id FROM task_deps d JOIN tasks t ON t.id = d.task_id
           WHERE d.depends_on = ? AND t.status = 'pending'`,
      ).all(id) as { id: number }[]
      for (const d of dependents)
        this.end(d.id, 'fail', `Depends on task ${id}, which ended ${status}.`, null)
    }
    if (t.parent_id !== null) this.settleParent(t.parent_id)
  }

  /**
   * A parent finishes when its children have: ok when all did, failed when one failed, cancelled when
   * one was cancelled and none failed (a conversion whose copy onto the card was cancelled did not fail).
   */
  private settleParent(parentId: number): void {
    const rows = this.sql(`SELECT status, count(*) AS n FROM tasks WHERE parent_id = ? GROUP BY status`).all(
      parentId,
    ) as { status: TaskStatus; n: number }[]
    const count = (s: TaskStatus) => rows.find((r) => r.status === s)?.n ?? 0
    if (count('pending') + count('active') > 0) return
    const parent = this.get(parentId)
    if (!parent || parent.status !== 'active' || parent.waiting !== 'children') return
    const failed = count('fail')
    if (failed > 0) this.end(parentId, 'fail', `${failed} of its follow-up tasks failed.`, null)
    else if (count('cancelled') > 0) this.end(parentId, 'cancelled', null, null)
    else this.end(parentId, 'ok', null, null)
  }

  /** Cancels pending tasks (and returns the active ones, which the dispatcher must stop). */
  cancel(sel: Selector): { cancelled: number; active: number[] } {
    return this.db.transaction(() => {
      const { where, params } = selectorSql(sel)
      const active = (
        this.sql(`SELECT id FROM tasks WHERE status = 'active' AND ${where}`).all(params) as {
          id: number
        }[]
      ).map((r) => r.id)
      const pending = this.sql(`SELECT id FROM tasks WHERE status = 'pending' AND ${where}`).all(params) as {
        id: number
      }[]
      for (const p of pending) this.end(p.id, 'cancelled', null, null)
      return { cancelled: pending.length + active.length, active }
    })()
  }

  /** Ends an active task as cancelled (the dispatcher calls this once its worker stopped). */
  cancelled(id: number): void {
    this.db.transaction(() => this.end(id, 'cancelled', null, null))()
  }

  /** Failed or cancelled tasks go back to pending, with a fresh set of attempts. */
  retry(sel: Selector): number {
    const { where, params } = selectorSql(sel)
    return this.sql(
      `UPDATE tasks SET status = 'pending', attempts = 0, run_after = 0, error = NULL, finished_at = NULL,
         bytes_done = 0, waiting = ${PAUSED_OR_NULL}
       WHERE status IN ('fail', 'cancelled') AND ${where}`,
    ).run(params).changes
  }

  setPriority(id: number, priority: number): Task {
    const changed = this.sql('UPDATE tasks SET priority = ? WHERE id = ?').run(priority, id).changes
    if (!changed) throw new FerryError('not_found', `No task ${id}.`)
    return this.get(id)!
  }

  /** Removes finished tasks of the given states (of one batch, or of all), and batches left empty. */
  flush(statuses: TaskStatus[], batchId?: number): number {
    return this.db.transaction(() => {
      const marks = statuses.map(() => '?').join(', ')
      const removed = this.sql(
        `DELETE FROM tasks WHERE status IN (${marks}) ${batchId === undefined ? '' : 'AND batch_id = ?'}
           AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = tasks.id AND c.status IN ${OPEN})`,
      ).run(...statuses, ...(batchId === undefined ? [] : [batchId])).changes
      this.sql('DELETE FROM batches WHERE NOT EXISTS (SELECT 1 FROM tasks WHERE batch_id = batches.id)').run()
      return removed
    })()
  }

  /**
   * At start-up: every task a dead engine left active goes back to pending. The cut-short attempt is
   * counted as an interruption, not as one of the task's own failures: a run of crashes must not use
   * up its retries. Only a task interrupted again and again (one that seems to bring the engine
   * down) fails. Batches left unsealed are removed. Returns the tasks put back.
   */
  recover(): { requeued: Task[]; failed: number; unsealed: number } {
    return this.db.transaction(() => {
      const unsealed = this.dropUnsealed()
      const active = (this.sql(`SELECT * FROM tasks WHERE status = 'active'`).all() as TaskRow[]).map(toTask)
      const requeued: Task[] = []
      let failed = 0
      for (const t of active) {
        if (t.waiting === 'children') continue // its own work is done; its children are recovered
        const { interrupted } = this.sql(
          `UPDATE tasks SET interrupted = interrupted + 1, attempts = max(attempts - 1, 0) WHERE id = ?
           RETURNING interrupted`,
        ).get(t.id) as { interrupted: number }
        if (interrupted >= MAX_INTERRUPTIONS) {
          this.end(
            t.id,
            'fail',
            `Interrupted ${interrupted} times: the engine stopped each time it ran.`,
            null,
          )
          failed++
        } else {
          this.sql(
            `UPDATE tasks SET status = 'pending', bytes_done = 0,
               waiting = ${PAUSED_OR_NULL}
             WHERE id = ?`,
          ).run(t.id)
          requeued.push(t)
        }
      }
      return { requeued, failed, unsealed }
    })()
  }

  /**
   * Removes batches a crash cut short while they were written (nobody was told of them), whole. The
   * engine that opens the database owns it alone, so any unsealed batch it finds is dead.
   */
  dropUnsealed(): number {
    return this.db.transaction(() => {
      this.sql(`DELETE FROM tasks WHERE batch_id IN (SELECT id FROM batches WHERE sealed = 0)`).run()
      return this.sql('DELETE FROM batches WHERE sealed = 0').run().changes
    })()
  }

  /**
   * Pauses one batch: its pending tasks wait ('paused') and none of its tasks is claimed until it
   * resumes; its running tasks finish. Returns how many tasks now wait.
   */
  pauseBatch(batchId: number): number {
    return this.db.transaction(() => {
      if (!this.sql('UPDATE batches SET paused = 1 WHERE id = ?').run(batchId).changes)
        throw new FerryError('not_found', `No batch ${batchId}.`)
      return this.sql(
        `UPDATE tasks SET waiting = 'paused' WHERE batch_id = ? AND status = 'pending' AND waiting IS NULL`,
      ).run(batchId).changes
    })()
  }

  /** Resumes a paused batch: its tasks become ready again. Returns how many. */
  resumeBatch(batchId: number): number {
    return this.db.transaction(() => {
      if (!this.sql('UPDATE batches SET paused = 0 WHERE id = ?').run(batchId).changes)
        throw new FerryError('not_found', `No batch ${batchId}.`)
      return this.sql(
        `UPDATE tasks SET waiting = NULL WHERE batch_id = ? AND status = 'pending' AND waiting = 'paused'`,
      ).run(batchId).changes
    })()
  }
}
