// The WebSocket side of a command that talks to a running engine (see connect.ts, connectRemote).
import WebSocket from 'ws'
import { FerryError } from '../shared/errors'
import { RpcClient } from '../shared/rpc-client'
import { WS_PATH } from '../shared/wire'
import type { Session } from './connect'

/** `info`: where the engine listens and its token, as its runtime file says. */
export function connectWebSocket(
  info: { port?: number; token?: string },
  timeoutMs: number,
): Promise<Session> {
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
