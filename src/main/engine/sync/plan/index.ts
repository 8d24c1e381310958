// planSync: what a sync would do, from a stat-only scan of the sources, a stat of the files the
// profile's index says Ferry wrote, and the index itself. Reads no file content for files that have
// not changed. Each stage is a function of the ones before it, in its own file here.
import { randomBytes } from 'node:crypto'
import type { Preset } from '../../../../shared/presets'
import type { Profile } from '../../../../shared/profiles'
import { targetKey } from './compare'
import { planDeletions, unknownPrefixes } from './deletions'
import { checkDestination, freeSpace } from './destination'
import { deviceLookup } from './device'
import { gatherInputs, type IndexSource, rowsByTarget } from './inputs'
import { nameTargets } from './name'
import { planPlaylists } from './playlists'
import { selectionRules } from './select'
import { gatherChanges, sortEntries, sumTotals } from './totals'
import { triage } from './triage'
import { type ComputedPlan, noChanges } from './types'
import { planWrites } from './writes'

export type { Action, ComputedPlan, DestinationState, Skipped } from './types'

export async function planSync(
  profile: Profile,
  preset: Preset,
  /** Read while the scans run, so the index loads in their shadow. */
  store: IndexSource,
  opts: { convertWorkers: number; force?: boolean },
): Promise<ComputedPlan> {
  const destination = await checkDestination(profile, {
    syncedBefore: store.any(),
    force: opts.force === true,
  })
  const started = performance.now()
  const { scans, index, rowsByRel, device: stats } = await gatherInputs(profile, store)
  const device = deviceLookup(profile.destination, stats)
  const key = targetKey(profile.naming)

  // Select, classify, and set aside what is up to date; name and judge the rest. `skipped` is the
  // one list of up-to-date files: the writes and playlists stages add theirs to it.
  const found = await triage(scans, rowsByRel, selectionRules(profile), preset, stats)
  const { skipped } = found
  const targets = nameTargets(found.candidates, skipped.dst, profile.naming, preset.extension)
  const rowAt = rowsByTarget(index, key, found.candidates.length > 0)
  const writes = planWrites({ targets, preset, profileId: profile.id, key, rowAt, device }, skipped)

  // Mirror deletions; when an up-to-date file accounts for every index row, nothing can be gone
  // (and a no-change resync skips a pass over the whole index).
  const mirror = profile.delete === 'mirror' && found.matched !== index.length
  const deletions = mirror
    ? planDeletions({
        index,
        matchedRows: found.matchedRows,
        planned: writes.planned,
        key,
        unknown: unknownPrefixes(profile.sources, scans),
        device,
        profileId: profile.id,
        force: opts.force === true,
      })
    : noChanges()

  const playlists = await planPlaylists(
    {
      playlists: writes.playlists,
      targetOf: targets.targetOf,
      key,
      rowAt,
      device,
      profileId: profile.id,
      anythingChanged: writes.actions.length + deletions.actions.length > 0,
    },
    skipped,
  )

  const stages = [writes, deletions, playlists]
  const freeBytes = await freeSpace(profile.destination, destination)
  const totals = sumTotals({
    changes: stages,
    skippedCount: skipped.src.length,
    freeBytes,
    convertWorkers: opts.convertWorkers,
    scans,
    files: found.files,
    seconds: (performance.now() - started) / 1000,
  })
  // Changes, sorted; the (many) up-to-date files are kept apart and listed after them.
  const { entries, actions } = gatherChanges(stages)
  return { entries: sortEntries(entries), skipped, actions, totals, device: destination }
}

export const newPlanId = (): string => randomBytes(6).toString('hex')
