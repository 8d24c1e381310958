import type { CommandName, EventName, EventPayload, FerryApi, InvokeArgs } from '../../../shared/contract'
import { FerryError } from '../../../shared/errors'
import { RpcClient } from '../../../shared/rpc-client'
import { TOKEN_FRAGMENT, WS_PATH, WS_UNAUTHORIZED } from '../../../shared/wire'

export type ConnectionState = 'connecting' | 'open' | 'closed' | 'unauthorized'

const STORAGE_KEY = 'ferry.token'

/** Events that mean "refetch what you show": replayed to their listeners after a reconnect. */
const CHANGED_EVENTS = new Set<EventName>(['queue.changed', 'profiles.changed'])

/**
 * The token `ferry serve` printed in the URL's fragment (`#token=…`): kept in this tab's
 * sessionStorage (so a reload works) and dropped from the address bar. A fragment is never sent over
 * the network, so no server — ours or any other on this machine — receives it with a request.
 */
export function pageToken(): string | null {
  const m = new RegExp(`(?:^#|&)${TOKEN_FRAGMENT}=([^&]+)`).exec(location.hash)
  if (m) {
    sessionStorage.setItem(STORAGE_KEY, decodeURIComponent(m[1]!))
    history.replaceState(null, '', location.pathname + location.search)
  }
  return sessionStorage.getItem(STORAGE_KEY)
}

/**
 * The contract over WebSocket (web UI served by `ferry serve`). The socket's first message presents
 * the token. Reconnects with backoff; listeners survive reconnects.
 */
export function wsClient(onState: (s: ConnectionState) => void): FerryApi {
  let client: RpcClient | undefined
  let ready: Promise<RpcClient>
  let delay = 250
  let reconnecting = false
  const listeners = new Set<{ name: EventName; fn: (p: unknown) => void; off?: () => void }>()

  const token = pageToken()
  const connect = (): Promise<RpcClient> =>
    new Promise((resolve, reject) => {
      if (!token) {
        onState('unauthorized')
        return reject(new FerryError('unauthorized', 'This page has no access token.'))
      }
      onState('connecting')
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
      const ws = new WebSocket(`${scheme}://${location.host}${WS_PATH}`)
      const rpc = new RpcClient(ws)
      ws.onmessage = (e) => rpc.receive(String(e.data))
      ws.onopen = () => {
        ws.send(JSON.stringify({ type: 'hello', token }))
        delay = 250
        client = rpc
        for (const l of listeners) l.off = rpc.on(l.name, l.fn)
        onState('open')
        resolve(rpc)
        // Back after a loss: anything may have changed meanwhile (batches added, profiles edited, a
        // restarted engine), and the events that said so were missed. Every store refetches.
        if (reconnecting) for (const l of listeners) if (CHANGED_EVENTS.has(l.name)) l.fn({ at: Date.now() })
        reconnecting = true
      }
      ws.onclose = (e) => {
        rpc.closed()
        if (client === rpc) client = undefined
        if (e.code === WS_UNAUTHORIZED) {
          // A stale or wrong token: retrying cannot help; the page says what to do.
          sessionStorage.removeItem(STORAGE_KEY)
          onState('unauthorized')
          return reject(new FerryError('unauthorized', 'The access token was refused.'))
        }
        onState('closed')
        reject(new FerryError('unavailable', 'Cannot reach the Ferry engine.'))
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
