import { transport } from './api'
import { useConnection } from './store/connection'
import { useNav, type View } from './store/nav'
import { Info, ListOrdered, RefreshCw, Settings, SlidersHorizontal } from 'lucide-react'
import { type ComponentType, useEffect } from 'react'
import { ConnectionBanner } from './components/ConnectionBanner'
import { ProgressHeader } from './components/ProgressHeader'
import { Toasts } from './components/Toasts'
import { startShell } from './store/show'
import { PresetsView } from './views/Presets/PresetsView'
import { QueueView } from './views/Queue/QueueView'
import { SettingsView } from './views/Settings/SettingsView'
import { SyncView } from './views/Sync/SyncView'
import { SystemView } from './views/SystemView'
import { AddFilesButton, DropView } from './views/Drop/DropView'

const VIEWS: Record<View, ComponentType> = {
  queue: QueueView,
  sync: SyncView,
  presets: PresetsView,
  settings: SettingsView,
  system: SystemView,
}

const NAV: { view: View; label: string; icon: ComponentType<{ size?: number; 'aria-hidden'?: boolean }> }[] =
  [
    { view: 'queue', label: 'Queue', icon: ListOrdered },
    { view: 'sync', label: 'Sync', icon: RefreshCw },
    { view: 'presets', label: 'Presets', icon: SlidersHorizontal },
    { view: 'settings', label: 'Settings', icon: Settings },
    { view: 'system', label: 'System', icon: Info },
  ]

export function App() {
  const view = useNav((s) => s.view)
  const go = useNav((s) => s.api.go)
  const connection = useConnection((s) => s.state)
  const Current = VIEWS[view]
  useEffect(() => startShell(), [])
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
            <n.icon size={16} aria-hidden />
            {n.label}
          </button>
        ))}
        <AddFilesButton />
        <div className={`connection ${connection}`} role="status">
          {transport === 'ipc' ? 'desktop' : 'web UI'} · {connection === 'open' ? 'connected' : connection}
        </div>
      </nav>
      <main className="content">
        {connection === 'unauthorized' ? (
          <section className="view" aria-labelledby="no-token" style={{ padding: '20px 24px' }}>
            <h1 id="no-token">Open the address Ferry printed</h1>
            <p>
              This page has no access to the engine. Open the address that <code>ferry serve</code> printed
              (it ends with <code>#token=…</code>); it works in this tab until you close it.
            </p>
          </section>
        ) : (
          <>
            <ConnectionBanner />
            <ProgressHeader />
            <div className="view-body">
              <Current />
            </div>
            <DropView />
            <Toasts />
          </>
        )}
      </main>
    </div>
  )
}
