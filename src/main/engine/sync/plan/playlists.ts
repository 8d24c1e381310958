// Playlists, rewritten for the device: their lines point at the names the files have there.
import { createHash } from 'node:crypto'
import { dirname, posix, resolve } from 'node:path'
import { readPlaylist, renderPlaylist } from '../playlists'
import type { IndexRow } from '../sync-index'
import { holdsOurs, markFor, sameSource } from './compare'
import { conflictReason } from './judge'
import { type Candidate, type Changes, type DeviceLookup, noChanges, type Skipped } from './types'

export interface PlaylistsInput {
  playlists: Candidate[]
  /** Target path by source path, for every named candidate. */
  targetOf: Map<string, string>
  key: (dst: string) => string
  rowAt: Map<string, IndexRow>
  device: DeviceLookup
  profileId: number
  /** Whether anything else is written or deleted: an unchanged playlist may then point elsewhere. */
  anythingChanged: boolean
  readLines?: (path: string) => Promise<string[]>
}

/**
 * A playlist is read only when something it could mention changed (or it did); it is written when
 * its rendering differs from what Ferry wrote. Appends what turns out up to date to `skipped`, and
 * reads `skipped` for the up-to-date files' names.
 */
export async function planPlaylists(input: PlaylistsInput, skipped: Skipped): Promise<Changes> {
  const { targetOf, rowAt, device, profileId, readLines = readPlaylist } = input
  const out = noChanges()
  /** Up-to-date files by source, built only if a playlist has to be rendered. */
  const skippedBySrc = new Map<string, string>()
  const skip = (c: Candidate, dst: string) => {
    skipped.src.push(c.abs)
    skipped.dst.push(dst)
  }
  for (const c of input.playlists) {
    const dst = targetOf.get(c.abs)!
    const row = rowAt.get(input.key(dst))
    const there = device.at(dst, row)
    const ours = holdsOurs(row, there)
    const unchanged = row !== undefined && ours && sameSource(row, c)
    if (unchanged && !input.anythingChanged) {
      skip(c, dst)
      continue
    }
    if (skippedBySrc.size === 0) skipped.src.forEach((src, i) => skippedBySrc.set(src, skipped.dst[i]!))
    const content = renderPlaylist(
      await readLines(c.abs),
      dirname(c.abs),
      posix.dirname(dst),
      (p) => targetOf.get(resolve(p)) ?? skippedBySrc.get(resolve(p)),
    )
    const madeBy = `playlist:${createHash('sha256').update(content).digest('hex').slice(0, 16)}`
    if (unchanged && row.madeBy === madeBy) {
      skip(c, dst)
      continue
    }
    if (there && !ours) {
      out.entries.push({ kind: 'conflict', src: c.abs, dst, bytes: 0, reason: conflictReason(row) })
      continue
    }
    const bytes = Buffer.byteLength(content)
    out.entries.push({ kind: 'copy', src: c.abs, dst, bytes, reason: 'Playlist rewritten for the device.' })
    out.actions.push({
      kind: 'playlist',
      src: c.abs,
      dst,
      bytes,
      overwrite: 'overwrite',
      content,
      mark: markFor(profileId, dst, c, madeBy),
    })
  }
  return out
}
