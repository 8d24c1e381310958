// The fast path: every scanned file is left out, found up to date, or made a candidate. This loop
// runs once per file of the library (a hundred thousand, on a resync that changes nothing), so an
// up-to-date file costs a map lookup and a few comparisons: no naming work and no object kept.
import { sep } from 'node:path'
import type { Preset } from '../../../../shared/presets'
import { sameMtime } from '../../ops/fsutil'
import type { PackedScan, ScanFile } from '../scan'
import type { IndexRow } from '../sync-index'
import { classifyAudio } from './classify'
import { extOf, hasExt, sameMs } from './compare'
import type { DeviceStats } from './device'
import { type SelectionRules, selectFile } from './select'
import type { Candidate, Skipped } from './types'

export interface Triage {
  /** Selected files still to be named and judged, in scan order. */
  candidates: Candidate[]
  /** Files found up to date: their index rows' sources and destinations. */
  skipped: Skipped
  /** Index rows (by position) an up-to-date file accounts for: never deleted. */
  matchedRows: Uint8Array
  matched: number
  /** Files the scans found, selected or not. */
  files: number
}

export async function triage(
  scans: PackedScan[],
  rowsByRel: Map<string, IndexRow>[],
  rules: SelectionRules,
  preset: Preset,
  device: DeviceStats,
): Promise<Triage> {
  const candidates: Candidate[] = []
  const skipped: Skipped = { src: [], dst: [] }
  // One slot per index row: the device was statted row by row.
  const matchedRows = new Uint8Array(device.sizes.length)
  let matched = 0
  let files = 0
  for (const [s, scan] of scans.entries()) {
    const rowOf = rowsByRel[s]!
    const all = scan.rels
    // Each path is cut from the scan's one string as it comes, not split into an array first: a path
    // found up to date is dropped at once, so the young-generation collector has nothing of them to
    // copy (the split array kept 100k strings alive through the loop).
    for (let i = 0, at = 0; all !== '' && at <= all.length; i++) {
      let end = all.indexOf('\0', at)
      if (end === -1) end = all.length
      const rel = all.slice(at, end)
      at = end + 1
      files++
      const ext = extOf(rel)
      const selected = selectFile(rules, rel, ext)
      if (selected === null) continue
      const file: ScanFile = { rel, size: scan.sizes[i]!, mtimeMs: scan.mtimes[i]! }
      const row = rowOf.get(rel)
      const abs = row ? row.src : scan.root + sep + (sep === '/' ? rel : rel.split('/').join(sep))
      if (selected !== 'audio') {
        candidates.push({ abs, file, mode: selected, row })
        continue
      }
      const pending = classifyAudio(abs, file, ext, preset, row)
      const mode = typeof pending === 'string' ? pending : await pending
      const converts = mode === 'convert'
      if (
        row &&
        isUpToDate(row, file, converts ? preset.hash : 'copy', converts ? preset.extension! : ext, device)
      ) {
        skipped.src.push(row.src)
        skipped.dst.push(row.dst)
        matchedRows[row.pos] = 1
        matched++
        continue
      }
      candidates.push({ abs, file, mode, row })
    }
  }
  return { candidates, skipped, matchedRows, matched, files }
}

/**
 * Unchanged source, made the same way into a file of the same kind, and the device still holds what
 * Ferry wrote: nothing to do.
 */
export function isUpToDate(
  row: IndexRow,
  file: ScanFile,
  madeBy: string,
  extension: string,
  device: DeviceStats,
): boolean {
  if (row.madeBy !== madeBy || row.srcSize !== file.size || !sameMs(row.srcMtime, file.mtimeMs)) return false
  if (!hasExt(row.dst, extension)) return false
  const i = row.pos
  return device.sizes[i] === row.dstSize && sameMtime(device.mtimes[i]!, row.dstMtime)
}
