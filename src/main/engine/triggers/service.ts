// Sync triggers: device appeared, library changed, interval. Started by an engine that works the
// queue for a long time (the desktop app, `ferry serve`), never by a one-shot CLI command. Every
// firing goes through the same guards (queue paused → held until it resumes; a run of the profile
// under way → none started; backing off after a failed run) and is recorded and announced
// (trigger.fired) with what came of it.
import type { BatchFinished, TriggerFired, TriggerKind } from '../../../shared/model'
import type { Profile } from '../../../shared/profiles'
import type { TriggerStatus } from '../../../shared/sync-status'
import type { Db } from '../db/open'
import type { EventBus } from '../events'
import type { Dispatcher } from '../queue/dispatcher'
import type { Queue } from '../queue/queue'
import type { ProfileStore } from '../sync/profiles'
import type { SyncService } from '../sync/service'
import { type Clock, OneTimer, realClock } from './clock'
import { type DeviceMap, DeviceWatch } from './device-watch'
import { LibraryWatch } from './library-watch'
import { type Held, ProfileTriggers, type WaitFor } from './profile-triggers'
import { describeStatus } from './status-note'
import { TreeWatches } from './tree-watch'
import { TriggerLog } from './trigger-log'

export interface TriggerOptions {
  clock?: Clock
  /** The library must be quiet this long before a change fires (default 5 s). */
  quietMs?: number
  /** …but a change fires at the latest this long after the first of a burst (default 10 min). */
  maxWaitMs?: number
  /** Device events are gathered this long before a look (default 250 ms). */
  deviceDebounceMs?: number
  /** The slow rescan of the mount roots (default 45 s). */
  rescanMs?: number
  /** How often a library that cannot be watched is checked instead (default 15 min). */
  fallbackMs?: number
  /** Most folders watched in all (default: half of the system's inotify limit). */
  maxWatchedFolders?: number
}

export interface TriggerDeps {
  db: Db
  /** Whether a profile's sync run is still under way. */
  queue: Pick<Queue, 'openSyncRun'>
  events: EventBus
  dispatcher: Dispatcher
  profiles: ProfileStore
  sync: SyncService
  /** Whether Ferry wrote to the profile's destination. */
  syncedBefore(profileId: number): boolean
  /** Folders whose changes are Ferry's own (its data folder). */
  ownFolders: string[]
  log(level: 'info' | 'warn', message: string): void
}

const hhmm = (t: number) => new Date(t).toTimeString().slice(0, 5)

export class TriggerService {
  private readonly clock: Clock
  private readonly log: TriggerLog
  private readonly trees: TreeWatches
  private readonly armed = new Map<number, ProfileTriggers>()
  private readonly rearm: OneTimer
  private device?: DeviceWatch
  private unsubscribe?: () => void
  private paused: boolean
  private stopped = false

  private roots: string[]

  constructor(
    private readonly deps: TriggerDeps,
    private readonly o: TriggerOptions,
    /** The mount roots now (FERRY_MOUNT_ROOTS, else the setting, else the platform's). */
    private readonly readRoots: () => string[],
  ) {
    this.roots = readRoots()
    this.clock = o.clock ?? realClock
    this.log = new TriggerLog(deps.db)
    this.trees = new TreeWatches(o.maxWatchedFolders)
    // Real time, whatever clock the triggers run on: a change of profiles is acted on at once.
    this.rearm = new OneTimer(realClock)
    this.paused = deps.dispatcher.paused
  }

  start(): void {
    this.unsubscribe = this.deps.events.subscribe((name, payload) => {
      if (name === 'profiles.changed') this.rearm.set(100, () => this.arm())
      else if (name === 'batch.finished') this.onBatchFinished(payload as BatchFinished)
      else if (name === 'queue.progress' || name === 'queue.changed') this.onQueue()
    })
    this.arm()
  }

  stop(): void {
    this.stopped = true
    this.unsubscribe?.()
    this.rearm.clear()
    this.device?.stop()
    for (const a of this.armed.values()) a.close()
    this.armed.clear()
    this.trees.close()
  }

  /** The mountRoots setting changed: the device watch starts anew on the new roots. */
  rootsChanged(): void {
    this.roots = this.readRoots()
    this.device?.stop()
    this.device = undefined
    if (this.unsubscribe) this.arm()
  }

  /** What sync.status shows of a profile's triggers. */
  status(profile: Profile): TriggerStatus {
    const at = this.armed.get(profile.id)?.location()
    return {
      recent: this.log.recent(profile.id),
      deviceAt: at && at !== profile.destination ? at : null,
      note: describeStatus(profile, this.armed.get(profile.id), {
        roots: this.roots,
        paused: this.paused,
        fallbackMs: this.fallbackMs,
        now: this.clock.now(),
      }),
    }
  }

  private get fallbackMs(): number {
    return this.o.fallbackMs ?? 15 * 60_000
  }

  /** Sets up each profile's triggers as its settings say; only what changed is set up anew. */
  private arm(): void {
    if (this.stopped) return
    const profiles = this.deps.profiles.list().filter(ProfileTriggers.wanted)
    const keep = new Set<number>()
    for (const p of profiles) {
      keep.add(p.id)
      const key = ProfileTriggers.keyOf(p)
      const current = this.armed.get(p.id)
      if (current?.key === key) {
        current.profile = p // a rename
        continue
      }
      current?.close()
      this.armed.set(p.id, this.armOne(p, key, current))
    }
    for (const [id, a] of this.armed)
      if (!keep.has(id)) {
        a.close()
        this.armed.delete(id)
      }
    if (this.armed.size === 0) {
      this.device?.stop()
      this.device = undefined
      return
    }
    if (!this.device) {
      this.device = new DeviceWatch({
        roots: this.roots,
        targets: () =>
          [...this.armed.values()].map((a) => ({
            profileId: a.profile.id,
            destination: a.profile.destination,
            syncedBefore: this.deps.syncedBefore(a.profile.id),
          })),
        onScan: (found) => this.onScan(found),
        clock: this.clock,
        debounceMs: this.o.deviceDebounceMs ?? 250,
        rescanMs: this.o.rescanMs ?? 45_000,
        log: this.deps.log,
      })
      this.device.start()
    } else void this.device.scan()
  }

  private armOne(p: Profile, key: string, before: ProfileTriggers | undefined): ProfileTriggers {
    const a = new ProfileTriggers(p, key, this.clock)
    // Kept across a change of settings: where the device is, the failures, a held firing.
    if (before) {
      a.found = before.found
      a.held = before.held
      a.backoff.failures = before.backoff.failures
      a.backoff.until = before.backoff.until
      for (const b of before.batches) a.batches.add(b)
    }
    const t = p.triggers
    if (t.onLibraryChange) {
      a.library = new LibraryWatch(this.trees, {
        sources: p.sources,
        includeHidden: p.includeHidden,
        ignore: [p.destination, ...this.deps.ownFolders],
        clock: this.clock,
        quietMs: this.o.quietMs ?? 5000,
        maxWaitMs: this.o.maxWaitMs ?? 10 * 60_000,
        fire: (n) => void this.fire(a, 'change', `${n} change${n === 1 ? '' : 's'} in the library`),
        failed: (reason) => this.watchFailed(a, reason),
      })
      void a.library.ready().then((n) => {
        if (!a.watchFailure) a.watchedFolders = n
      })
    }
    if (t.intervalMinutes !== null) this.scheduleInterval(a)
    if (a.backoff.active(this.clock.now())) this.holdUntilBackoffEnds(a)
    return a
  }

  private watchFailed(a: ProfileTriggers, reason: string): void {
    a.watchFailure = reason
    const minutes = Math.round(this.fallbackMs / 60_000)
    this.deps.log(
      'warn',
      `Triggers of "${a.profile.name}": cannot watch the library (${reason}); it is checked every ${minutes} minutes instead.`,
    )
    const check = () => {
      void this.fire(a, 'change', 'the library checked (it cannot be watched)', { quietWhenIdle: true })
      a.fallback.set(this.fallbackMs, check)
    }
    a.fallback.set(this.fallbackMs, check)
  }

  private scheduleInterval(a: ProfileTriggers): void {
    const minutes = a.profile.triggers.intervalMinutes
    if (minutes === null) return
    a.interval.set(minutes * 60_000, () => {
      // Only while the device is there: an absent device is not a failure worth recording each time.
      if (a.location()) void this.fire(a, 'interval', `every ${minutes} min`)
      this.scheduleInterval(a)
    })
  }

  private onScan(found: DeviceMap): void {
    let seen = false
    for (const a of this.armed.values()) {
      const now = found.get(a.profile.id) ?? []
      const before = a.found
      a.found = now
      if (before === undefined || before.join('\0') !== now.join('\0')) seen = true
      if (before === undefined) continue // the first look is the baseline: what was there already
      const appeared = now.filter((p) => !before.includes(p))
      if (!appeared.length) continue
      const at = appeared.includes(a.profile.destination) ? a.profile.destination : appeared[0]!
      if (a.profile.triggers.onDevicePlugged) {
        a.held = null
        void this.fire(a, 'device', `device appeared at ${at}`, { at })
      } else if (a.held?.waitFor === 'device') this.release(a)
    }
    // Where each device is (or that it is awaited) is part of sync.status: clients refetch it.
    if (seen) this.deps.events.emit('profiles.changed', { at: this.clock.now() })
  }

  private onBatchFinished(b: BatchFinished): void {
    for (const a of this.armed.values()) {
      if (!a.batches.delete(b.batchId)) {
        if (b.profile === a.profile.name && a.held?.waitFor === 'run') this.release(a)
        continue
      }
      if (b.counts.fail > 0) {
        const until = a.backoff.failed(this.clock.now())
        this.deps.log(
          'warn',
          `Triggers of "${a.profile.name}": the sync failed (${b.counts.fail} failed); triggers wait until ${hhmm(until)}.`,
        )
        if (a.held) this.holdUntilBackoffEnds(a)
      } else a.backoff.succeeded()
      if (a.held?.waitFor === 'run') this.release(a)
    }
  }

  /** Held firings go once the queue resumes. */
  private onQueue(): void {
    const paused = this.deps.dispatcher.paused
    const resumed = this.paused && !paused
    this.paused = paused
    if (resumed) for (const a of this.armed.values()) if (a.held?.waitFor === 'resume') this.release(a)
  }

  private holdUntilBackoffEnds(a: ProfileTriggers): void {
    a.backoffTimer.set(a.backoff.until - this.clock.now(), () => {
      if (a.held?.waitFor === 'backoff') this.release(a)
    })
  }

  private release(a: ProfileTriggers): void {
    const h = a.held
    if (!h || this.stopped) return
    a.held = null
    void this.fire(a, h.trigger, h.detail)
  }

  /**
   * One firing: through the guards, then a sync of the profile (to where its device was found, when
   * that is not its destination path). Returns what was recorded, if anything.
   */
  async fire(
    a: ProfileTriggers,
    trigger: TriggerKind,
    detail: string,
    opts: { at?: string; quietWhenIdle?: boolean } = {},
  ): Promise<TriggerFired | undefined> {
    if (this.stopped) return undefined
    const profile = a.profile
    const now = this.clock.now()
    const hold = (waitFor: WaitFor, reason: string) => {
      a.held = { trigger, detail, waitFor } satisfies Held
      return this.record(a, { trigger, detail, outcome: 'skipped', reason, batchId: null })
    }
    if (this.deps.dispatcher.paused) {
      this.paused = true
      return hold('resume', 'The queue is paused: the sync starts when it resumes.')
    }
    const open = this.deps.queue.openSyncRun(profile.id)?.batchId
    if (open !== undefined || a.busy) {
      const under = open !== undefined ? ` (batch ${open})` : ''
      // Changes made while a sync runs may have come too late for it: one more run follows.
      if (trigger === 'change')
        return hold('run', `A sync of this profile is under way${under}; another follows when it ends.`)
      return this.record(a, {
        trigger,
        detail,
        outcome: 'skipped',
        reason: `A sync of this profile is already under way${under}.`,
        batchId: null,
      })
    }
    if (a.backoff.active(now)) {
      const r = hold('backoff', `The last sync failed: triggers wait until ${hhmm(a.backoff.until)}.`)
      this.holdUntilBackoffEnds(a)
      return r
    }
    const at = opts.at ?? a.location()
    if (!at) {
      if (opts.quietWhenIdle) return undefined
      return hold('device', 'The device is not there: the sync starts when it appears.')
    }
    a.busy = true
    try {
      const r = await this.deps.sync.run(
        { profile: profile.name, dryRun: false, force: false, limit: 0 },
        at === profile.destination ? {} : { destination: at },
      )
      if (r.batchId === null) {
        if (opts.quietWhenIdle) return undefined
        a.backoff.succeeded()
        return this.record(a, {
          trigger,
          detail,
          outcome: 'skipped',
          reason: 'Nothing to do: the device is up to date.',
          batchId: null,
        })
      }
      a.batches.add(r.batchId)
      return this.record(a, { trigger, detail, outcome: 'started', reason: null, batchId: r.batchId })
    } catch (err) {
      const until = a.backoff.failed(this.clock.now())
      this.deps.log(
        'warn',
        `Triggers of "${profile.name}": the sync was refused (${(err as Error).message}); triggers wait until ${hhmm(until)}.`,
      )
      return this.record(a, {
        trigger,
        detail,
        outcome: 'failed',
        reason: (err as Error).message,
        batchId: null,
      })
    } finally {
      a.busy = false
    }
  }

  private record(a: ProfileTriggers, f: Omit<TriggerFired, 'profile' | 'at'>): TriggerFired {
    const fired: TriggerFired = { ...f, profile: a.profile.name, at: this.clock.now() }
    try {
      this.log.add(a.profile.id, fired)
    } catch (err) {
      this.deps.log('warn', `A trigger's firing could not be recorded: ${(err as Error).message}`)
    }
    this.deps.events.emit('trigger.fired', fired)
    return fired
  }
}
