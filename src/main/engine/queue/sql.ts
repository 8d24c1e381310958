// The SQL the queue's statements share: what "ready" means, the order of the queue, and the WHERE
// clauses of the contract's selectors and filters. Only queue/ writes SQL on `tasks`.
import type { ParsedInput } from '../../../shared/contract'
import type { Statement } from 'better-sqlite3'
import type { Db } from '../db/open'

/** Which tasks a cancel or a retry touches: one task, one batch, or all (task.cancel, task.retry). */
export type Selector = ParsedInput<'task.cancel'>

/** A page of tasks as queue.list asks for it. */
export type TaskQuery = ParsedInput<'queue.list'>

/** Which tasks a list or a batch's `matching` count keeps. */
export type TaskFilter = Partial<Pick<TaskQuery, 'status' | 'batchId' | 'search'>>

/** The states of a task still to run: `status IN ${OPEN}`. */
export const OPEN = `('pending', 'active')`

/** A pending task that can be claimed now (its lane, its backoff over, nothing it waits for). */
export const READY = `
  t.status = 'pending' AND t.lane = @lane AND t.run_after <= @now AND t.waiting IS NULL
  AND NOT EXISTS (SELECT 1 FROM batches b WHERE b.id = t.batch_id AND b.paused = 1)
  AND NOT EXISTS (
    SELECT 1 FROM task_deps d JOIN tasks x ON x.id = d.depends_on
    WHERE d.task_id = t.id AND x.status NOT IN ('ok', 'skip')
  )`

/**
 * What a task of `tasks.batch_id` that becomes pending waits for: 'paused' while its batch is
 * paused, else nothing. Every statement that makes a task pending sets this, so the claim (whose
 * index holds only tasks that wait for nothing) never has to step over a paused batch.
 */
export const PAUSED_OR_NULL = `(SELECT CASE WHEN b.paused = 1 THEN 'paused' END FROM batches b WHERE b.id = tasks.batch_id)`

/** The order of the queue: running, then pending, then finished; lower priority first; children first. */
export const QUEUE_ORDER = `CASE status WHEN 'active' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, priority, is_top, id`

/** Only ASCII letters are folded, as SQLite's lower() does. */
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())

/** The WHERE clause of a task filter (always a WHERE, so more terms can follow with AND). */
export function filterSql(q: TaskFilter): { where: string; params: unknown[] } {
  const where: string[] = ['1 = 1']
  const params: unknown[] = []
  if (q.status?.length) {
    where.push(`status IN (${q.status.map(() => '?').join(', ')})`)
    params.push(...q.status)
  }
  if (q.batchId !== undefined) {
    where.push('batch_id = ?')
    params.push(q.batchId)
  }
  if (q.search) {
    const s = asciiLower(q.search)
    where.push('(instr(lower(src), ?) > 0 OR instr(lower(dst), ?) > 0)')
    params.push(s, s)
  }
  return { where: `WHERE ${where.join(' AND ')}`, params }
}

export function selectorSql(sel: Selector): { where: string; params: Record<string, number> } {
  if ('taskId' in sel) return { where: 'id = @id', params: { id: sel.taskId } }
  if ('batchId' in sel) return { where: 'batch_id = @id', params: { id: sel.batchId } }
  return { where: '1 = 1', params: {} }
}

/**
 * Statements prepared once per text and reused: preparing costs more than running most of them. A
 * text built from a filter has few variants (which terms, how many states), so the cache stays small.
 * A statement is used in one mode only (plucked or not) wherever its text appears.
 */
export class Statements {
  private readonly cache = new Map<string, Statement>()

  constructor(private readonly db: Db) {}

  get(source: string): Statement {
    let s = this.cache.get(source)
    if (!s) {
      s = this.db.prepare(source)
      this.cache.set(source, s)
    }
    return s
  }
}
