// The client half of the WebSocket transport, over any socket-like object: the browser's WebSocket in
// the web UI, the `ws` package in the CLI. It knows message shapes, not commands.
import type { CommandName, CommandOutput, EventName, EventPayload, FerryApi, InvokeArgs } from './contract'
import { type ErrorShape, FerryError, fromErrorShape } from './errors'
import type { ClientMessage, ServerMessage } from './wire'

export interface MessageSocket {
  send(data: string): void
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void }

export class RpcClient implements FerryApi {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>()
  private closedWith?: FerryError

  constructor(private readonly socket: MessageSocket) {}

  invoke<K extends CommandName>(name: K, ...args: InvokeArgs<K>): Promise<CommandOutput<K>> {
    if (this.closedWith) return Promise.reject(this.closedWith)
    const id = this.nextId++
    const msg: ClientMessage = { type: 'invoke', id, command: name, input: args[0] }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.socket.send(JSON.stringify(msg))
    })
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(name)
    if (!set) {
      set = new Set()
      this.listeners.set(name, set)
    }
    const l = listener as (payload: unknown) => void
    set.add(l)
    return () => set.delete(l)
  }

  /** Feed every message from the socket here. */
  receive(data: string): void {
    const msg = JSON.parse(data) as ServerMessage
    if (msg.type === 'event') {
      for (const l of this.listeners.get(msg.name) ?? []) l(msg.payload)
      return
    }
    const p = this.pending.get(msg.id)
    if (!p) return
    this.pending.delete(msg.id)
    if (msg.ok) p.resolve(msg.value)
    else p.reject(fromErrorShape(msg.error as ErrorShape))
  }

  /** Call when the socket closes: every call still waiting fails, and so does every later one. */
  closed(reason = 'The connection to the Ferry engine was closed.'): void {
    this.closedWith = new FerryError('unavailable', reason)
    for (const p of this.pending.values()) p.reject(this.closedWith)
    this.pending.clear()
  }
}
