// What is on the device, looked up without walking it: the files the index names were statted in a
// worker while the sources were scanned; any other target path is statted when a stage asks.
import { lstatSync } from 'node:fs'
import { join } from 'node:path'
import type { IndexRow } from '../sync-index'
import type { ScanFile } from '../scan'
import type { DeviceLookup } from './types'

/** Sizes and mtimes of the index's destination files, by row position; NaN where there is no file. */
export interface DeviceStats {
  sizes: ArrayLike<number>
  mtimes: ArrayLike<number>
}

export function deviceLookup(destination: string, stats: DeviceStats): DeviceLookup {
  const atRow = (row: IndexRow): ScanFile | undefined => {
    const i = row.pos
    return Number.isNaN(stats.sizes[i]!)
      ? undefined
      : { rel: row.dst, size: stats.sizes[i]!, mtimeMs: stats.mtimes[i]! }
  }
  return {
    atRow,
    at(dst, row) {
      if (row && row.dst === dst) return atRow(row)
      const s = lstatSync(join(destination, ...dst.split('/')), { throwIfNoEntry: false })
      if (!s) return undefined
      return { rel: dst, size: s.isFile() ? s.size : -1, mtimeMs: Math.trunc(s.mtimeMs) }
    },
  }
}
