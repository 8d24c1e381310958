import { create, type StoreApi, type UseBoundStore } from 'zustand'
import type { CommandInput, CommandName, CommandOutput, EventName } from '../../../shared/contract'
import { api } from '../api'

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
 * `throttleMs`) when any of the named events arrives. Every store that shows engine data is one of
 * these, so none hand-rolls loading, error and refetch.
 */
export function resource<K extends CommandName>(
  name: K,
  opts: { input?: () => CommandInput<K>; reloadOn?: EventName[]; throttleMs?: number } = {},
): UseBoundStore<StoreApi<Resource<CommandOutput<K>>>> {
  let inFlight: Promise<void> | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let subscribed = false
  const store = create<Resource<CommandOutput<K>>>((set, get) => ({
    loading: false,
    api: {
      load() {
        if (!subscribed) {
          subscribed = true
          for (const event of opts.reloadOn ?? [])
            api.on(event, () => {
              if (timer) return
              timer = setTimeout(() => {
                timer = undefined
                void get().api.load()
              }, opts.throttleMs ?? 250)
            })
        }
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
  return store
}
