import { transport } from './api'
import { useConnection } from './store/connection'
import { useNav, type View } from './store/nav'
import { PlannedView } from './views/PlannedView'
import { SystemView } from './views/SystemView'

const NAV: { view: View; label: string }[] = [
  { view: 'queue', label: 'Queue' },
  { view: 'sync', label: 'Sync' },
  { view: 'presets', label: 'Presets' },
  { view: 'settings', label: 'Settings' },
  { view: 'system', label: 'System' },
]

export function App() {
  const view = useNav((s) => s.view)
  const go = useNav((s) => s.api.go)
  const connection = useConnection((s) => s.state)
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Views">
        <div className="brand">Ferry</div>
        {NAV.map((n) => (
          <button
            key={n.view}
            type="button"
            className={n.view === view ? 'nav-item active' : 'nav-item'}
            aria-current={n.view === view ? 'page' : undefined}
            onClick={() => go(n.view)}
          >
            {n.label}
          </button>
        ))}
        <div className={`connection ${connection}`} role="status">
          {transport === 'ipc' ? 'desktop' : 'web UI'} · {connection === 'open' ? 'connected' : connection}
        </div>
      </nav>
      <main className="content">
        {connection === 'unauthorized' ? (
          <section className="view" aria-labelledby="no-token">
            <h1 id="no-token">Open the address Ferry printed</h1>
            <p>
              This page has no access to the engine. Open the address that <code>ferry serve</code> printed
              (it ends with <code>#token=…</code>); it works in this tab until you close it.
            </p>
          </section>
        ) : view === 'system' ? (
          <SystemView />
        ) : (
          <PlannedView view={view} />
        )}
      </main>
    </div>
  )
}
