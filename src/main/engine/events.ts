import { type EventName, type EventPayload, events } from '../../shared/contract'

export type EventSink = (name: EventName, payload: unknown) => void

/** At most this many messages a second of coalesced events reach any one client. */
export const COALESCE_WINDOW_MS = 100

/**
 * The engine's event bus. Each subscriber (one per client: a window, a WebSocket, the CLI) gets its
 * own coalescing gate, so a client that reconnects or lags never slows the others, and progress at
 * any task rate costs a client at most 10 messages a second.
 */
export class EventBus {
  private readonly sinks = new Set<EventSink>()

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const sink of this.sinks) sink(name, payload)
  }

  /** Returns the unsubscribe function. */
  subscribe(send: EventSink): () => void {
    const gated = coalescing(send)
    this.sinks.add(gated.sink)
    return () => {
      this.sinks.delete(gated.sink)
      gated.stop()
    }
  }
}

function coalescing(send: EventSink): { sink: EventSink; stop: () => void } {
  const pending = new Map<EventName, unknown>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let lastFlush = 0

  const flush = () => {
    timer = undefined
    lastFlush = Date.now()
    const batch = [...pending]
    pending.clear()
    for (const [name, payload] of batch) send(name, payload)
  }

  const sink: EventSink = (name, payload) => {
    if (!events[name].coalesce) return send(name, payload)
    pending.set(name, payload)
    if (timer) return
    const wait = Math.max(0, lastFlush + COALESCE_WINDOW_MS - Date.now())
    if (wait === 0) flush()
    else timer = setTimeout(flush, wait)
  }

  return {
    sink,
    stop: () => {
      if (timer) clearTimeout(timer)
      pending.clear()
    },
  }
}
