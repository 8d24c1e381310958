import { create } from 'zustand'
import type { SystemInfo } from '../../../shared/model'
import { api } from '../api'

interface SystemStore {
  info?: SystemInfo
  error?: string
  loading: boolean
  api: { load(): Promise<void> }
}

export const useSystem = create<SystemStore>((set) => ({
  loading: false,
  api: {
    async load() {
      set({ loading: true, error: undefined })
      try {
        set({ info: await api.invoke('system.info'), loading: false })
      } catch (err) {
        set({ error: (err as Error).message, loading: false })
      }
    },
  },
}))
