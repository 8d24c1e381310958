import { useId, useState } from 'react'
import { ErrorText } from '../../components/ErrorText'
import { useBrowserNotifications } from '../../store/notify'

const WHY: Record<string, string | undefined> = {
  unsupported: 'This browser offers no notifications on this page: they need an https address, or localhost.',
  denied:
    'The browser blocks notifications from this site. Allow them in its site settings, then reload the page.',
}

/**
 * The web UI's own system notifications: the browser asks for permission when the box is ticked.
 * Kept in this browser (the permission is the browser's too); the engine's ui.notifications setting
 * is the desktop app's.
 */
export function BrowserNotificationsSection() {
  const uid = useId()
  const state = useBrowserNotifications((s) => s.state)
  const { enable, disable } = useBrowserNotifications((s) => s.api)
  const [error, setError] = useState<string>()
  const why = WHY[state]
  return (
    <section className="card settings-card" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>This browser</h2>
      <div className="settings-check">
        <label>
          <input
            type="checkbox"
            checked={state === 'on'}
            disabled={state === 'unsupported' || state === 'denied'}
            aria-describedby={`${uid}-hint${why ? ` ${uid}-why` : ''}`}
            onChange={(e) => {
              setError(undefined)
              if (e.target.checked) enable().catch((err: Error) => setError(err.message))
              else disable()
            }}
          />
          Desktop notifications from this browser tab
        </label>
        <p id={`${uid}-hint`} className="muted setting-hint">
          When a batch or a sync ends while this tab is in the background; the browser asks for your
          permission first. The page shows a toast either way.
        </p>
        {why && (
          <p id={`${uid}-why`} className="warn setting-hint">
            {why}
          </p>
        )}
      </div>
      <ErrorText>{error}</ErrorText>
    </section>
  )
}
