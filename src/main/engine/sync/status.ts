// sync.status: each profile's device (there or not, and how full), its last sync, and the one under
// way. Cheap enough to answer on every queue change: a few stats, one statfs per present device, and
// a handful of indexed queries per profile.
import { stat, statfs } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { DestinationProblem, TaskStatus } from '../../../shared/model'
import type { Profile } from '../../../shared/profiles'
import type {
  DeviceCapacity,
  DevicePresence,
  ProfileStatus,
  TriggerStatus,
  SyncRunInfo,
  SyncRunState,
} from '../../../shared/sync-status'
import type { Db } from '../db/open'
import { readMarker } from '../ops/device'
import type { Dispatcher } from '../queue/dispatcher'
import type { Queue } from '../queue/queue'
import type { ProfileStore } from './profiles'

const OPEN: TaskStatus[] = ['pending', 'active']

export interface StatusDeps {
  db: Db
  queue: Queue
  dispatcher: Dispatcher
  profiles: ProfileStore
  /** The triggers' recent firings and note for a profile (engine/triggers); none when absent. */
  triggers?: (profile: string) => TriggerStatus
}

export async function syncStatus(deps: StatusDeps): Promise<ProfileStatus[]> {
  return Promise.all(deps.profiles.list().map((p) => profileStatus(deps, p)))
}

async function profileStatus(deps: StatusDeps, profile: Profile): Promise<ProfileStatus> {
  const { db } = deps
  const index = db
    .prepare('SELECT count(*) AS n, coalesce(sum(dst_size), 0) AS bytes FROM sync_index WHERE profile_id = ?')
    .get(profile.id) as { n: number; bytes: number }
  const syncedBefore = index.n > 0
  const triggers = deps.triggers?.(profile.name) ?? { recent: [], note: null, deviceAt: null }
  let found = await locate(profile, syncedBefore)
  let foundAt: string | null = null
  if (found.presence !== 'present' && triggers.deviceAt) {
    // The card is mounted elsewhere: its marker names this profile, so that folder is the device.
    const there = await locate({ ...profile, destination: triggers.deviceAt }, syncedBefore)
    if (there.presence === 'present') {
      found = there
      foundAt = triggers.deviceAt
    }
  }
  const { presence, exists, measureAt } = found
  const capacity = measureAt ? await measure(measureAt, index.bytes) : null
  const { lastRun, current } = runs(deps, profile.id)
  return {
    profile: profile.name,
    profileId: profile.id,
    destination: profile.destination,
    foundAt,
    presence: presence === 'present' && !capacity ? 'absent' : presence,
    present: presence === 'present' && capacity !== null,
    syncedBefore,
    destinationExists: exists,
    capacity,
    lastRun,
    current,
    triggers,
  }
}

/**
 * Where the device stands. Once Ferry wrote to a destination, only that folder with the profile's
 * marker is the device (as sync.plan decides); before the first sync, the folder it will be made in
 * is enough.
 */
async function locate(
  profile: Profile,
  syncedBefore: boolean,
): Promise<{ presence: DevicePresence; exists: boolean; measureAt: string | null }> {
  const dst = profile.destination
  const s = await stat(dst).catch(() => undefined)
  if (s?.isDirectory()) {
    if (!syncedBefore || (await readMarker(dst)) === profile.id)
      return { presence: 'present', exists: true, measureAt: dst }
    return { presence: 'no-marker', exists: true, measureAt: null }
  }
  if (!s && !syncedBefore) {
    const parent = await stat(dirname(dst)).catch(() => undefined)
    if (parent?.isDirectory()) return { presence: 'present', exists: false, measureAt: dirname(dst) }
  }
  return { presence: 'absent', exists: Boolean(s), measureAt: null }
}

async function measure(at: string, ferryBytes: number): Promise<DeviceCapacity | null> {
  const s = await statfs(at).catch(() => undefined)
  if (!s) return null
  const totalBytes = s.blocks * s.bsize
  const freeBytes = Math.min(totalBytes, s.bavail * s.bsize)
  const used = totalBytes - freeBytes
  return { totalBytes, freeBytes, ferryBytes, otherBytes: Math.max(0, used - ferryBytes) }
}

/**
 * The profile's newest batches: a sync is refused while another of the same profile has work left,
 * so at most the newest is under way and the one before it is the last finished. Batches whose
 * tasks were all flushed from the queue say nothing any more and are passed over.
 */
function runs(
  deps: StatusDeps,
  profileId: number,
): { lastRun: SyncRunInfo | null; current: ProfileStatus['current'] } {
  const ids = deps.queue.syncRuns(profileId, 2)
  let lastRun: SyncRunInfo | null = null
  let current: ProfileStatus['current'] = null
  for (const id of ids) {
    const run = runInfo(deps, id)
    const open = run.finishedAt === null
    if (open && !current && !lastRun) current = { ...run, ...runState(deps, id) }
    else if (!open && !lastRun) lastRun = run
  }
  return { lastRun, current }
}

/**
 * A run counted in files: its top-level tasks (a convert's move into place is its own child task, and
 * a parent ends as its children do), so "6 done" means six files whatever it took to write them.
 */
function runInfo(deps: StatusDeps, batchId: number): SyncRunInfo {
  const b = deps.queue.batch(batchId)
  const counts = deps.queue.fileCounts(batchId)
  const open = OPEN.some((s) => b.counts[s] > 0)
  const finishedAt = open ? null : (deps.queue.lastFinishedAt(batchId) ?? b.createdAt)
  return { batchId, at: b.createdAt, finishedAt, counts }
}

function runState(
  deps: StatusDeps,
  batchId: number,
): { state: SyncRunState; waiting: DestinationProblem | null } {
  const batch = deps.queue.batch(batchId)
  const p = deps.dispatcher.progress(batchId)
  const waiting = p.waitingFor[0]?.problem ?? null
  if (batch.counts.active > 0) return { state: 'running', waiting: null }
  if (waiting) return { state: 'waiting', waiting }
  if (p.paused || batch.paused) return { state: 'paused', waiting: null }
  return { state: 'queued', waiting: null }
}
