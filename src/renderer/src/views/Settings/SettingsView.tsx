import { useEffect, useId, useState } from 'react'
import { type FerrySettings, UI_THEMES, type UiTheme } from '../../../../shared/model'
import { transport } from '../../api'
import { ErrorText } from '../../components/ErrorText'
import { settingsActions, useSettings } from '../../store/settings'
import { useSystem } from '../../store/system'
import { CacheSection } from './CacheSection'
import { FfmpegSection } from './FfmpegSection'
import { BrowserNotificationsSection } from './BrowserNotificationsSection'
import { SettingField, wholeNumber } from './SettingField'
import './settings.css'

export function SettingsView() {
  const { data: settings, error } = useSettings()
  const load = useSettings((s) => s.api.load)
  const loadSystem = useSystem((s) => s.api.load)
  useEffect(() => {
    void load()
    void loadSystem()
  }, [load, loadSystem])

  return (
    <section aria-labelledby="settings-title" className="settings-view">
      <header className="view-header">
        <h1 id="settings-title">Settings</h1>
      </header>
      <ErrorText>{error}</ErrorText>
      {!settings && !error && <p className="muted">Loading settings…</p>}
      {settings && (
        <div className="settings-stack">
          <FfmpegSection settings={settings} />
          <WorkersSection settings={settings} />
          <CacheSection settings={settings} />
          <AppearanceSection theme={settings['ui.theme']} />
          <DesktopSection settings={settings} />
          {transport === 'websocket' && <BrowserNotificationsSection />}
        </div>
      )}
    </section>
  )
}

function WorkersSection({ settings }: { settings: FerrySettings }) {
  const uid = useId()
  return (
    <section className="card settings-card" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>Workers</h2>
      <p className="muted settings-intro">
        How many tasks of each kind run at once. A change applies at once: running tasks finish first.
      </p>
      <SettingField
        label="Copy, move and delete"
        value={String(settings['workers.transfer'])}
        parse={wholeNumber(1, 16)}
        save={(n) => settingsActions.set({ 'workers.transfer': n })}
        hint="1 to 16. One is fastest on a single disk or card; more helps across several devices."
      />
      <SettingField
        label="Conversions"
        value={String(settings['workers.convert'])}
        parse={wholeNumber(1, 64)}
        save={(n) => settingsActions.set({ 'workers.convert': n })}
        hint="1 to 64 ffmpeg processes. One per processor core keeps the machine busy."
      />
      <SettingField
        label="Stalled ffmpeg stopped after"
        value={String(settings['convert.stallSeconds'])}
        parse={wholeNumber(5, 3600)}
        save={(n) => settingsActions.set({ 'convert.stallSeconds': n })}
        suffix="seconds"
        hint="5 to 3600. An ffmpeg silent this long is stopped and its task fails (it can be retried)."
      />
    </section>
  )
}

const THEME_LABEL: Record<UiTheme, string> = {
  system: 'Follow the system',
  light: 'Light',
  dark: 'Dark',
}

function AppearanceSection({ theme }: { theme: UiTheme }) {
  const uid = useId()
  const [refusal, setRefusal] = useState<string>()
  return (
    <section className="card settings-card" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>Appearance</h2>
      <fieldset className="settings-radios">
        <legend>Theme</legend>
        {UI_THEMES.map((t) => (
          <label key={t}>
            <input
              type="radio"
              name={`${uid}-theme`}
              value={t}
              checked={theme === t}
              onChange={() =>
                settingsActions.set({ 'ui.theme': t }).then(
                  () => setRefusal(undefined),
                  (err: Error) => setRefusal(err.message),
                )
              }
            />
            {THEME_LABEL[t]}
          </label>
        ))}
      </fieldset>
      <ErrorText>{refusal}</ErrorText>
    </section>
  )
}

const DESKTOP: {
  key: 'ui.closeToTray' | 'ui.startAtLogin' | 'ui.notifications'
  label: string
  hint: string
}[] = [
  {
    key: 'ui.closeToTray',
    label: 'Keep running in the tray when the window is closed',
    hint: 'The queue and scheduled syncs go on; quit from the tray icon.',
  },
  { key: 'ui.startAtLogin', label: 'Start at login', hint: 'Ferry starts in the tray when you log in.' },
  {
    key: 'ui.notifications',
    label: 'Notifications',
    hint: 'A system notification when a batch or a sync ends (one per batch, never one per file). The window shows a toast either way.',
  },
]

function DesktopSection({ settings }: { settings: FerrySettings }) {
  const uid = useId()
  const [refusal, setRefusal] = useState<string>()
  return (
    <section className="card settings-card" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`}>Desktop app</h2>
      <p className="muted settings-intro" id={`${uid}-note`}>
        {transport === 'ipc'
          ? "The desktop app's tray, login item and system notifications follow these."
          : 'These take effect in the desktop app (the tray, the login item, its notifications); saved here, they do nothing in the web UI. This tab has its own notifications, below.'}
      </p>
      {DESKTOP.map((d) => (
        <div className="settings-check" key={d.key}>
          <label>
            <input
              type="checkbox"
              checked={settings[d.key]}
              aria-describedby={`${uid}-${d.key}-hint ${uid}-note`}
              onChange={(e) =>
                settingsActions.set({ [d.key]: e.target.checked }).then(
                  () => setRefusal(undefined),
                  (err: Error) => setRefusal(err.message),
                )
              }
            />
            {d.label}
          </label>
          <p id={`${uid}-${d.key}-hint`} className="muted setting-hint">
            {d.hint}
          </p>
        </div>
      ))}
      <ErrorText>{refusal}</ErrorText>
    </section>
  )
}
