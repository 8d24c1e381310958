// Mirror deletions: what Ferry wrote that the sources no longer have. Only Ferry's own files, only
// as it left them, and never for sources that could not be read.
import { sep } from 'node:path'
import type { PackedScan } from '../scan'
import type { IndexRow } from '../sync-index'
import { holdsOurs } from './compare'
import { type Changes, type DeviceLookup, noChanges } from './types'

export interface DeletionsInput {
  index: IndexRow[]
  /** Rows (by position) an up-to-date file accounts for. */
  matchedRows: Uint8Array
  /** Target keys something was planned for. */
  planned: Set<string>
  key: (dst: string) => string
  /** Source path prefixes whose contents are unknown ('' for all of them): see `unknownPrefixes`. */
  unknown: string[]
  device: DeviceLookup
  profileId: number
  /** The person confirmed (sync --force): deletions go ahead even where more than half is gone. */
  force: boolean
}

/**
 * Mirror deletions. A library that lost more than half of what Ferry copied from it since the last
 * sync is more likely half-mounted (a network share, a drive that is still coming up) than half
 * deleted: every deletion is then held and shown as a conflict until the person confirms with force.
 * One music player deleted a user's whole collection by mirroring a library that only looked empty.
 */
export function planDeletions(input: DeletionsInput): Changes {
  const { index, matchedRows, planned, key, unknown, force } = input
  const gone = index.filter(
    (row) =>
      !matchedRows[row.pos] &&
      !planned.has(key(row.dst)) &&
      !unknown.some((u) => u === '' || row.src.startsWith(u)),
  )
  if (!force && gone.length * 2 > index.length) return holdAll(gone, index.length)
  return deleteGone(gone, input)
}

function holdAll(gone: IndexRow[], total: number): Changes {
  const out = noChanges()
  const reason =
    `Held: ${gone.length} of the ${total} files Ferry copied are gone from the sources since the last ` +
    'sync. Is the library fully mounted? Sync with force (ferry profile sync NAME --force) to delete them.'
  for (const row of gone) out.entries.push({ kind: 'conflict', src: null, dst: row.dst, bytes: 0, reason })
  return out
}

function deleteGone(gone: IndexRow[], { device, profileId }: DeletionsInput): Changes {
  const out = noChanges()
  for (const row of gone) {
    const there = device.atRow(row)
    if (there && !holdsOurs(row, there)) {
      out.entries.push({
        kind: 'conflict',
        src: null,
        dst: row.dst,
        bytes: 0,
        reason: 'Changed on the device since Ferry wrote it: kept, not deleted.',
      })
      continue
    }
    const bytes = there?.size ?? 0
    out.bytesFreed += bytes
    const reason = there ? 'No longer in the sources.' : 'Already gone from the device.'
    out.entries.push({ kind: 'delete', src: null, dst: row.dst, bytes, reason })
    out.actions.push({
      kind: 'delete',
      src: null,
      dst: row.dst,
      bytes,
      overwrite: 'skip',
      mark: { profileId, dst: row.dst, remove: true },
    })
  }
  return out
}

/**
 * Sources below a folder that could not be read are unknown, not gone: never deleted for it. Each
 * prefix ends with a separator; an unreadable source root gives '' (everything of it unknown).
 */
export function unknownPrefixes(sources: string[], scans: PackedScan[]): string[] {
  return scans.flatMap((scan, s) =>
    scan.unreadable.map((rel) => (rel ? `${sources[s]}${sep}${rel.split('/').join(sep)}${sep}` : '')),
  )
}
