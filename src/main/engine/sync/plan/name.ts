// Naming: a target path on the device for every candidate, the same on every run.
import { extname } from 'node:path'
import type { Naming } from '../../../../shared/profiles'
import { NameAssigner } from '../names'
import { extOf } from './compare'
import type { Candidate } from './types'

export interface Targets {
  /** Candidates Ferry wrote before, then new ones: the order they were named in. */
  ordered: Candidate[]
  /** Target path (relative, `/`-separated) by source path. */
  targetOf: Map<string, string>
}

/**
 * Files already on the device keep their names (`kept`: the up-to-date ones; a candidate Ferry wrote
 * before keeps its own if it is still of the same kind); then the new ones are named. Candidates come
 * in scan order (sorted within each folder, folders depth first, sources in turn), which makes
 * collisions resolve the same way every run.
 */
export function nameTargets(
  candidates: Candidate[],
  kept: string[],
  naming: Naming,
  convertedExtension: string | null,
): Targets {
  const names = new NameAssigner(naming)
  const targetOf = new Map<string, string>()
  if (candidates.length === 0) return { ordered: [], targetOf }
  for (const dst of kept) names.reserve(dst)
  const wantedExt = (c: Candidate) => (c.mode === 'convert' ? `.${convertedExtension}` : undefined)
  const known = candidates.filter((c) => c.row)
  const fresh = candidates.filter((c) => !c.row)
  for (const c of known) {
    const row = c.row!
    const sameKind = extOf(row.dst) === (wantedExt(c) ?? extname(c.file.rel)).slice(1).toLowerCase()
    targetOf.set(c.abs, sameKind && names.reserve(row.dst) ? row.dst : names.assign(c.file.rel, wantedExt(c)))
  }
  for (const c of fresh) targetOf.set(c.abs, names.assign(c.file.rel, wantedExt(c)))
  return { ordered: [...known, ...fresh], targetOf }
}
