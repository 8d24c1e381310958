// The planner's inputs, gathered at once: the sources are walked in worker threads while the index
// loads here; then the files the index says Ferry wrote are looked up on the device (a stat each, in
// a worker: no walk of the device).
import { availableParallelism } from 'node:os'
import { sep } from 'node:path'
import type { Profile } from '../../../../shared/profiles'
import { idleScanThreads, type PackedScan, scanTrees, statFilesAsync } from '../scan'
import type { IndexRow } from '../sync-index'
import type { DeviceStats } from './device'

/** The profile's index, read while the scans run so that it loads in their shadow. */
export interface IndexSource {
  dsts(): string[]
  rows(): IndexRow[]
  /** `rows()` by their path inside each source folder (the store may keep them between plans). */
  rowsBySource?(build: (rows: IndexRow[]) => Map<string, IndexRow>[]): Map<string, IndexRow>[]
  any(): boolean
}

export interface PlanInputs {
  scans: PackedScan[]
  index: IndexRow[]
  /** Per source folder, its index rows by their path inside it, `/`-separated. */
  rowsByRel: Map<string, IndexRow>[]
  device: DeviceStats
}

export async function gatherInputs(profile: Profile, store: IndexSource): Promise<PlanInputs> {
  const scanning = scanTrees(
    profile.sources.map((root) => ({ root, opts: { includeHidden: profile.includeHidden } })),
    walkParts(),
  )
  // The rows first, then the device's files they name (taken from the rows): one read of the index,
  // and two threads at once on the disk rather than three.
  const index = store.rows()
  const statting = statFilesAsync(profile.destination, store.dsts())
  const build = (rows: IndexRow[]) => rowsBySourceRel(profile.sources, rows)
  const rowsByRel = store.rowsBySource ? store.rowsBySource(build) : build(index)
  const [scans, device] = await Promise.all([scanning, statting])
  return { scans, index, rowsByRel, device }
}

/**
 * The library is walked in two threads at once (halves of its top-level folders) when threads are
 * already up: in a long-running engine that planned before (the desktop app, `ferry serve`), a
 * no-change resync of 100k files plans in 0.33–0.39 s instead of 0.38–0.43 s. A one-shot command
 * walks in one: a thread's start costs more than the split saves there (0.81 s instead of 0.73 s).
 */
function walkParts(): number {
  return availableParallelism() >= 2 && idleScanThreads() >= 2 ? 2 : 1
}

/** Rows keyed the way the scan names files, so that the scan's own strings look them up. */
export function rowsBySourceRel(sources: string[], index: IndexRow[]): Map<string, IndexRow>[] {
  const byRel = sources.map(() => new Map<string, IndexRow>())
  const prefixes = sources.map((root) => root + sep)
  for (const r of index) {
    const s = prefixes.findIndex((p) => r.src.startsWith(p))
    if (s === -1) continue
    const rel = r.src.slice(prefixes[s]!.length)
    byRel[s]!.set(sep === '/' ? rel : rel.split(sep).join('/'), r)
  }
  return byRel
}

/** Target keys to index rows; built only when something is to be named (it costs a key per row). */
export function rowsByTarget(
  index: IndexRow[],
  key: (dst: string) => string,
  needed: boolean,
): Map<string, IndexRow> {
  return new Map(needed ? index.map((r) => [key(r.dst), r]) : [])
}
