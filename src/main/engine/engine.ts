import type {
  CommandName,
  CommandOutput,
  EventName,
  EventPayload,
  FerryApi,
  InvokeArgs,
} from '../../shared/contract'
import { FerryError } from '../../shared/errors'
import { join } from 'node:path'
import type { EngineKind, FfmpegInfo, Lane } from '../../shared/model'
import type { EngineContext } from './context'
import { type Db, openDatabase } from './db/open'
import { SettingsStore } from './db/settings'
import { EventBus, type EventSink } from './events'
import { inspectFfmpeg } from './ffmpeg/inspect'
import { fileMemo } from './ffmpeg/memo'
import { ffmpegCandidates } from './ffmpeg/locate'
import { type Caller, checkCaller, checkDeleteRoot } from './caller-policy'
import { dispatch } from './dispatch'
import { createHandlers, type Handlers } from './handlers'
import { databaseFile, ffmpegMemoPath, resolveDataDir } from './paths'
import { TranscodeCache } from './convert/cache'
import { PresetStore } from './convert/presets'
import { ProfileStore } from './sync/profiles'
import { SyncService } from './sync/service'
import { SyncIndex } from './sync/sync-index'
import { Dispatcher, type EngineHooks } from './queue/dispatcher'
import { readSettings } from './system/settings'
import { Queue } from './queue/queue'
import { BatchFinishWatch } from './queue/batch-finished'
import { describeStatus } from './triggers/status-note'
import { mountRoots } from './triggers/mount-roots'
import { type TriggerOptions, TriggerService } from './triggers/service'
import { TriggerLog } from './triggers/trigger-log'
import { findWorkerScript, forkWorker } from './workers/fork'
import { WorkerPool } from './workers/pool'
import type { SpawnWorker } from './workers/protocol'
import {
  describeRuntime,
  type RuntimeInfo,
  readRuntimeFile,
  removeRuntimeFile,
  writeRuntimeFile,
} from './runtime-file'

export interface EngineOptions {
  kind: EngineKind
  /** Defaults to FERRY_DATA_DIR, then the platform's user-data folder. */
  dataDir?: string
  /** better-sqlite3 addon for another ABI (Electron's); see scripts/native-electron.mjs. */
  nativeBinding?: string
  /** Run queued tasks (default). An engine that only answers questions (`ferry info`) does not. */
  work?: boolean
  /** Starts a worker process: child_process.fork by default; the desktop app passes utilityProcess. */
  spawnWorker?: SpawnWorker
  /** The built worker script (out/main/worker.js); found beside the engine's bundle by default. */
  workerScript?: string
  /** Worker processes per lane; defaults: transfer 1, convert = CPU cores (or the saved setting). */
  workers?: Partial<Record<Lane, number>>
  /**
   * Sync triggers (device plugged in, library changed, interval), started with the work: on by
   * default for the long-running engines (the desktop app, `ferry serve`), off for a one-shot CLI
   * command and tests unless asked (with options: a fake clock, shorter quiet periods).
   */
  triggers?: boolean | TriggerOptions
}

/**
 * One engine owns one database. It validates every command once, here, against the contract, and
 * runs it through the handler table; every transport calls `invoke` and `subscribe`.
 */
export class Engine {
  readonly events = new EventBus()
  readonly dataDir: string
  readonly databasePath: string
  private readonly handlers: Handlers
  private readonly ctx: EngineContext
  private ffmpegInfo?: Promise<FfmpegInfo>
  private runtime: RuntimeInfo
  private closed = false

  readonly queue: Queue
  readonly pool: WorkerPool
  readonly dispatcher: Dispatcher
  readonly settings: SettingsStore
  readonly presets: PresetStore
  readonly cache: TranscodeCache
  private readonly profiles: ProfileStore
  private readonly syncIndex: SyncIndex
  private readonly sync: SyncService
  private readonly finishes: BatchFinishWatch
  /** Null when this engine runs no triggers. */
  readonly triggers: TriggerService | null
  private evicting: Promise<unknown> = Promise.resolve()
  /** Settles once start-up recovery is done and the queue is being worked. */
  readonly ready: Promise<void>
  private working?: Promise<void>

  private constructor(
    readonly kind: EngineKind,
    dataDir: string,
    readonly db: Db,
    opts: EngineOptions,
  ) {
    this.dataDir = dataDir
    this.databasePath = databaseFile(dataDir)
    // The stores over the database.
    this.settings = new SettingsStore(db)
    this.queue = new Queue(db)
    this.queue.dropUnsealed() // what a crash left half-enqueued goes before anyone can see it
    this.presets = new PresetStore(db, this.queue)
    this.cache = new TranscodeCache(db, this.settings, this.queue, join(dataDir, 'cache', 'transcode'))
    this.profiles = new ProfileStore(db)
    this.syncIndex = new SyncIndex(db)
    // The workers, and the dispatcher that feeds them.
    this.pool = this.createPool(opts)
    this.finishes = new BatchFinishWatch(this.queue, this.events)
    this.dispatcher = new Dispatcher(
      this.queue,
      this.pool,
      this.settings,
      this.events,
      this.dispatcherHooks(),
    )
    // Sync, and what starts it by itself.
    this.sync = this.createSyncService()
    this.triggers = this.createTriggers(opts.triggers ?? (kind === 'desktop' || kind === 'serve'))
    // The handlers, and how to reach this engine.
    this.ctx = this.createContext()
    this.handlers = createHandlers(this.ctx)
    this.runtime = { pid: process.pid, kind, startedAt: Date.now(), dataDir }
    writeRuntimeFile(this.runtime)
    this.ready = opts.work === false ? Promise.resolve() : this.startWork()
  }

  private createPool(opts: EngineOptions): WorkerPool {
    const saved = readSettings(this.settings)
    const sizes: Record<Lane, number> = {
      transfer: opts.workers?.transfer ?? saved['workers.transfer'],
      convert: opts.workers?.convert ?? saved['workers.convert'],
    }
    return new WorkerPool(opts.workerScript ?? findWorkerScript(), opts.spawnWorker ?? forkWorker, sizes, {
      onResult: (task, result) => this.dispatcher.onResult(task, result),
      onProgress: (task, done) => this.dispatcher.onProgress(task, done),
    })
  }

  /** What the dispatcher asks of the rest of the engine while it runs tasks. */
  private dispatcherHooks(): EngineHooks {
    return {
      env: async () => {
        const info = await this.ffmpeg()
        return {
          ffmpeg: info.ok
            ? { ok: true, path: info.path }
            : { ok: false, error: `There is no ffmpeg to convert with: ${info.error}` },
          cacheDir: this.cache.dir,
          cacheEnabled: this.cache.enabled,
          stallMs: readSettings(this.settings)['convert.stallSeconds'] * 1000,
        }
      },
      // A sync's task ends: its index row changes in the same transaction.
      finishing: (task, written) => {
        const mark = task.spec.sync
        if (!mark) return
        // A copy records the version of the source it copied, which may be newer than the plan's.
        const copied = written?.source && task.src === mark.src ? written.source : undefined
        this.syncIndex.apply(
          copied ? { ...mark, srcSize: copied.size, srcMtime: copied.mtimeMs } : mark,
          written,
        )
      },
      cacheUsed: (use) => {
        this.cache.record(use)
        this.evict()
      },
      settled: () => this.finishes.check(),
    }
  }

  private createSyncService(): SyncService {
    return new SyncService(
      this.queue,
      this.presets,
      this.profiles,
      this.syncIndex,
      this.dataDir,
      () => readSettings(this.settings)['workers.convert'],
      () => {
        this.events.emit('queue.changed', { at: Date.now() })
        this.dispatcher.kick()
      },
    )
  }

  private createTriggers(triggerOpts: boolean | TriggerOptions): TriggerService | null {
    if (!triggerOpts) return null
    return new TriggerService(
      {
        db: this.db,
        queue: this.queue,
        events: this.events,
        dispatcher: this.dispatcher,
        profiles: this.profiles,
        sync: this.sync,
        syncedBefore: (id) => this.syncIndex.has(id),
        ownFolders: [this.dataDir],
        log: (level, message) => this.log(level, message),
      },
      triggerOpts === true ? {} : triggerOpts,
      () => mountRoots(readSettings(this.settings).mountRoots).roots,
    )
  }

  /** What the handlers get to work with. */
  private createContext(): EngineContext {
    const triggerLog = new TriggerLog(this.db)
    return {
      kind: this.kind,
      dataDir: this.dataDir,
      databasePath: this.databasePath,
      db: this.db,
      settings: this.settings,
      events: this.events,
      queue: this.queue,
      dispatcher: this.dispatcher,
      presets: this.presets,
      cache: this.cache,
      profiles: this.profiles,
      sync: this.sync,
      triggers: (name) => {
        const p = this.profiles.get(name)
        if (this.triggers) return this.triggers.status(p)
        return { recent: triggerLog.recent(p.id), note: describeStatus(p, undefined, null), deviceAt: null }
      },
      ffmpeg: () => this.ffmpeg(),
      startWork: () => this.startWork(),
      settingsChanged: (change) => {
        if (change.ffmpegPath !== undefined) this.ffmpegInfo = undefined
        if (change['workers.convert']) this.pool.resize('convert', change['workers.convert'])
        if (change['workers.transfer']) this.pool.resize('transfer', change['workers.transfer'])
        if (change['cache.maxBytes'] !== undefined) this.evict()
        if (change.mountRoots !== undefined) this.triggers?.rootsChanged()
        this.dispatcher.relearn()
        this.dispatcher.kick()
      },
    }
  }

  /** The ffmpeg in use, looked for once (again after its setting changes). */
  private ffmpeg(): Promise<FfmpegInfo> {
    this.ffmpegInfo ??= ffmpegCandidates(readSettings(this.settings).ffmpegPath ?? undefined).then((c) =>
      inspectFfmpeg(c, fileMemo(ffmpegMemoPath(this.dataDir))),
    )
    return this.ffmpegInfo
  }

  /** Reconciles the cache and starts the dispatcher, once. */
  startWork(): Promise<void> {
    this.working ??= this.cache
      .reconcile()
      .then(() => this.dispatcher.start())
      .then(() => this.triggers?.start())
    return this.working
  }

  static open(opts: EngineOptions): Engine {
    performance.mark('engine:open')
    const dataDir = resolveDataDir(opts.dataDir)
    const db = openDatabase(databaseFile(dataDir), {
      nativeBinding: opts.nativeBinding,
      describeOwner: () => {
        const owner = readRuntimeFile(dataDir)
        return owner ? describeRuntime(owner) : undefined
      },
    })
    performance.mark('engine:database-open')
    const engine = new Engine(opts.kind, dataDir, db, opts)
    performance.mark('engine:constructed')
    return engine
  }

  /**
   * The transports' entry point: an untrusted name and input, validated here and only here. A page
   * (the renderer, a browser tab) is held to what a page may do (see checkCaller).
   */
  async invoke(name: unknown, input: unknown, caller: Caller = 'trusted'): Promise<unknown> {
    if (this.closed) throw new FerryError('unavailable', 'The engine is shutting down.')
    return dispatch(this.handlers, name, input, async (n, parsed) => {
      await checkCaller(caller, n, parsed, this.ctx)
      await checkDeleteRoot(n, parsed, this.ctx)
    })
  }

  /** Typed in-process client: tests, and the CLI when no engine is running. */
  readonly api: FerryApi = {
    invoke: <K extends CommandName>(name: K, ...args: InvokeArgs<K>) =>
      this.invoke(name, args[0]) as Promise<CommandOutput<K>>,
    on: <E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) =>
      this.subscribe((n, p) => {
        if (n === name) listener(p as EventPayload<E>)
      }),
  }

  subscribe(sink: EventSink): () => void {
    return this.events.subscribe(sink)
  }

  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.events.emit('engine.log', { level, message, at: Date.now() })
  }

  /** Evicts from the transcode cache, one eviction after another (close waits for the last). */
  private evict(): void {
    this.evicting = this.evicting
      .then(() => this.cache.evict())
      .catch((err: Error) => this.log('warn', `Transcode cache eviction failed: ${err.message}`))
  }

  /** Records how this engine can be reached (the server calls it once it listens). */
  advertise(endpoint: { port: number; token: string; url: string }): void {
    this.runtime = { ...this.runtime, ...endpoint }
    writeRuntimeFile(this.runtime)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.ready.catch(() => undefined)
    this.triggers?.stop()
    this.dispatcher.stop()
    this.syncIndex.close()
    await this.evicting
    removeRuntimeFile(this.dataDir)
    this.db.close()
  }
}
