import type { FerryApi } from '../shared/contract'
import { RpcClient } from '../shared/rpc-client'
import { WS_PATH } from '../shared/wire'
import { resolveDataDir } from '../main/engine/paths'
import { type RuntimeInfo, readRuntimeFile } from '../main/engine/runtime-file'

export interface Session {
  api: FerryApi
  /** 'remote' when talking to a running engine (desktop app or `ferry serve`), else 'in-process'. */
  via: 'remote' | 'in-process'
  close(): Promise<void>
}

/**
 * Talks to the engine that owns the data folder when one is running, and otherwise runs one here
 * for the length of the command.
 */
export async function openSession(dataDirOption?: string, opts: { work?: boolean } = {}): Promise<Session> {
  const dataDir = resolveDataDir(dataDirOption)
  const running = readRuntimeFile(dataDir)
  if (running?.port && running.token) {
    const remote = await connectRemote(running).catch(() => undefined)
    if (remote) return remote
  }
  // No engine runs: this command hosts one. It works the queue only when the command waits for it.
  const { Engine } = await import('../main/engine/engine')
  const engine = Engine.open({ kind: 'cli', dataDir, work: opts.work ?? false })
  await engine.ready
  return { api: engine.api, via: 'in-process', close: () => engine.close() }
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
    ws.on('message', (data) => client.receive(String(data)))
    ws.once('error', reject)
    ws.on('close', () => client.closed())
    ws.once('open', () =>
      resolve({
        api: client,
        via: 'remote',
        close: () =>
          new Promise<void>((done) => {
            if (ws.readyState === ws.CLOSED) return done()
            ws.once('close', () => done())
            ws.close()
          }),
      }),
    )
  })
}
