// The verdict on one target path: what the index says Ferry wrote there against what the device holds.
import type { IndexRow } from '../sync-index'
import type { ScanFile } from '../scan'
import { holdsOurs, sameSource } from './compare'
import type { Candidate } from './types'

export type Verdict =
  | { kind: 'skip'; reason: string }
  | { kind: 'conflict'; reason: string }
  /** `replaces`: the bytes of Ferry's own file written over; `overwrite`: a file may be in the way. */
  | { kind: 'write'; reason: string; replaces: number; overwrite: boolean }

/**
 * Never overwrites what Ferry did not write, or what changed on the device since it did.
 * `row` is the index row for the target path, `there` what the device holds at it.
 */
export function judge(
  c: Candidate,
  madeBy: string,
  row: IndexRow | undefined,
  there: ScanFile | undefined,
): Verdict {
  if (there && !holdsOurs(row, there)) return { kind: 'conflict', reason: conflictReason(row) }
  if (row && there) {
    // The device holds what Ferry wrote: up to date, or Ferry's own file to replace.
    if (sameSource(row, c) && row.madeBy === madeBy) return { kind: 'skip', reason: 'Up to date.' }
    const why =
      row.src !== c.abs
        ? 'Another source now has this name.'
        : sameSource(row, c)
          ? 'The preset changed.'
          : 'The source changed.'
    return { kind: 'write', reason: why, replaces: there.size, overwrite: true }
  }
  return { kind: 'write', reason: row ? 'Missing on the device.' : 'New.', replaces: 0, overwrite: false }
}

export const conflictReason = (row: IndexRow | undefined): string =>
  row
    ? 'Changed on the device since Ferry wrote it: not overwritten.'
    : 'A file Ferry did not write is in the way: not overwritten.'
