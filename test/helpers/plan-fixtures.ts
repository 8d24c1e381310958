// Plain data for the sync planner's stage tests: a preset, index rows, candidates, a device.
import type { Preset, PresetSpec } from '../../src/shared/presets'
import type { ScanFile } from '../../src/main/engine/sync/scan'
import type { IndexRow } from '../../src/main/engine/sync/sync-index'
import type { Candidate, DeviceLookup } from '../../src/main/engine/sync/plan/types'

export function preset(spec: Partial<PresetSpec> = {}): Preset {
  const codec = spec.codec ?? 'mp3'
  return {
    name: 'test',
    description: '',
    builtin: false,
    spec: { codec, lossy: 'copy', ...spec } as PresetSpec,
    extension: codec === 'copy' ? null : 'mp3',
    hash: 'mp3hash',
    createdAt: null,
    updatedAt: null,
  }
}

export function row(over: Partial<IndexRow> & { dst: string; src: string }): IndexRow {
  return {
    srcSize: 100,
    srcMtime: 1_000_000,
    madeBy: 'copy',
    dstSize: 100,
    dstMtime: 2_000_000,
    pos: 0,
    ...over,
  }
}

export function candidate(
  abs: string,
  rel: string,
  mode: Candidate['mode'],
  opts: { size?: number; mtimeMs?: number; row?: IndexRow } = {},
): Candidate {
  return {
    abs,
    file: { rel, size: opts.size ?? 100, mtimeMs: opts.mtimeMs ?? 1_000_000 },
    mode,
    row: opts.row,
  }
}

/** A device holding exactly `files` (by target path); the index's files are looked up there too. */
export function device(files: Record<string, { size: number; mtimeMs: number }>): DeviceLookup {
  const at = (dst: string): ScanFile | undefined => (files[dst] ? { rel: dst, ...files[dst] } : undefined)
  return { atRow: (r) => at(r.dst), at }
}
