import { create } from 'zustand'
import type { ConnectionState } from '../api/ws-client'

interface ConnectionStore {
  state: ConnectionState
  /** The engine answered at least once: a later 'connecting' or 'closed' is a loss, not the start. */
  everOpen: boolean
  api: { set(state: ConnectionState): void }
}

export const useConnection = create<ConnectionStore>((set) => ({
  state: window.ferry ? 'open' : 'connecting',
  everOpen: !!window.ferry,
  api: { set: (state) => set((s) => ({ state, everOpen: s.everOpen || state === 'open' })) },
}))
