// The desktop app's lifecycle: single instance, engine + server + window + IPC + tray +
// notifications, and shutdown. The entry (src/main/index.ts) only supplies what depends on where it
// runs; tests drive this module with the fake electron module.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { app, type BrowserWindow, dialog, session } from 'electron'
import { SHELL_CHANNEL, type ShellRequest } from '../../shared/ipc'
import type { HostedEngine } from '../engine/api'
import { startServer } from '../server/server'
import { type IpcOptions, registerIpc } from './ipc'
import { isHandOver, type LaunchArgs, parseLaunchArgs } from './launch-args'
import { manageLifecycle } from './lifecycle'
import { applyLoginItem, type LoginEnv, loginEnv, openedAtLogin } from './login'
import { startNotifications } from './notify'
import { registerAppScheme, serveRenderer } from './protocol'
import { createTray, type FerryTray } from './tray'
import { APP_ORIGIN, createMainWindow, hardenSession } from './window'

export interface AppDeps {
  /** Opens the engine (the entry gives it Electron's native binding and utilityProcess workers). */
  openEngine(): HostedEngine
  /** The built renderer, served at app://ferry/. */
  rendererDir: string
  /** The built preload script. */
  preload: string
  env: NodeJS.ProcessEnv
  ipc?: IpcOptions
  /** The app's resources/ folder (icon.png, tray/*.png); without it there is no tray. */
  resourcesDir?: string
  /** This launch's arguments after the program (and, unpackaged, the app path): see launch-args.ts. */
  args?: string[]
  /** Where this launch's relative paths are resolved. */
  cwd?: string
  /** Where start-at-login is registered (tests point it at a temporary folder). */
  login?: LoginEnv
  /** How often the settings are read again for a change made elsewhere (the CLI, the web UI). */
  settingsRecheckMs?: number
}

export interface RunningApp {
  engine: HostedEngine
  win: BrowserWindow
  startUrl: string
  tray?: FerryTray
  /** Acts on a launch's arguments as a second instance's are (tests call it with their own). */
  handOver(args: string[], cwd: string): Promise<void>
}

/**
 * The page the window loads. ELECTRON_RENDERER_URL (electron-vite's development server) is honoured
 * only in an unpackaged app: in a packaged one, whoever sets the environment would otherwise get any
 * page of their choosing the full bridge and no Content-Security-Policy.
 */
export function startUrlFor(env: NodeJS.ProcessEnv, packaged: boolean): { url: string; dev: boolean } {
  const dev = packaged ? undefined : env.ELECTRON_RENDERER_URL
  return dev ? { url: dev, dev: true } : { url: `${APP_ORIGIN}/index.html`, dev: false }
}

export async function startApp(deps: AppDeps): Promise<RunningApp | undefined> {
  const engine = openEngine(deps)
  if (!engine) return undefined
  // The CLI finds the running app through the runtime file and talks to it over this socket.
  const server = await startServer(engine, { port: 0 })

  const start = startUrlFor(deps.env, app.isPackaged)
  if (!start.dev) serveRenderer(deps.rendererDir)

  const parseOpts = { exists: existsSync, appPath: app.getAppPath() }
  const own = parseLaunchArgs(deps.args ?? [], { ...parseOpts, cwd: deps.cwd ?? process.cwd() })
  const appIcon = deps.resourcesDir ? join(deps.resourcesDir, 'icon.png') : undefined

  hardenSession(session.defaultSession)
  const win = createMainWindow(deps.preload, start.url, { show: false, icon: appIcon })
  const loginEnvironment = deps.login ?? loginEnv(deps.env)
  const login = loginSetting(engine, loginEnvironment)
  const unregister = registerIpc(engine, win, start.url, {
    ...deps.ipc,
    onSettings: (s) => login.apply(s['ui.startAtLogin']),
  })

  const toPage = pageRequests(win)
  const showWindow = () => showAndFocus(win)
  const tray = deps.resourcesDir ? openTray(engine, deps.resourcesDir, showWindow) : undefined
  const stopNotifications = startNotifications({
    engine,
    icon: appIcon,
    show: (request) => {
      showWindow()
      toPage(request)
    },
  })
  const act = launchActions(engine, toPage)

  // Started by the login item: the window is made (and loads) but stays hidden in the tray.
  const hidden = openedAtLogin(own.hidden, loginEnvironment.platform) && tray !== undefined
  if (!hidden) win.once('ready-to-show', showWindow)

  const handOver = async (args: string[], cwd: string) => {
    const parsed = parseLaunchArgs(args, { ...parseOpts, cwd })
    if (!parsed.hidden) showWindow() // a second login-item launch changes nothing
    await act(parsed)
  }
  acceptHandOvers(handOver)
  app.on('activate', showWindow) // macOS: the Dock icon clicked

  manageLifecycle({
    win,
    engine,
    hasTray: () => tray !== undefined,
    shutdown: async () => {
      clearInterval(recheck)
      stopNotifications()
      tray?.dispose()
      unregister()
      await Promise.all([server.close(), engine.close()])
    },
  })

  // Start at login follows the setting: now, at each change from the window, and a change made
  // elsewhere (`ferry settings set` against this app) within a minute.
  const recheck = setInterval(login.recheck, deps.settingsRecheckMs ?? 60_000)
  recheck.unref?.()
  await login.recheck()

  void act(own)
  return { engine, win, startUrl: start.url, tray, handOver }
}

/** The engine, or — when it does not open (another engine holds the data folder…) — why, and quit. */
function openEngine(deps: AppDeps): HostedEngine | undefined {
  try {
    return deps.openEngine()
  } catch (err) {
    dialog.showErrorBox('Ferry cannot start', (err as Error).message)
    app.quit()
    return undefined
  }
}

/**
 * Start at login as the setting says: apply registers or removes the login item only when the value
 * changes; recheck reads the setting again.
 */
function loginSetting(
  engine: HostedEngine,
  env: LoginEnv,
): { apply(on: boolean): void; recheck(): Promise<void> } {
  let loginApplied: boolean | undefined
  const apply = (on: boolean) => {
    if (on === loginApplied) return
    loginApplied = on
    try {
      applyLoginItem(on, env)
    } catch (err) {
      engine.log('warn', `Could not change start at login: ${(err as Error).message}`)
    }
  }
  const recheck = () =>
    engine.api
      .invoke('settings.get')
      .then((s) => apply(s['ui.startAtLogin']))
      .catch(() => undefined)
  return { apply, recheck }
}

/** Sends a request to the page: the page learns of requests once it has loaded (earlier, nothing listens yet). */
function pageRequests(win: BrowserWindow): (request: ShellRequest) => void {
  let pageReady = false
  const waiting: ShellRequest[] = []
  win.webContents.on('did-finish-load', () => {
    pageReady = true
    for (const r of waiting.splice(0)) win.webContents.send(SHELL_CHANNEL, r)
  })
  return (request) => {
    if (win.isDestroyed()) return
    if (pageReady) win.webContents.send(SHELL_CHANNEL, request)
    else waiting.push(request)
  }
}

function showAndFocus(win: BrowserWindow): void {
  if (win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}

/** The tray icon, or none (with a warning in the log) when it cannot be made. */
function openTray(engine: HostedEngine, resourcesDir: string, showWindow: () => void): FerryTray | undefined {
  try {
    return createTray({
      engine,
      iconDir: join(resourcesDir, 'tray'),
      open: showWindow,
      quit: () => app.quit(),
      failed: (title, message) => dialog.showErrorBox(title, message),
    })
  } catch (err) {
    engine.log('warn', `No tray icon: ${(err as Error).message}`)
    return undefined
  }
}

/** Paths → the page's Add sheet; --sync PROFILE → a sync run, and the Sync view. */
function launchActions(
  engine: HostedEngine,
  toPage: (request: ShellRequest) => void,
): (args: LaunchArgs) => Promise<void> {
  return async (args) => {
    if (args.paths.length) toPage({ kind: 'add', paths: args.paths })
    for (const profile of args.sync) {
      try {
        await engine.api.invoke('sync.run', { profile })
        toPage({ kind: 'show', view: 'sync', profile })
      } catch (err) {
        dialog.showErrorBox(`Ferry cannot sync ${profile}`, (err as Error).message)
      }
    }
  }
}

/** A second instance's launch is handed to this one (launch() has it quit). */
function acceptHandOvers(handOver: (args: string[], cwd: string) => Promise<void>): void {
  app.on('second-instance', (_event, argv, cwd, data) => {
    // The second instance sends its own arguments (launch()); Electron's argv is the fallback.
    const given = isHandOver(data)
      ? data
      : {
          args: Array.isArray(argv) ? argv.slice(1).filter((a) => typeof a === 'string') : [],
          cwd: typeof cwd === 'string' ? cwd : process.cwd(),
        }
    void handOver(given.args, given.cwd)
  })
}

/**
 * Runs at load, before the app is ready: a second instance hands its arguments over to the first
 * and quits.
 */
export function launch(deps: AppDeps): Promise<RunningApp | undefined> {
  registerAppScheme()
  if (!app.requestSingleInstanceLock({ args: deps.args ?? [], cwd: deps.cwd ?? process.cwd() })) {
    app.quit()
    return Promise.resolve(undefined)
  }
  return app
    .whenReady()
    .then(() => startApp(deps))
    .catch((err: unknown) => {
      dialog.showErrorBox('Ferry cannot start', String(err))
      app.quit()
      return undefined
    })
}
