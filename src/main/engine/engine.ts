import type {
  CommandName,
  CommandOutput,
  EventName,
  EventPayload,
  FerryApi,
  InvokeArgs,
} from '../../shared/contract'
import { FerryError } from '../../shared/errors'
import type { EngineKind, FfmpegInfo } from '../../shared/model'
import type { EngineContext } from './context'
import { type Db, openDatabase } from './db/open'
import { Settings } from './db/settings'
import { EventBus, type EventSink } from './events'
import { inspectFfmpeg } from './ffmpeg/inspect'
import { ffmpegCandidates } from './ffmpeg/locate'
import { dispatch } from './dispatch'
import { createHandlers, type Handlers } from './handlers'
import { databaseFile, resolveDataDir } from './paths'
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
  private ffmpegInfo?: Promise<FfmpegInfo>
  private runtime: RuntimeInfo
  private closed = false

  private constructor(
    readonly kind: EngineKind,
    dataDir: string,
    readonly db: Db,
  ) {
    this.dataDir = dataDir
    this.databasePath = databaseFile(dataDir)
    const settings = new Settings(db)
    const ctx: EngineContext = {
      kind,
      dataDir,
      databasePath: this.databasePath,
      db,
      settings,
      events: this.events,
      ffmpeg: () => {
        this.ffmpegInfo ??= ffmpegCandidates(settings.get<string>('ffmpegPath')).then(inspectFfmpeg)
        return this.ffmpegInfo
      },
    }
    this.handlers = createHandlers(ctx)
    this.runtime = { pid: process.pid, kind, startedAt: Date.now(), dataDir }
    writeRuntimeFile(this.runtime)
  }

  static open(opts: EngineOptions): Engine {
    const dataDir = resolveDataDir(opts.dataDir)
    const db = openDatabase(databaseFile(dataDir), {
      nativeBinding: opts.nativeBinding,
      describeOwner: () => {
        const owner = readRuntimeFile(dataDir)
        return owner ? describeRuntime(owner) : undefined
      },
    })
    return new Engine(opts.kind, dataDir, db)
  }

  /** The transports' entry point: an untrusted name and input, validated here and only here. */
  async invoke(name: unknown, input: unknown): Promise<unknown> {
    if (this.closed) throw new FerryError('unavailable', 'The engine is shutting down.')
    return dispatch(this.handlers, name, input)
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

  /** Records how this engine can be reached (the server calls it once it listens). */
  advertise(endpoint: { port: number; token: string; url: string }): void {
    this.runtime = { ...this.runtime, ...endpoint }
    writeRuntimeFile(this.runtime)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    removeRuntimeFile(this.dataDir)
    this.db.close()
  }
}
