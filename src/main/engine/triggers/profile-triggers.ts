// One profile's triggers as they are armed now: its library watch, its interval, where its device
// was last seen, a firing held back (queue paused, backing off, a run under way, device away), and
// the failures that hold it back.
import type { TriggerKind } from '../../../shared/model'
import type { Profile } from '../../../shared/profiles'
import { Backoff } from './backoff'
import { type Clock, OneTimer } from './clock'
import type { LibraryWatch } from './library-watch'

/** What a held firing waits for. */
export type WaitFor = 'resume' | 'backoff' | 'run' | 'device'

export interface Held {
  trigger: TriggerKind
  detail: string
  waitFor: WaitFor
}

export class ProfileTriggers {
  library?: LibraryWatch
  /** Folders of the library watched, once the watch is set up. */
  watchedFolders: number | null = null
  /** Why the library cannot be watched (it is checked now and then instead). */
  watchFailure: string | null = null
  readonly interval: OneTimer
  /** The library checked now and then when it cannot be watched. */
  readonly fallback: OneTimer
  readonly backoffTimer: OneTimer
  readonly backoff = new Backoff()
  /** Where its device is, by the last scan; undefined until the first scan (the baseline). */
  found: string[] | undefined
  held: Held | null = null
  /** A sync.run of ours is being planned. */
  busy = false
  /** Batches our firings started: their outcome feeds the backoff. */
  readonly batches = new Set<number>()

  constructor(
    public profile: Profile,
    readonly key: string,
    clock: Clock,
  ) {
    this.interval = new OneTimer(clock)
    this.fallback = new OneTimer(clock)
    this.backoffTimer = new OneTimer(clock)
  }

  /** The key of what arming depends on: another key means the triggers are set up anew. */
  static keyOf(p: Profile): string {
    return JSON.stringify([p.id, p.sources, p.destination, p.includeHidden, p.triggers])
  }

  static wanted(p: Profile): boolean {
    const t = p.triggers
    return t.onDevicePlugged || t.onLibraryChange || t.intervalMinutes !== null
  }

  /** Where a sync goes now: the destination when its device is there, else where the marker was found. */
  location(): string | undefined {
    if (!this.found?.length) return undefined
    return this.found.includes(this.profile.destination) ? this.profile.destination : this.found[0]
  }

  close(): void {
    this.library?.close()
    this.library = undefined
    this.interval.clear()
    this.fallback.clear()
    this.backoffTimer.clear()
  }
}
