// What the Sync view shows of each profile between runs: is its device there, how full is it, how did
// the last sync end, and is one under way. Plain data, no imports but types.
import type { DestinationProblem, TaskStatus, TriggerFired } from './model'

/** A device's space as music players' managers show it: Ferry's files, the rest, and what is free. */
export interface DeviceCapacity {
  totalBytes: number
  freeBytes: number
  /** What the profile's index says Ferry wrote there (the sum of sync_index.dst_size). */
  ferryBytes: number
  /** Used by anything else: used − ferryBytes, never negative. */
  otherBytes: number
}

/**
 * present: the destination is there and holds the profile's marker, or the profile never synced and
 * the destination (or the folder it will be made in) is there. absent: not there (unplugged?).
 * no-marker: there, but without the profile's marker although Ferry wrote to it (another card, a
 * reformatted one, the bare folder a card mounts on).
 */
export type DevicePresence = 'present' | 'absent' | 'no-marker'

/** A sync batch of the profile that still has work: waiting to start, running, or held. */
export type SyncRunState = 'queued' | 'running' | 'waiting' | 'paused'

export interface SyncRunInfo {
  batchId: number
  /** When it was enqueued. */
  at: number
  /** When its last task ended; null while it has tasks left. */
  finishedAt: number | null
  counts: Record<TaskStatus, number>
}

export interface ProfileStatus {
  profile: string
  profileId: number
  destination: string
  presence: DevicePresence
  present: boolean
  /** Whether Ferry wrote to the destination (its index is not empty): a missing marker then matters. */
  syncedBefore: boolean
  /** False when the destination folder is still to be made by the first sync (its parent is there). */
  destinationExists: boolean
  /** Where the device is when it was found away from the destination (see TriggerStatus.deviceAt). */
  foundAt: string | null
  /** Read from the destination's filesystem while it is present; null otherwise. */
  capacity: DeviceCapacity | null
  /** The newest finished sync batch; null before the first (or once its tasks were flushed). */
  lastRun: SyncRunInfo | null
  /** The sync under way, if any. */
  current: (SyncRunInfo & { state: SyncRunState; waiting: DestinationProblem | null }) | null
  /** The triggers' side: the newest firings (newest first, at most 10) and what they watch. */
  triggers: TriggerStatus
}

export interface TriggerStatus {
  /** The newest firings of this profile's triggers, newest first (at most 10). */
  recent: TriggerFired[]
  /**
   * A plain sentence on what the triggers do now, or null when none is on: "Watching 1,204 folders
   * of the library", "Too many folders to watch (the system's inotify limit): the library is checked
   * every 10 minutes instead", "Waiting for the device under /media/u, /mnt".
   */
  note: string | null
  /**
   * Where the triggers last found the profile's device by its marker, when that is not the profile's
   * destination (a card mounted at another path, another drive letter); null otherwise. Status, plans
   * and runs go there while the destination itself is not the device.
   */
  deviceAt: string | null
}
