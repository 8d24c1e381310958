// What the transports (server/, shell/) may know of the engine: these interfaces and the types they
// name, never the Engine class or the engine's internals (lint enforces it: eslint.config.mjs). The
// concrete engine is made in three places only: src/main/index.ts (the desktop app), src/cli/connect.ts
// (`ferry serve`, and a CLI command with no engine running) and the tests.
import type { FerryApi } from '../../shared/contract'
import type { Caller } from './caller-policy'
import type { EventSink } from './events'

export type { Caller } from './caller-policy'
export type { EventSink } from './events'
export type { FromWorker, SpawnWorker, WorkerChannel } from './workers/protocol'

/**
 * The two calls every transport makes: an untrusted command name and input (validated by the engine,
 * which holds a page to what a page may do), and the event feed (coalesced per subscriber).
 */
export interface InvokeTarget {
  invoke(name: unknown, input: unknown, caller?: Caller): Promise<unknown>
  subscribe(sink: EventSink): () => void
}

/** What a server needs: the calls, and a way to publish where it listens (the runtime file). */
export interface ServedEngine extends InvokeTarget {
  advertise(endpoint: { port: number; token: string; url: string }): void
}

/** What a host of the engine (the desktop shell, `ferry serve`, a CLI command) holds and closes. */
export interface HostedEngine extends ServedEngine {
  /** The typed in-process client over `invoke` and `subscribe`. */
  readonly api: FerryApi
  readonly dataDir: string
  /** Settles once start-up recovery is done (and the queue is worked, when the engine works it). */
  readonly ready: Promise<void>
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void
  close(): Promise<void>
}
