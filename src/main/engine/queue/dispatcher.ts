import { statfs } from 'node:fs/promises'
import { dirname } from 'node:path'
import {
  type DestinationProblem,
  LANES,
  type Lane,
  type QueueProgress,
  type Task,
} from '../../../shared/model'
import type { SettingsStore } from '../db/settings'
import type { EventBus } from '../events'
import { checkRoot, type RootIdentity } from '../ops/device'
import { exists, sweepTemps } from '../ops/fsutil'
import type { CacheUse, ConvertEnv, OpResult, Written } from '../ops/types'
import type { Claimed, WorkerPool } from '../workers/pool'
import type { Queue } from './queue'
import { RateMeter } from './rate'

/** What the dispatcher needs from the rest of the engine: conversions, the cache, the sync index. */
export interface EngineHooks {
  env(): Promise<ConvertEnv>
  cacheUsed(use: CacheUse): void
  /** A task ends ok or skipped: runs inside the transaction that records it. */
  finishing?(task: Task, written: Written | undefined): void
  /** After a change of the queue: batches that have nothing left to run are announced (batch.finished). */
  settled?(): void
}

/** How often the dispatcher looks for tasks whose backoff ended and devices that came back. */
const TICK_MS = 500
/** How long a root's check and the converters' environment are taken as still true (see fillLane). */
const FRESH_MS = 250

/**
 * Moves tasks from the queue to the workers and their results back, one transaction per result.
 * Files are read and written only by workers; the main process runs SQLite statements, checks that a
 * destination root is still its device (a stat, a statfs for room) and, at start-up, removes the
 * temporary files of tasks a crash cut short.
 */
export class Dispatcher {
  private timer?: ReturnType<typeof setInterval>
  private scheduled = false
  private filling = false
  private fillAgain = false
  private progressTimer?: ReturnType<typeof setTimeout>
  private lastProgress = 0
  private stopped = false
  /** Tasks being stopped by "pause now", to be requeued rather than cancelled. */
  private readonly requeueOnStop = new Set<number>()
  /**
   * Tasks whose device went away while they wrote: the temporary file stays on the device (a lazily
   * unmounted card keeps it), so their next run sweeps for it, as a rerun after a crash does.
   */
  private readonly cutShort = new Set<number>()
  private readonly rate = new RateMeter()
  private readonly live = new Map<number, number>() // bytes done of running tasks, kept in memory
  /** Results reported and not yet recorded (recorded together at the next turn of the event loop). */
  private results: [Task, OpResult][] = []
  /** Destination roots batches recorded (they never change), and why a waiting batch waits. */
  private readonly roots = new Map<number, RootIdentity | null>()
  private readonly waitReasons = new Map<number, DestinationProblem>()
  /** Roots checked, and the converters' environment, as learnt at `learntAt` (see fillLane). */
  private readonly checked = new Map<string, DestinationProblem | undefined>()
  private env?: ConvertEnv
  private learntAt = 0

  constructor(
    private readonly queue: Queue,
    private readonly pool: WorkerPool,
    private readonly settings: SettingsStore,
    private readonly events: EventBus,
    private readonly hooks?: EngineHooks,
  ) {}

  /** Kept in memory (read for every claim): only this dispatcher changes it, and one engine owns the db. */
  private pausedNow?: boolean

  get paused(): boolean {
    this.pausedNow ??= this.settings.get<boolean>('queuePaused') === true
    return this.pausedNow
  }

  /** Recovers what a dead engine left active, then starts working the queue. */
  async start(): Promise<void> {
    const { requeued } = this.queue.recover()
    // Tasks left waiting for their device may have been cut short mid-write by its going: their
    // next run looks for the temporary file it left (see cutShort).
    for (const id of this.queue.waitingForDevice()) this.cutShort.add(id)
    // A crash between a worker's write and its rename leaves a temporary file: remove it now.
    await Promise.all(requeued.filter((t) => t.dst).map((t) => sweepTemps(dirname(t.dst!), t.id)))
    this.timer = setInterval(() => void this.tick(), TICK_MS)
    this.timer.unref?.()
    this.settle() // tasks recovery failed for good may have ended their batch
    this.kick()
  }

  /**
   * Work for a lane is about to be enqueued: its first worker starts now, while the sources are
   * walked (a process start is ~0.1 s, which a one-shot `ferry cp` would otherwise wait for after).
   * For encodes, the ffmpeg to use is looked for now too (each one found is run once), not after.
   */
  warm(lane: Lane): void {
    if (!this.timer || this.stopped || this.paused) return
    this.pool.warm(lane)
    // Its outcome (or failure) is kept by the engine and reported when the first encode asks for it.
    if (lane === 'convert') this.hooks?.env().catch(() => {})
  }

  /** Announces the batches a change left with nothing to run (the queue handlers call it too). */
  settle(): void {
    this.hooks?.settled?.()
  }

  /** The settings changed: the next pass asks for the converters' environment and the roots again. */
  relearn(): void {
    this.learntAt = 0
  }

  /**
   * Asks for a dispatch pass soon (coalesces many calls into one). Nothing before start(): an engine
   * that only answers questions or only enqueues (work: false, `--enqueue-only`) never runs a task.
   */
  kick(): void {
    if (this.scheduled || this.stopped || !this.timer) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      void this.fill()
    })
  }

  pause(now: boolean): void {
    this.settings.set('queuePaused', true)
    this.pausedNow = true
    if (now) {
      for (const t of this.pool.running()) {
        this.requeueOnStop.add(t.id)
        this.pool.cancel(t.id)
      }
    }
    this.changed()
  }

  resume(): void {
    this.settings.set('queuePaused', false)
    this.pausedNow = false
    this.changed()
    this.kick()
  }

  /** Cancels tasks: pending ones at once, running ones once their worker has stopped. */
  cancel(active: number[]): void {
    for (const id of active) this.pool.cancel(id)
    this.changed()
  }

  progress(batchId?: number): QueueProgress {
    const { counts, bytesTotal, bytesDone } = this.queue.counts(batchId)
    let live = 0
    for (const t of this.pool.running()) {
      if (batchId === undefined || t.batchId === batchId) live += this.live.get(t.id) ?? 0
    }
    const done = bytesDone + live
    const rate = this.rate.rate()
    const remaining = Math.max(0, bytesTotal - done)
    const waitingFor = this.queue
      .waitingRoots()
      .filter((w) => batchId === undefined || w.batchId === batchId)
      .map((w) => ({ ...w, problem: this.waitReasons.get(w.batchId) ?? 'absent' }))
    // Nothing moves while everything left waits for a device: no time can be promised.
    const stuck = waitingFor.length > 0 && counts.active === 0
    return {
      paused: this.paused,
      counts,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
      bytesTotal,
      bytesDone: done,
      rate: stuck ? 0 : rate,
      eta: remaining === 0 ? 0 : rate > 0 && !stuck ? Math.ceil(remaining / rate) : null,
      workers: this.pool.states(),
      waitingFor,
    }
  }

  /** Stops dispatching; running tasks go back to pending (their attempt not counted). */
  stop(): void {
    this.recordResults() // what workers reported done is recorded, not run again
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    if (this.progressTimer) clearTimeout(this.progressTimer)
    const running = this.pool.running()
    this.pool.close()
    for (const t of running) this.queue.requeue(t.id)
  }

  private async tick(): Promise<void> {
    // Devices that came back: their waiting tasks become ready again.
    for (const { batchId, root } of this.queue.waitingRoots()) {
      let problem = await this.destinationProblem(batchId, root)
      if (!problem && this.waitReasons.get(batchId) === 'full' && !(await this.hasRoom(batchId, root)))
        problem = 'full'
      if (problem) {
        this.waitReasons.set(batchId, problem)
        continue
      }
      this.waitReasons.delete(batchId)
      this.checked.delete(rootKey(batchId, root))
      this.queue.setRootWaiting(batchId, root, false)
      this.changed()
    }
    await this.fill()
    if (this.pool.running().length > 0) this.emitProgress()
  }

  /** One fill at a time: a call during a fill asks for another pass once it ends. */
  private async fill(): Promise<void> {
    if (this.filling) {
      this.fillAgain = true
      return
    }
    this.filling = true
    try {
      do {
        this.fillAgain = false
        if (this.stopped || this.paused) return
        for (const lane of LANES) await this.fillLane(lane)
      } while (this.fillAgain)
    } finally {
      this.filling = false
    }
  }

  private async fillLane(lane: Lane): Promise<void> {
    // What was learnt of the roots and the converters' environment serves the passes of the next
    // FRESH_MS, then is asked again: each result starts a pass, and an asynchronous check before each
    // task was most of the engine's turn between two encodes. A worker checks its root itself before
    // it writes anything (a device that went meanwhile: the task waits for it, as it would here).
    if (Date.now() - this.learntAt > FRESH_MS) {
      this.checked.clear()
      this.env = undefined
      this.learntAt = Date.now()
    }
    const checked = this.checked
    while (!this.stopped && !this.paused) {
      const { awaits, assigned } = this.claimAtOnce(lane, checked)
      this.pool.flush()
      if (assigned) this.changed()
      if (!awaits) return
      await this.startAwaited(awaits, checked)
    }
  }

  /**
   * Claims tasks for the lane's free room in one transaction (a commit a claim cost more than the
   * claim), and assigns each to a worker, for as long as none needs something awaited first: a root
   * not checked yet this pass, or a converter's environment. That task is returned, claimed, for
   * `startAwaited`; the others leave for their workers once the transaction has committed.
   */
  private claimAtOnce(
    lane: Lane,
    checked: Map<string, DestinationProblem | undefined>,
  ): { awaits?: Claimed; assigned: number } {
    const assigned: number[] = []
    let awaits: Claimed | undefined
    try {
      this.queue.together(() => {
        for (;;) {
          const room = this.pool.room(lane)
          const task = room && this.queue.claim(lane, room === 'idle' ? undefined : room)
          if (!task) return
          const key = task.root && rootKey(task.batchId, task.root)
          if ((key && !checked.has(key)) || (task.type === 'convert' && this.hooks && !this.env)) {
            awaits = task
            return
          }
          const problem = key ? checked.get(key) : undefined
          if (problem) this.holdForDevice(task, problem)
          else {
            this.assign(task, task.type === 'convert' ? this.env : undefined)
            assigned.push(task.id)
          }
        }
      })
    } catch (err) {
      // Rolled back: the claims never happened, and no worker has heard of them.
      this.pool.unassign(assigned)
      for (const id of assigned) this.live.delete(id)
      throw err
    }
    return { awaits, assigned: assigned.length }
  }

  /** Starts a claimed task once its root is checked and (a conversion) its environment known. */
  private async startAwaited(
    task: Claimed,
    checked: Map<string, DestinationProblem | undefined>,
  ): Promise<void> {
    const key = task.root && rootKey(task.batchId, task.root)
    if (key && !checked.has(key)) checked.set(key, await this.destinationProblem(task.batchId, task.root!))
    const problem = key ? checked.get(key) : undefined
    if (problem) return this.holdForDevice(task, problem)
    let env: ConvertEnv | undefined
    if (task.type === 'convert' && this.hooks) {
      env = this.env ?? (await this.hooks.env())
      if (this.stopped) return this.queue.requeue(task.id)
      this.env = env
    }
    try {
      this.assign(task, env)
      this.pool.flush()
    } catch (err) {
      this.live.delete(task.id)
      this.queue.requeue(task.id) // never leave a claimed task active with no worker
      throw err
    }
    this.changed()
  }

  /** Unplugged: this task and the rest of its batch wait, instead of failing in turn. */
  private holdForDevice(task: Claimed, problem: DestinationProblem): void {
    this.queue.requeue(task.id, 'destination')
    this.waitFor(task, problem)
  }

  private assign(task: Claimed, env?: ConvertEnv): void {
    // A device that went mid-write kept the temporary file on it: this run sweeps it.
    if (this.cutShort.delete(task.id)) task.rerun = true
    this.live.set(task.id, 0)
    this.pool.assign(task, env, this.rootOf(task.batchId))
  }

  /** Called by the pool. */
  onProgress(task: Task, done: number): void {
    const before = this.live.get(task.id) ?? 0
    this.live.set(task.id, done)
    this.rate.add(Math.max(0, done - before))
    this.emitProgress()
  }

  /**
   * Called by the pool. The results that arrive together (a worker's group commit reports its files
   * in one burst) are recorded together, in one transaction, then more work is looked for. Each was
   * reported only once its file and folder were synced: recording it later is safe (a crash before
   * that runs the task again), recording it sooner is not.
   */
  onResult(task: Task, result: OpResult): void {
    const sent = this.live.get(task.id) ?? 0
    this.live.delete(task.id)
    if (this.stopped) return
    if (result.kind === 'ok') this.rate.add(Math.max(0, (result.bytes ?? task.bytesTotal) - sent))
    this.results.push([task, result])
    if (this.results.length === 1) setImmediate(() => this.recordResults())
  }

  private recordResults(): void {
    const results = this.results
    if (results.length === 0) return
    this.results = []
    this.queue.together(() => {
      for (const [task, result] of results) this.record(task, result)
    })
    this.changed()
    this.kick()
  }

  private record(task: Task, result: OpResult): void {
    switch (result.kind) {
      case 'ok':
        this.queue.complete(task, result.result ?? null, result.children, result.source, () =>
          this.hooks?.finishing?.(task, result.written),
        )
        if (result.cache) this.hooks?.cacheUsed(result.cache)
        break
      case 'skip':
        this.queue.finish(task.id, 'skip', result.reason, [], () =>
          this.hooks?.finishing?.(task, result.written),
        )
        break
      case 'fail':
        this.queue.fail(task.id, result.error, result.retryable)
        // A worker that died mid-write left its temporary file (a retry would sweep it; a last attempt not).
        if (task.dst) void sweepTemps(dirname(task.dst), task.id)
        break
      case 'wait':
        this.cutShort.add(task.id)
        this.queue.requeue(task.id, 'destination')
        this.waitFor(task, result.problem ?? 'absent')
        break
      case 'cancelled':
        if (this.requeueOnStop.delete(task.id)) this.queue.requeue(task.id)
        else this.queue.cancelled(task.id)
        // A worker killed after a cancel it did not heed may have left its temporary file.
        if (task.dst) void sweepTemps(dirname(task.dst), task.id)
        break
    }
  }

  private rootOf(batchId: number): RootIdentity | undefined {
    if (!this.roots.has(batchId)) this.roots.set(batchId, this.queue.batchRoot(batchId) ?? null)
    return this.roots.get(batchId) ?? undefined
  }

  /** Why a batch cannot write into its root now, or undefined when it can. */
  private async destinationProblem(batchId: number, root: string): Promise<DestinationProblem | undefined> {
    const id = this.rootOf(batchId)
    if (!id) return (await exists(root)) ? undefined : 'absent' // a batch from before roots were recorded
    const c = await checkRoot(id)
    return c.ok ? undefined : c.problem
  }

  /** A full destination has room again for the smallest file its batch still has to write. */
  private async hasRoom(batchId: number, root: string): Promise<boolean> {
    const s = await statfs(root).catch(() => undefined)
    if (!s) return false
    return s.bavail * s.bsize >= this.queue.smallestWaiting(batchId) + 1024 * 1024
  }

  private waitFor(task: Task, problem: DestinationProblem): void {
    this.waitReasons.set(task.batchId, problem)
    if (task.root) this.queue.setRootWaiting(task.batchId, task.root, true)
    this.changed()
  }

  private changed(): void {
    this.settle()
    this.events.emit('queue.changed', { at: Date.now() })
    this.emitProgress()
  }

  /** Computes the progress snapshot at most 10 times a second, however many tasks finish. */
  private emitProgress(): void {
    if (this.progressTimer || this.stopped) return
    const wait = Math.max(0, this.lastProgress + 100 - Date.now())
    this.progressTimer = setTimeout(() => {
      this.progressTimer = undefined
      this.lastProgress = Date.now()
      if (!this.stopped) this.events.emit('queue.progress', this.progress())
    }, wait)
  }
}

const rootKey = (batchId: number, root: string) => `${batchId}\0${root}`
