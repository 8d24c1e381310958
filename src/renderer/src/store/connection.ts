import { create } from 'zustand'
import type { ConnectionState } from '../api/ws-client'

interface ConnectionStore {
  state: ConnectionState
  api: { set(state: ConnectionState): void }
}

export const useConnection = create<ConnectionStore>((set) => ({
  state: window.ferry ? 'open' : 'connecting',
  api: { set: (state) => set({ state }) },
}))
