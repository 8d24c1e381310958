import { type FSWatcher, mkdirSync, watch } from 'node:fs'
import type { HostedEngine } from '../main/engine/api'
import type { FerryApi } from '../shared/contract'
import { FerryError } from '../shared/errors'
import { resolveDataDir, runDir } from '../main/engine/paths'
import type { Lane } from '../shared/model'
import { defaultWorkers } from '../main/engine/system/settings'
import { forkAhead } from '../main/engine/workers/fork'
import { type SpawnWorker, workerName } from '../main/engine/workers/protocol'
import { type RuntimeInfo, readRuntimeFile } from '../main/engine/runtime-file'

/**
 * The one place the CLI makes an engine of its own (`ferry serve`, and a command when no engine
 * runs); every other CLI module reaches the engine through the contract only (eslint.config.mjs).
 */
export async function openEngine(opts: {
  kind: 'cli' | 'serve'
  dataDir?: string
  work?: boolean
  spawnWorker?: SpawnWorker
}): Promise<HostedEngine> {
  performance.mark('cli:engine-import')
  const { Engine } = await import('../main/engine/engine')
  performance.mark('cli:engine-imported')
  return Engine.open(opts)
}

export interface Session {
  api: FerryApi
  /** 'remote' when talking to a running engine (desktop app or `ferry serve`), else 'in-process'. */
  via: 'remote' | 'in-process'
  /** Rejects if the connection to a remote engine is lost before `close` (never, in-process). */
  lost?: Promise<never>
  close(): Promise<void>
}

/** The names of the workers a lane starts with, by default. */
const workersAhead = (lane: Lane): string[] =>
  Array.from({ length: defaultWorkers(lane) }, (_, i) => workerName(lane, i))

/**
 * Talks to the engine that owns the data folder when one is running, and otherwise runs one here
 * for the length of the command.
 */
export async function openSession(dataDirOption?: string, opts: SessionOptions = {}): Promise<Session> {
  const dataDir = resolveDataDir(dataDirOption)
  let engine: HostedEngine | undefined
  let giveUpAt: number | undefined
  let ahead: ReturnType<typeof forkAhead> | undefined
  while (!engine) {
    const remote = await attach(dataDir, opts)
    if (remote) {
      ahead?.dispose()
      return remote
    }
    // No engine runs: this command hosts one. It works the queue only when the command waits for it;
    // then the workers of each lane it will use start now, while the engine loads: the transfer
    // lane's one, and as many encoders as the convert lane has by default (one per core; a saved
    // setting of fewer leaves the rest unused, and they are stopped with the command).
    if (opts.work && opts.lanes?.length) ahead ??= forkAhead(opts.lanes.flatMap(workersAhead))
    try {
      engine = await openEngine({
        kind: 'cli',
        dataDir,
        work: opts.work ?? false,
        spawnWorker: ahead?.spawn,
      })
    } catch (err) {
      ahead?.dispose()
      ahead = undefined
      // Another command opened the engine a moment ago and is about to publish how to reach it; or
      // it was a short one and has closed again (then this command opens one after all).
      if ((err as FerryError).code !== 'engine_running') throw err
      giveUpAt ??= Date.now() + 5000
      const left = giveUpAt - Date.now()
      if (left <= 0) throw err
      const late = await attachWhenPublished(dataDir, opts, Math.min(1000, left))
      if (late && late !== 'gone') return late
    }
  }
  await engine.ready
  performance.mark('cli:engine-ready')
  // Published like any engine's, so a second ferry command attaches instead of being refused. The
  // command does not wait for it: the server's modules load and it starts listening while the
  // command's own work waits on the disk (a scan, a plan).
  const hosted = engine
  const serving = import('../main/server/server')
    .then(({ startServer }) => startServer(hosted, { port: 0 }))
    .then((server) => {
      performance.mark('cli:server-listening')
      return server
    })
    .catch(() => undefined)
  return {
    api: engine.api,
    via: 'in-process',
    close: async () => {
      const server = await serving
      if (server) {
        await untilDetached(server)
        await server.close()
      }
      await engine.close()
      ahead?.dispose()
    },
  }
}

export interface SessionOptions {
  /** The command has the queue worked (it waits for its tasks): an engine of its own runs them. */
  work?: boolean
  /** The lanes whose workers the command's tasks will need: started ahead (see forkAhead). */
  lanes?: Lane[]
}

/** Connects to the engine that runs for this data folder, if one has published how to reach it. */
async function attach(dataDir: string, opts: SessionOptions): Promise<Session | undefined> {
  const running = readRuntimeFile(dataDir)
  if (!running?.port || !running.token) return undefined
  const remote = await connectRemote(running).catch(() => undefined)
  // An engine another command started without work: this command needs its queue worked.
  if (remote && opts.work) await remote.api.invoke('queue.work')
  return remote
}

/**
 * Attaches to an engine that is starting: another command opened it a moment ago, and publishes how
 * to reach it in run/engine.json (written, then written again with its port, each by a rename). Each
 * change of that folder is a try. 'gone' when the file came and went (that engine has closed); none
 * within `waitMs` → undefined.
 */
function attachWhenPublished(
  dataDir: string,
  opts: SessionOptions,
  waitMs: number,
): Promise<Session | 'gone' | undefined> {
  // The engine makes the folder the same way (the user's only); it may not have yet.
  const dir = runDir(dataDir)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return new Promise((resolve) => {
    let done = false
    let trying = false
    let again = false
    let seen = false
    let watcher: FSWatcher | undefined
    const finish = (session: Session | 'gone' | undefined) => {
      done = true
      watcher?.close()
      clearTimeout(deadline)
      resolve(session)
    }
    const attempt = async (): Promise<void> => {
      if (trying) {
        again = true
        return
      }
      trying = true
      const published = readRuntimeFile(dataDir) !== undefined
      seen ||= published
      const session = published ? await attach(dataDir, opts).catch(() => undefined) : undefined
      trying = false
      if (done) await session?.close()
      else if (session) finish(session)
      else if (seen && !published) finish('gone')
      else if (again) {
        again = false
        await attempt()
      }
    }
    try {
      watcher = watch(dir, () => void attempt())
      watcher.on('error', () => undefined) // the deadline still answers
    } catch {
      // No watch to be had (the system's limit reached): the one try below, and the deadline.
    }
    const deadline = setTimeout(() => finish(undefined), waitMs)
    void attempt() // published before the watch began
  })
}

/** The command that hosts the engine ends only once the commands attached to it are done. */
async function untilDetached(server: { clients(): number; idle(): Promise<void> }): Promise<void> {
  if (server.clients() === 0) return
  process.stderr.write(
    `Waiting for ${server.clients()} other ferry command(s) using this engine to finish…\n`,
  )
  await server.idle()
}
/** Opens a session, runs `act` with it, and closes it whatever happens. */
export async function withSession<T>(
  dataDir: string | undefined,
  act: (session: Session) => Promise<T>,
  opts: SessionOptions = {},
): Promise<T> {
  const session = await openSession(dataDir, opts)
  try {
    return await act(session)
  } finally {
    performance.mark('cli:command-done')
    await session.close()
    performance.mark('cli:session-closed')
  }
}

/**
 * Connects to a running engine. The WebSocket client lives in its own module, loaded here: a command
 * that runs its own engine never loads it, and it is required, not imported (an `import()` of a
 * package goes through Node's ES module loader: ≈ 30 ms for `ws` against ≈ 12 ms, measured).
 */
export async function connectRemote(info: RuntimeInfo, timeoutMs = 3000): Promise<Session> {
  const { connectWebSocket } = await import('./remote')
  return connectWebSocket(info, timeoutMs)
}
