import { createStore, type StoreApi, type UseBoundStore, useStore } from 'zustand'
import type { CommandInput, CommandName, CommandOutput, EventName } from '../../../shared/contract'
import { api } from '../api'
import { hidden, onShown } from './visible'

export interface Resource<T> {
  data?: T
  error?: string
  loading: boolean
  api: {
    /** Loads (again); concurrent calls share one request. */
    load(): Promise<void>
  }
}

/**
 * A store holding one command's result, loaded on demand and loaded again (coalesced, at most every
 * `throttleMs`) when any of the named events arrives — while something shows it (a mounted component
 * or another subscriber) on a page someone can see. Otherwise an event only marks the data stale, and
 * it is loaded again when someone subscribes or the page is shown: a view left open elsewhere (Sync's status, Settings' cache) costs the
 * engine nothing while a copy runs. Every store that shows engine data is one of these, so none
 * hand-rolls loading, error and refetch.
 */
export function resource<K extends CommandName>(
  name: K,
  opts: { input?: () => CommandInput<K>; reloadOn?: EventName[]; throttleMs?: number } = {},
): UseBoundStore<StoreApi<Resource<CommandOutput<K>>>> {
  let inFlight: Promise<void> | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let subscribed = false
  let watchers = 0
  let stale = false
  const store = createStore<Resource<CommandOutput<K>>>()((set, get) => ({
    loading: false,
    api: {
      load() {
        if (!subscribed) {
          subscribed = true
          onShown(() => {
            if (stale && watchers > 0) void get().api.load()
          })
          for (const event of opts.reloadOn ?? [])
            api.on(event, () => {
              if (watchers === 0 || hidden()) {
                stale = true
                return
              }
              if (timer) return
              timer = setTimeout(() => {
                timer = undefined
                void get().api.load()
              }, opts.throttleMs ?? 250)
            })
        }
        stale = false
        inFlight ??= (async () => {
          set({ loading: true })
          try {
            const input = opts.input?.()
            const data = await (api.invoke as (n: K, i?: unknown) => Promise<CommandOutput<K>>)(name, input)
            set({ data, error: undefined, loading: false })
          } catch (err) {
            set({ error: (err as Error).message, loading: false })
          } finally {
            inFlight = undefined
          }
        })()
        return inFlight
      },
    },
  }))
  // React's hooks subscribe through the store's own subscribe: counting there counts what is mounted.
  const subscribe = store.subscribe
  store.subscribe = (listener) => {
    watchers++
    if (stale) void store.getState().api.load()
    const off = subscribe(listener)
    let on = true
    return () => {
      if (on) watchers--
      on = false
      off()
    }
  }
  const hook = (<U>(selector?: (s: Resource<CommandOutput<K>>) => U) =>
    useStore(store, selector as (s: Resource<CommandOutput<K>>) => U)) as UseBoundStore<
    StoreApi<Resource<CommandOutput<K>>>
  >
  return Object.assign(hook, store)
}
