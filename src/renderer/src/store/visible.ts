// Whether anyone can see the page. A window closed to the tray (or a background tab) keeps receiving
// the engine's events; drawing them would only take CPU from the work they describe. Stores hold what
// arrives while hidden and show it (or reload) when the page is shown again.

/** The page is hidden: a window in the tray or minimised, a tab in the background. */
export const hidden = (): boolean => typeof document !== 'undefined' && document.visibilityState === 'hidden'

/** Calls `fn` each time the page is shown again. */
export function onShown(fn: () => void): void {
  if (typeof document === 'undefined') return
  document.addEventListener('visibilitychange', () => {
    if (!hidden()) fn()
  })
}
