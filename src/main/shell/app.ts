// The desktop app's lifecycle: single instance, engine + server + window + IPC, and shutdown. The
// entry (src/main/index.ts) only supplies what depends on where it runs; tests drive this module
// with the fake electron module.
import { app, type BrowserWindow, dialog, session } from 'electron'
import type { Engine } from '../engine/engine'
import { startServer } from '../server/server'
import { type IpcOptions, registerIpc } from './ipc'
import { registerAppScheme, serveRenderer } from './protocol'
import { APP_ORIGIN, createMainWindow, hardenSession } from './window'

export interface AppDeps {
  /** Opens the engine (the entry gives it Electron's native binding and utilityProcess workers). */
  openEngine(): Engine
  /** The built renderer, served at app://ferry/. */
  rendererDir: string
  /** The built preload script. */
  preload: string
  env: NodeJS.ProcessEnv
  ipc?: IpcOptions
}

export interface RunningApp {
  engine: Engine
  win: BrowserWindow
  startUrl: string
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
  let engine: Engine
  try {
    engine = deps.openEngine()
  } catch (err) {
    dialog.showErrorBox('Ferry cannot start', (err as Error).message)
    app.quit()
    return undefined
  }
  // The CLI finds the running app through the runtime file and talks to it over this socket.
  const server = await startServer(engine, { port: 0 })

  const start = startUrlFor(deps.env, app.isPackaged)
  if (!start.dev) serveRenderer(deps.rendererDir)

  hardenSession(session.defaultSession)
  const win = createMainWindow(deps.preload, start.url)
  const unregister = registerIpc(engine, win, start.url, deps.ipc)

  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore()
    win.focus()
  })
  app.on('window-all-closed', () => app.quit())
  let quitting = false
  app.on('will-quit', (event) => {
    event.preventDefault()
    if (quitting) return
    quitting = true
    unregister()
    void Promise.all([server.close(), engine.close()]).finally(() => app.exit(0))
  })
  return { engine, win, startUrl: start.url }
}

/** Runs at load, before the app is ready: a second instance hands over to the first and quits. */
export function launch(deps: AppDeps): Promise<RunningApp | undefined> {
  registerAppScheme()
  if (!app.requestSingleInstanceLock()) {
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
