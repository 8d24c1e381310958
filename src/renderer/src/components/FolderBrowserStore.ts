// A folder browser's state: the folder shown, as the engine lists it (fs.list). Each browser has its
// own, made when it opens: a browser opened anew shows nothing of the one before it (its folder, its
// path), only the folder it starts at.
import { createStore, type StoreApi } from 'zustand'
import type { FolderListing } from '../../../shared/browse'
import { api } from '../api'

export interface FolderBrowserState {
  /** The folder asked for last (what the path field shows while it loads, or after a refusal). */
  path?: string
  listing?: FolderListing
  error?: string
  loading: boolean
  api: {
    /** Shows a folder; a refusal (not there, unreadable, a file) keeps the folder shown before. */
    go(path: string): Promise<void>
  }
}

export type FolderBrowserStore = StoreApi<FolderBrowserState>

export function createFolderBrowserStore(): FolderBrowserStore {
  // Only the answer to the folder asked for last is shown.
  let seq = 0
  return createStore<FolderBrowserState>()((set) => ({
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
    },
  }))
}
