import type { HostedEngine } from '../main/engine/api'
import type { FerryApi } from '../shared/contract'
import { FerryError } from '../shared/errors'
import { RpcClient } from '../shared/rpc-client'
import { WS_PATH } from '../shared/wire'
import { resolveDataDir } from '../main/engine/paths'
import { type RuntimeInfo, readRuntimeFile } from '../main/engine/runtime-file'

/**
 * The one place the CLI makes an engine of its own (`ferry serve`, and a command when no engine
 * runs); every other CLI module reaches the engine through the contract only (eslint.config.mjs).
 */
export async function openEngine(opts: {
  kind: 'cli' | 'serve'
  dataDir?: string
  work?: boolean
}): Promise<HostedEngine> {
  const { Engine } = await import('../main/engine/engine')
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

/**
 * Talks to the engine that owns the data folder when one is running, and otherwise runs one here
 * for the length of the command.
 */
export async function openSession(dataDirOption?: string, opts: { work?: boolean } = {}): Promise<Session> {
  const dataDir = resolveDataDir(dataDirOption)
  const remote = await attach(dataDir, opts)
  if (remote) return remote
  // No engine runs: this command hosts one. It works the queue only when the command waits for it.
  let engine
  try {
    engine = await openEngine({ kind: 'cli', dataDir, work: opts.work ?? false })
  } catch (err) {
    // Another command opened the engine a moment ago and is about to publish how to reach it.
    if ((err as FerryError).code !== 'engine_running') throw err
    const late = await attach(dataDir, opts, 3000)
    if (late) return late
    throw err
  }
  await engine.ready
  // Published like any engine's, so a second ferry command attaches instead of being refused.
  const { startServer } = await import('../main/server/server')
  const server = await startServer(engine, { port: 0 }).catch(() => undefined)
  return {
    api: engine.api,
    via: 'in-process',
    close: async () => {
      if (server) {
        await untilDetached(server)
        await server.close()
      }
      await engine.close()
    },
  }
}

/** Connects to the engine that runs for this data folder (waiting up to `waitMs` for it to publish). */
async function attach(dataDir: string, opts: { work?: boolean }, waitMs = 0): Promise<Session | undefined> {
  const until = Date.now() + waitMs
  for (;;) {
    const running = readRuntimeFile(dataDir)
    if (running?.port && running.token) {
      const remote = await connectRemote(running).catch(() => undefined)
      if (remote) {
        // An engine another command started without work: this command needs its queue worked.
        if (opts.work) await remote.api.invoke('queue.work')
        return remote
      }
    }
    if (Date.now() >= until) return undefined
    await new Promise((r) => setTimeout(r, 50))
  }
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
  opts: { work?: boolean } = {},
): Promise<T> {
  const session = await openSession(dataDir, opts)
  try {
    return await act(session)
  } finally {
    await session.close()
  }
}

export async function connectRemote(info: RuntimeInfo, timeoutMs = 3000): Promise<Session> {
  const { default: WebSocket } = await import('ws')
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${info.port}${WS_PATH}`, {
      headers: { authorization: `Bearer ${info.token}` },
      handshakeTimeout: timeoutMs,
    })
    const client = new RpcClient(ws)
    let closing = false
    let lose: (err: FerryError) => void = () => undefined
    const lost = new Promise<never>((_, rejectLost) => (lose = rejectLost))
    lost.catch(() => undefined) // only a command that follows the queue listens for it
    ws.on('message', (data) => client.receive(String(data)))
    ws.once('error', reject)
    ws.on('close', () => {
      client.closed()
      if (!closing) lose(new FerryError('unavailable', 'The connection to the Ferry engine was closed.'))
    })
    ws.once('open', () =>
      resolve({
        api: client,
        via: 'remote',
        lost,
        close: () =>
          new Promise<void>((done) => {
            closing = true
            if (ws.readyState === ws.CLOSED) return done()
            ws.once('close', () => done())
            ws.close()
          }),
      }),
    )
  })
}
