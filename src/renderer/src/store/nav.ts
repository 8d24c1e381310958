import { create } from 'zustand'

export const VIEWS = ['queue', 'sync', 'presets', 'settings', 'system'] as const
export type View = (typeof VIEWS)[number]

function fromHash(): View {
  const h = location.hash.replace(/^#\/?/, '')
  return (VIEWS as readonly string[]).includes(h) ? (h as View) : 'queue'
}

interface NavStore {
  view: View
  api: { go(view: View): void }
}

/** The current view lives in the URL hash, so reload and back/forward keep it. */
export const useNav = create<NavStore>((set) => {
  window.addEventListener('hashchange', () => set({ view: fromHash() }))
  return {
    view: fromHash(),
    api: {
      go(view) {
        location.hash = `/${view}`
        set({ view })
      },
    },
  }
})
