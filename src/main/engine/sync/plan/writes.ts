// Conversions and copies: each named candidate judged against the index and the device.
import type { Preset } from '../../../../shared/presets'
import { estimateEncoded } from '../../convert/estimate'
import type { IndexRow } from '../sync-index'
import { markFor } from './compare'
import { judge } from './judge'
import type { Targets } from './name'
import { type Candidate, type Changes, type DeviceLookup, noChanges, type Skipped } from './types'

export interface WritesInput {
  targets: Targets
  preset: Preset
  profileId: number
  key: (dst: string) => string
  /** Index rows by target key. */
  rowAt: Map<string, IndexRow>
  device: DeviceLookup
}

export interface Writes extends Changes {
  /** Playlists, judged once the files they mention are (they are rendered from those names). */
  playlists: Candidate[]
  /** Target keys something was planned for: their rows are not deleted. */
  planned: Set<string>
}

/** Appends what turns out up to date to `skipped`. */
export function planWrites(input: WritesInput, skipped: Skipped): Writes {
  const { targets, preset, key } = input
  const out: Writes = { ...noChanges(), playlists: [], planned: new Set() }
  for (const c of targets.ordered) {
    const dst = targets.targetOf.get(c.abs)!
    const k = key(dst)
    out.planned.add(k)
    if (c.mode === 'playlist') {
      out.playlists.push(c)
      continue
    }
    const madeBy = c.mode === 'convert' ? preset.hash : 'copy'
    const row = input.rowAt.get(k)
    const verdict = judge(c, madeBy, row, input.device.at(dst, row))
    if (verdict.kind === 'skip') {
      skipped.src.push(c.abs)
      skipped.dst.push(dst)
      continue
    }
    if (verdict.kind === 'conflict') {
      out.entries.push({ kind: 'conflict', src: c.abs, dst, bytes: 0, reason: verdict.reason })
      continue
    }
    const bytes = c.mode === 'convert' ? estimateEncoded(c.file.size, preset) : c.file.size
    out.bytesFreed += verdict.replaces
    out.entries.push({ kind: c.mode, src: c.abs, dst, bytes, reason: verdict.reason })
    out.actions.push({
      kind: c.mode,
      src: c.abs,
      dst,
      // The source's size: what the worker reads (the entry shows the estimate of what it writes).
      bytes: c.file.size,
      overwrite: verdict.replaces || verdict.overwrite ? 'overwrite' : 'skip',
      mark: markFor(input.profileId, dst, c, madeBy),
    })
  }
  return out
}
