import { useState } from 'react'
import { nativeFolderPicker } from './BrowseFolder'
import type { ProfileForm } from './form'
import type { ChangeForm } from './useProfileForm'

export type FolderPurpose = 'source' | 'destination'

/** The library folders with those chosen added: empty rows dropped, a folder already listed not again. */
export function withChosenSources(sources: string[], paths: string[]): string[] {
  const kept = sources.filter((s) => s.trim())
  const added = paths.filter((p) => !kept.includes(p))
  return [...kept, ...added].length ? [...kept, ...added] : ['']
}

/**
 * Browse… in the editor: the desktop's own picker when it offers one, else the engine's folder
 * browser, open while `browsing` says what it picks for.
 */
export function useFolderChoice(form: ProfileForm, change: ChangeForm) {
  const [browsing, setBrowsing] = useState<FolderPurpose | null>(null)

  /** Chosen folders go into the form: library folders added, or the device's. */
  const chosen = (purpose: FolderPurpose, paths: string[]) => {
    if (purpose === 'destination') return paths[0] && change({ destination: paths[0] }, 'destination')
    change({ sources: withChosenSources(form.sources, paths) }, 'sources')
  }
  async function browse(purpose: FolderPurpose) {
    const native = nativeFolderPicker()
    if (!native) return setBrowsing(purpose)
    const picked = await native(purpose)
    if (picked) chosen(purpose, Array.isArray(picked) ? picked : [picked])
  }

  return { browsing, browse, chosen, stopBrowsing: () => setBrowsing(null) }
}
