// The folder browser's state: the folder shown, as the engine lists it (fs.list). One browser is open
// at a time, so one store serves every place that embeds it.
import { create } from 'zustand'
import type { FolderListing } from '../../../shared/browse'
import { api } from '../api'

export interface FolderBrowserStore {
  /** The folder asked for last (what the path field shows while it loads, or after a refusal). */
  path?: string
  listing?: FolderListing
  error?: string
  loading: boolean
  api: {
    /** Shows a folder; a refusal (not there, unreadable, a file) keeps the folder shown before. */
    go(path: string): Promise<void>
    reset(): void
  }
}

let seq = 0

export const useFolderBrowser = create<FolderBrowserStore>((set) => ({
  loading: false,
  api: {
    async go(path) {
      const mine = ++seq
      set({ path, loading: true, error: undefined })
      try {
        const listing = await api.invoke('fs.list', { path })
        if (mine === seq) set({ listing, path: listing.path, loading: false })
      } catch (err) {
        if (mine === seq) set({ error: (err as Error).message, loading: false })
      }
    },
    reset() {
      seq++
      set({ path: undefined, listing: undefined, error: undefined, loading: false })
    },
  },
}))
