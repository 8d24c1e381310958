// The tray icon: Electron's Tray and Menu built from trayModel (tray-model.ts), kept current from the
// engine's events (coalesced by the engine to 10 a second) — queue.progress carries the counts;
// queue.changed, profiles.changed and trigger.fired make it ask sync.status again (at most one request in flight) for the "Sync now"
// entries. The icon, tooltip and menu are set only when they change: progress arrives up to 10 times
// a second, and rebuilding a menu that often makes some Linux trays flicker and close it.
import { join } from 'node:path'
import { Menu, type MenuItemConstructorOptions, type NativeImage, nativeImage, Tray } from 'electron'
import type { FerryApi } from '../../shared/contract'
import type { QueueProgress } from '../../shared/model'
import type { ProfileStatus } from '../../shared/sync-status'
import type { EventSink } from '../engine/api'
import {
  nextBaseline,
  type RunBaseline,
  type TrayAction,
  type TrayIconState,
  type TrayMenuItem,
  type TrayModel,
  trayModel,
} from './tray-model'

/** What the shell needs of the engine: the typed client and the event feed (Engine has both). */
export interface ShellEngine {
  api: FerryApi
  subscribe(sink: EventSink): () => void
}

export interface TrayOptions {
  engine: ShellEngine
  /** The folder holding idle.png, syncing.png, paused.png, error.png (and their @2x). */
  iconDir: string
  /** Shows and focuses the window. */
  open(): void
  /** Asks to quit (the app asks first when tasks still run). */
  quit(): void
  /** A tray action the engine refused (a sync that does not fit, an unknown profile…). */
  failed(title: string, message: string): void
  /** How often the profiles' status is read again without an event (a device plugged in). */
  rescanMs?: number
}

export interface FerryTray {
  readonly model: () => TrayModel
  /** Reads progress and the profiles' status again and redraws (tests await it). */
  refresh(): Promise<void>
  dispose(): void
}

function template(items: TrayMenuItem[], run: (a: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.separator) return { type: 'separator' }
    const action = item.action
    return {
      label: item.label,
      enabled: item.enabled,
      ...(item.submenu ? { submenu: template(item.submenu, run) } : {}),
      ...(action ? { click: () => run(action) } : {}),
    }
  })
}

export function createTray(opts: TrayOptions): FerryTray {
  const { engine } = opts
  const image = iconCache(opts.iconDir)

  let progress: QueueProgress | null = null
  let profiles: ProfileStatus[] = []
  let baseline: RunBaseline = { bytesDone: 0 }
  let disposed = false

  const tray = new Tray(image('idle'))
  tray.setToolTip('Ferry')
  // Windows and macOS: a click on the icon opens the window (Linux trays only show the menu).
  tray.on('click', () => opts.open())

  const current = () => trayModel({ progress, profiles, baseline })
  const readStatus = statusReader(
    engine,
    (s) => {
      profiles = s
      render()
    },
    () => disposed,
  )
  const paint = trayPainter(tray, image, trayActions(opts, setProgress, readStatus))

  function render() {
    if (disposed) return
    paint(current())
  }

  function setProgress(p: QueueProgress) {
    progress = p
    baseline = nextBaseline(baseline, p)
    render()
  }

  const unsubscribe = followEngine(engine, setProgress, readStatus)
  const rescan = setInterval(() => void readStatus(), opts.rescanMs ?? 30_000)
  rescan.unref?.()

  const refresh = async () => {
    await Promise.all([engine.api.invoke('queue.progress', {}).then(setProgress), readStatus()])
  }
  refresh().catch(() => undefined)
  render()

  return {
    model: current,
    refresh,
    dispose() {
      disposed = true
      clearInterval(rescan)
      unsubscribe()
      tray.destroy()
    },
  }
}

/** The icon for a state, each read from iconDir once. */
function iconCache(iconDir: string): (state: TrayIconState) => NativeImage {
  const images = new Map<TrayIconState, NativeImage>()
  return (state) => {
    let img = images.get(state)
    if (!img) images.set(state, (img = nativeImage.createFromPath(join(iconDir, `${state}.png`))))
    return img
  }
}

/** Shows a model: sets the icon, tooltip and menu, each only when it changed (see the top). */
function trayPainter(
  tray: Tray,
  image: (state: TrayIconState) => NativeImage,
  act: (action: TrayAction) => void,
): (model: TrayModel) => void {
  let shown: { icon?: TrayIconState; tooltip?: string; menu?: string } = {}
  return (model) => {
    if (model.icon !== shown.icon) tray.setImage(image(model.icon))
    if (model.tooltip !== shown.tooltip) tray.setToolTip(model.tooltip)
    const menu = JSON.stringify(model.menu)
    if (menu !== shown.menu) tray.setContextMenu(Menu.buildFromTemplate(template(model.menu, act)))
    shown = { icon: model.icon, tooltip: model.tooltip, menu }
  }
}

/** Runs a menu entry's action; what the engine refuses is shown by opts.failed. */
function trayActions(
  opts: TrayOptions,
  setProgress: (p: QueueProgress) => void,
  readStatus: () => Promise<void>,
): (action: TrayAction) => void {
  const { engine } = opts
  return (action) => {
    if (action.kind === 'open') return opts.open()
    if (action.kind === 'quit') return opts.quit()
    const call =
      action.kind === 'pause'
        ? engine.api.invoke('queue.pause', {}).then(setProgress)
        : action.kind === 'resume'
          ? engine.api.invoke('queue.resume').then(setProgress)
          : engine.api.invoke('sync.run', { profile: action.profile }).then(() => readStatus())
    call.catch((err: Error) =>
      opts.failed(action.kind === 'sync' ? `Ferry cannot sync ${action.profile}` : 'Ferry', err.message),
    )
  }
}

/**
 * Reads the profiles' status and hands it to apply. sync.status reads each device's filesystem: one
 * request at a time, and one more if asked meanwhile (unless stopped).
 */
function statusReader(
  engine: ShellEngine,
  apply: (profiles: ProfileStatus[]) => void,
  stopped: () => boolean,
): () => Promise<void> {
  let reading: Promise<void> | undefined
  let again = false
  function readStatus(): Promise<void> {
    if (reading) {
      again = true
      return reading
    }
    reading = engine.api
      .invoke('sync.status')
      .then(apply)
      .catch(() => undefined) // an engine shutting down: keep what the menu shows
      .finally(() => {
        reading = undefined
        if (again && !stopped()) {
          again = false
          void readStatus()
        }
      })
    return reading
  }
  return readStatus
}

/** The events that change what the tray shows: progress itself, or a reason to ask again. */
function followEngine(
  engine: ShellEngine,
  setProgress: (p: QueueProgress) => void,
  readStatus: () => Promise<void>,
): () => void {
  return engine.subscribe((name, payload) => {
    if (name === 'queue.progress') setProgress(payload as QueueProgress)
    else if (name === 'queue.changed') {
      // Not every change comes with a progress message (an engine not working its queue yet).
      engine.api.invoke('queue.progress', {}).then(setProgress, () => undefined)
      void readStatus()
    } else if (name === 'profiles.changed' || name === 'trigger.fired') void readStatus()
  })
}
