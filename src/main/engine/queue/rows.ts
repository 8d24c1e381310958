import type { Task, TaskSpec, TaskStatus } from '../../../shared/model'

/** A tasks row as SQLite returns it. */
export interface TaskRow {
  id: number
  batch_id: number
  parent_id: number | null
  type: string
  lane: string
  status: string
  priority: number
  src: string | null
  dst: string | null
  root: string | null
  spec: string
  attempts: number
  max_attempts: number
  run_after: number
  waiting: string | null
  bytes_total: number
  bytes_done: number
  error: string | null
  result: string | null
  created_at: number
  started_at: number | null
  finished_at: number | null
  deps?: string | null
}

export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    batchId: row.batch_id,
    parentId: row.parent_id,
    type: row.type as Task['type'],
    lane: row.lane as Task['lane'],
    status: row.status as TaskStatus,
    priority: row.priority,
    src: row.src,
    dst: row.dst,
    root: row.root,
    spec: JSON.parse(row.spec) as TaskSpec,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAfter: row.run_after,
    waiting: row.waiting,
    bytesTotal: row.bytes_total,
    bytesDone: row.bytes_done,
    error: row.error,
    result: row.result,
    dependsOn: row.deps ? row.deps.split(',').map(Number) : [],
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  }
}

export function emptyCounts(): Record<TaskStatus, number> {
  return { pending: 0, active: 0, ok: 0, skip: 0, fail: 0, cancelled: 0 }
}
