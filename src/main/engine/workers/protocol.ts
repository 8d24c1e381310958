import type { Lane } from '../../../shared/model'
import type { OpRequest, OpResult } from '../ops/types'

export type ToWorker = { type: 'run'; req: OpRequest } | { type: 'cancel'; taskId: number }

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; taskId: number; done: number; total: number }
  | { type: 'result'; taskId: number; result: OpResult }

/** A worker process as the pool sees it, whatever started it (child_process.fork or utilityProcess). */
export interface WorkerChannel {
  readonly pid: number | undefined
  send(msg: ToWorker): void
  onMessage(listener: (msg: FromWorker) => void): void
  onExit(listener: (code: number | null, signal: string | null) => void): void
  kill(): void
}

export type SpawnWorker = (script: string, name: string) => WorkerChannel

/**
 * A worker's name: its lane and slot ("convert-1"). The pool starts workers by it, a one-shot CLI
 * forks them ahead by it, and a worker learns its lane from it (FERRY_WORKER).
 */
export const workerName = (lane: Lane, index: number): string => `${lane}-${index}`
export const isLaneWorker = (name: string | undefined, lane: Lane): boolean =>
  name?.startsWith(`${lane}-`) === true
