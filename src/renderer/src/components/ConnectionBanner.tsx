import { WifiOff } from 'lucide-react'
import { useConnection } from '../store/connection'

/**
 * Says so when the engine cannot be reached (a `ferry serve` restarted or stopped, a network drop)
 * and that the page keeps trying; it goes away by itself once the connection is back. The page's
 * data reloads on reconnect (the stores refetch on the events that resume).
 */
export function ConnectionBanner() {
  const state = useConnection((s) => s.state)
  // "connecting" before the first connection is the page starting, not a loss.
  const everOpen = useConnection((s) => s.everOpen)
  const lost = everOpen && (state === 'closed' || state === 'connecting')
  if (!lost) return null
  return (
    <div className="connection-banner" role="alert">
      <WifiOff size={16} aria-hidden />
      <span>
        <strong>Lost the connection to the Ferry engine.</strong> Reconnecting… Work already queued goes on in
        the engine; this page catches up when it is back.
      </span>
    </div>
  )
}
