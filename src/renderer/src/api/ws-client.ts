import type { CommandName, EventName, EventPayload, FerryApi, InvokeArgs } from '../../../shared/contract'
import { FerryError } from '../../../shared/errors'
import { RpcClient } from '../../../shared/rpc-client'
import { WS_PATH } from '../../../shared/wire'

export type ConnectionState = 'connecting' | 'open' | 'closed'

/**
 * The contract over WebSocket (web UI served by `ferry serve`). The token travels in the cookie the
 * server set when the printed URL was opened. Reconnects with backoff; listeners survive reconnects.
 */
export function wsClient(onState: (s: ConnectionState) => void): FerryApi {
  let client: RpcClient | undefined
  let ready: Promise<RpcClient>
  let delay = 250
  const listeners = new Set<{ name: EventName; fn: (p: unknown) => void; off?: () => void }>()

  const connect = (): Promise<RpcClient> =>
    new Promise((resolve, reject) => {
      onState('connecting')
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
      const ws = new WebSocket(`${scheme}://${location.host}${WS_PATH}`)
      const rpc = new RpcClient(ws)
      ws.onmessage = (e) => rpc.receive(String(e.data))
      ws.onopen = () => {
        delay = 250
        client = rpc
        for (const l of listeners) l.off = rpc.on(l.name, l.fn)
        onState('open')
        resolve(rpc)
      }
      ws.onclose = () => {
        rpc.closed()
        onState('closed')
        reject(new FerryError('unavailable', 'Cannot reach the Ferry engine.'))
        if (client === rpc) client = undefined
        setTimeout(() => {
          ready = connect()
          ready.catch(() => undefined)
        }, delay)
        delay = Math.min(delay * 2, 5000)
      }
    })

  ready = connect()
  ready.catch(() => undefined)

  return {
    async invoke<K extends CommandName>(name: K, ...args: InvokeArgs<K>) {
      const rpc = client ?? (await ready)
      return rpc.invoke(name, ...args)
    },
    on<E extends EventName>(name: E, fn: (payload: EventPayload<E>) => void) {
      const entry = { name, fn: fn as (p: unknown) => void, off: client?.on(name, fn) }
      listeners.add(entry)
      return () => {
        entry.off?.()
        listeners.delete(entry)
      }
    },
  }
}
