// The plan's figures: counts, bytes, the time estimate and the free-space check; and its order.
import { sep } from 'node:path'
import { PLAN_KINDS, type PlanEntry, type PlanKind, type PlanTotals } from '../../../../shared/profiles'
import type { PackedScan } from '../scan'
import type { Action, Changes } from './types'

/** Rough: encoding at ~4 MB of lossless input a second per worker, writing at ~20 MB/s. */
const ENCODE_BYTES_PER_SECOND = 4e6
const WRITE_BYTES_PER_SECOND = 20e6

export interface TotalsInput {
  /** Every stage's changes, in the order the stages ran. */
  changes: Changes[]
  skippedCount: number
  freeBytes: number | null
  convertWorkers: number
  scans: PackedScan[]
  files: number
  seconds: number
}

export function sumTotals(input: TotalsInput): PlanTotals {
  const counts = Object.fromEntries(PLAN_KINDS.map((k) => [k, 0])) as Record<PlanKind, number>
  let bytesToWrite = 0
  let bytesFreed = 0
  let encodeBytes = 0
  for (const c of input.changes) {
    bytesFreed += c.bytesFreed
    for (const e of c.entries) {
      counts[e.kind]++
      if (e.kind === 'convert' || e.kind === 'copy') bytesToWrite += e.bytes
    }
    // A convert action's bytes are its source's: what the encoder reads.
    for (const a of c.actions) if (a.kind === 'convert') encodeBytes += a.bytes
  }
  counts.skip = input.skippedCount
  const { freeBytes, scans } = input
  return {
    counts,
    bytesToWrite,
    bytesFreed,
    estimatedSeconds: Math.ceil(
      encodeBytes / (ENCODE_BYTES_PER_SECOND * input.convertWorkers) + bytesToWrite / WRITE_BYTES_PER_SECOND,
    ),
    freeBytes,
    shortBy: freeBytes === null ? 0 : Math.max(0, bytesToWrite - bytesFreed - freeBytes),
    scanned: {
      files: input.files,
      folders: scans.reduce((a, s) => a + s.folders, 0),
      seconds: input.seconds,
    },
    problems: scans.flatMap((s) => s.problems),
    leftOut: scans.flatMap((scan) =>
      scan.leftOut.map((l) => ({ path: scan.root + sep + l.rel.split('/').join(sep), reason: l.reason })),
    ),
  }
}

const ORDER: Record<PlanKind, number> = { delete: 0, convert: 1, copy: 2, conflict: 3, skip: 4 }

/** Changes by kind (deletions first, as they are applied), then by destination path. */
export function sortEntries(entries: PlanEntry[]): PlanEntry[] {
  return entries.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || (a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0))
}

/** All the stages' entries and actions, in the order the stages ran. */
export function gatherChanges(changes: Changes[]): { entries: PlanEntry[]; actions: Action[] } {
  return { entries: changes.flatMap((c) => c.entries), actions: changes.flatMap((c) => c.actions) }
}
