import type { TaskSpec, TaskType } from '../../../shared/model'
import type { RootIdentity, RootProblem } from './device'
import type { Durability } from './durable'

/** What a worker is asked to do: one task's operation. */
export interface OpRequest {
  taskId: number
  type: TaskType
  src: string | null
  dst: string | null
  root: string | null
  /** The root's identity recorded when the batch was enqueued: a write lands on that device or waits. */
  device?: RootIdentity
  spec: TaskSpec
  /** An earlier attempt of this task was cut short (it may have put the file in place already). */
  rerun?: boolean
  /** What a convert needs from the engine; absent for other operations. */
  env?: ConvertEnv
}

export interface ConvertEnv {
  /** The ffmpeg to run, or why there is none. */
  ffmpeg: { ok: true; path: string } | { ok: false; error: string }
  /** The transcode cache's folder (`<data>/cache/transcode`). */
  cacheDir: string
  /** False when the cache's size limit is 0: encodes are then moved into place, not kept. */
  cacheEnabled: boolean
  /** ffmpeg silent for this long is killed (ms). */
  stallMs: number
}

export interface Written {
  size: number
  mtimeMs: number
  /** The version of the source that was copied (what a sync's index records). */
  source?: { size: number; mtimeMs: number }
}

/** A follow-up task an operation asks for (a convert's move of its output into place). */
export interface ChildTask {
  type: 'copy' | 'move'
  src: string
  dst: string
  bytes: number
  /** The source is Ferry's own finished output (see TaskSpec.ownSource). */
  ownSource?: boolean
}

/** An encoded file the cache now holds (or served). */
export interface CacheUse {
  key: string
  path: string
  size: number
  hit: boolean
}

/**
 * An operation's outcome, as a value: expected outcomes (a skip, a missing source, an unplugged
 * device) are results, not exceptions.
 */
export type OpResult =
  | {
      kind: 'ok'
      result?: string
      bytes?: number
      children?: ChildTask[]
      cache?: CacheUse
      /** The file now at the task's destination, when it is what the task meant to put there. */
      written?: Written
      /** The version of the source a convert encoded (its children's sync marks record it). */
      source?: { size: number; mtimeMs: number }
    }
  | { kind: 'skip'; reason: string; written?: Written }
  | { kind: 'fail'; error: string; retryable: boolean }
  /** The destination root is missing (device unplugged): the task waits for it. */
  | { kind: 'wait'; reason: 'destination'; problem?: RootProblem }
  | { kind: 'cancelled' }

export interface OpContext {
  signal: AbortSignal
  progress(done: number, total: number): void
  /** How writes are made durable: the worker's group commit; alone (each at once) when absent. */
  durable?: Durability
}

export const fail = (error: string, retryable = false): OpResult => ({ kind: 'fail', error, retryable })
