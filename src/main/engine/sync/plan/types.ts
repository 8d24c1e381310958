// The shapes the planner's stages hand each other, and the plan they add up to.
import type { SyncMark } from '../../../../shared/model'
import type { PlanEntry, PlanTotals } from '../../../../shared/profiles'
import type { ScanFile } from '../scan'
import type { IndexRow } from '../sync-index'

/** One thing a sync will do; what the plan shows and what `sync.run` enqueues. */
export interface Action {
  kind: 'convert' | 'copy' | 'delete' | 'playlist'
  src: string | null
  /** Relative to the destination, `/`-separated. */
  dst: string
  bytes: number
  overwrite: 'skip' | 'overwrite'
  mark: SyncMark
  /** A playlist's new content. */
  content?: string
}

/** Up-to-date files, as two parallel lists (there may be a hundred thousand of them). */
export interface Skipped {
  src: string[]
  dst: string[]
}

/** The destination as the plan found it: its identity if it is there, null if it is to be made. */
export type DestinationState = { dev: string; btime: number } | null

export interface ComputedPlan {
  /** Everything but the up-to-date files. */
  entries: PlanEntry[]
  skipped: Skipped
  actions: Action[]
  totals: PlanTotals
  /** The destination as planned against: applying checks it is still that device. */
  device: DestinationState
}

/** How a selected source file goes to the device. */
export type Mode = 'convert' | 'copy' | 'playlist'

/** A selected source file the fast path could not call up to date: it is named and judged. */
export interface Candidate {
  abs: string
  file: ScanFile
  mode: Mode
  /** The index row Ferry wrote from this source, if any. */
  row?: IndexRow
}

/** What one stage adds to the plan. */
export interface Changes {
  entries: PlanEntry[]
  actions: Action[]
  /** Bytes of Ferry's own files this stage replaces or deletes on the device. */
  bytesFreed: number
}

export const noChanges = (): Changes => ({ entries: [], actions: [], bytesFreed: 0 })

/** What the device holds where the index says Ferry wrote, and at any other target path. */
export interface DeviceLookup {
  /** What is where the row says Ferry wrote (undefined: nothing). */
  atRow(row: IndexRow): ScanFile | undefined
  /** What is at a target path: a file, something else in the way (size -1), or nothing. */
  at(dst: string, row?: IndexRow): ScanFile | undefined
}
