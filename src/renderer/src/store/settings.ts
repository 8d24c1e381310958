import type { CommandInput } from '../../../shared/contract'
import { fromErrorShape, type ErrorShape } from '../../../shared/errors'
import type { FerrySettings, UiTheme } from '../../../shared/model'
import { api } from '../api'
import { resource } from './resource'
import { useSystem } from './system'

/** The engine's settings. A change made here replaces them with what settings.set returns. */
export const useSettings = resource('settings.get')

/** The transcode cache's size; it grows as conversions finish, so it follows the queue. */
export const useCacheStats = resource('cache.stats', { reloadOn: ['queue.changed'], throttleMs: 1000 })

const THEME_KEY = 'ferry.theme'

/** Sets <html data-theme> (styles.css honours light and dark); 'system' leaves it to the OS. */
export function applyTheme(theme: UiTheme | undefined): void {
  const root = document.documentElement
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme
  else delete root.dataset.theme
  try {
    if (theme) localStorage.setItem(THEME_KEY, theme)
  } catch {
    // Storage may be off; the engine's setting still applies once it is read.
  }
}

let started = false

/**
 * At start-up: the theme this window used last (no flash of the other one), then the engine's
 * setting, and every change after it.
 */
export function startSettings(): void {
  if (started) return
  started = true
  try {
    applyTheme((localStorage.getItem(THEME_KEY) as UiTheme | null) ?? undefined)
  } catch {
    // As above.
  }
  let last: UiTheme | undefined
  useSettings.subscribe((s) => {
    const theme = s.data?.['ui.theme']
    if (theme && theme !== last) applyTheme((last = theme))
  })
  void useSettings.getState().api.load()
}

/** What the desktop app's `window.ferry.chooseFfmpeg` resolves to (errors travel as data). */
type ChooseResult = { ok: true; value: FerrySettings | null } | { ok: false; error: ErrorShape }

/** The desktop's native "choose ffmpeg" dialog, when the app offers one (never in a browser). */
function desktopChooser(): (() => Promise<ChooseResult | FerrySettings | null>) | undefined {
  const bridge = window.ferry as
    { chooseFfmpeg?: () => Promise<ChooseResult | FerrySettings | null> } | undefined
  return typeof bridge?.chooseFfmpeg === 'function' ? () => bridge.chooseFfmpeg!() : undefined
}

export const settingsActions = {
  /**
   * Changes settings. The change shows at once (a radio button or the theme does not wait for the
   * engine), then the engine's answer replaces it; a refusal puts the old values back and is thrown
   * as the engine gave it. The ffmpeg path only changes once the engine accepts it.
   */
  async set(change: CommandInput<'settings.set'>): Promise<FerrySettings> {
    const before = useSettings.getState().data
    const { ffmpegPath: _path, ...shown } = change
    if (before) useSettings.setState({ data: { ...before, ...shown } })
    let settings: FerrySettings
    try {
      settings = await api.invoke('settings.set', change)
    } catch (err) {
      if (before) useSettings.setState({ data: before })
      throw err
    }
    useSettings.setState({ data: settings, error: undefined })
    if (change.ffmpegPath !== undefined) await useSystem.getState().api.load()
    return settings
  },

  /**
   * Looks for ffmpeg again. The engine keeps what it found until the ffmpeg setting changes, so the
   * setting is given again as it is (the engine then runs every candidate anew).
   */
  async testFfmpeg(): Promise<void> {
    const current = useSettings.getState().data?.ffmpegPath
    if (current !== undefined)
      await api.invoke('settings.set', { ffmpegPath: current }).catch(() => undefined)
    await useSystem.getState().api.load()
  },

  canChooseFfmpeg: () => desktopChooser() !== undefined,

  /** Desktop only: pick a program in a native dialog; null when the user cancels. */
  async chooseFfmpeg(): Promise<FerrySettings | null> {
    const choose = desktopChooser()
    if (!choose) return null
    const result = await choose()
    let settings: FerrySettings | null
    if (result && 'ok' in result) {
      if (!result.ok) throw fromErrorShape(result.error)
      settings = result.value
    } else settings = result
    if (settings) {
      useSettings.setState({ data: settings, error: undefined })
      await useSystem.getState().api.load()
    }
    return settings
  },

  async clearCache(): Promise<{ removed: number; bytes: number; kept: number }> {
    const r = await api.invoke('cache.clear')
    await useCacheStats.getState().api.load()
    return r
  },
}
