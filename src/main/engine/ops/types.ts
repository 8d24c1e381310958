import type { TaskSpec, TaskType } from '../../../shared/model'

/** What a worker is asked to do: one task's operation. */
export interface OpRequest {
  taskId: number
  type: TaskType
  src: string | null
  dst: string | null
  root: string | null
  spec: TaskSpec
}

/**
 * An operation's outcome, as a value: expected outcomes (a skip, a missing source, an unplugged
 * device) are results, not exceptions.
 */
export type OpResult =
  | { kind: 'ok'; result?: string; bytes?: number }
  | { kind: 'skip'; reason: string }
  | { kind: 'fail'; error: string; retryable: boolean }
  /** The destination root is missing (device unplugged): the task waits for it. */
  | { kind: 'wait'; reason: 'destination' }
  | { kind: 'cancelled' }

export interface OpContext {
  signal: AbortSignal
  progress(done: number, total: number): void
}

export const fail = (error: string, retryable = false): OpResult => ({ kind: 'fail', error, retryable })
