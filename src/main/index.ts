// Electron entry: single instance, lifecycle, and the wiring of engine + shell + server.
// Everything that works without Electron lives in engine/ and server/; this file stays thin.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { app, dialog, session } from 'electron'
import { Engine } from './engine/engine'
import { startServer } from './server/server'
import { registerIpc } from './shell/ipc'
import { registerAppScheme, serveRenderer } from './shell/protocol'
import { utilityWorker } from './shell/utility-worker'
import { APP_ORIGIN, createMainWindow, hardenSession } from './shell/window'

registerAppScheme()

function dataDirArg(argv: string[]): string | undefined {
  const i = argv.indexOf('--data-dir')
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length)
}

/** better-sqlite3 built for Electron's ABI by scripts/native-electron.mjs, kept apart from Node's. */
function electronBinding(): string | undefined {
  const file = join(app.getAppPath(), 'native', 'electron', 'better_sqlite3.node').replace(
    /app\.asar([\\/])/,
    'app.asar.unpacked$1',
  )
  return existsSync(file) ? file : undefined
}

async function start(): Promise<void> {
  let engine: Engine
  try {
    engine = Engine.open({
      kind: 'desktop',
      dataDir: dataDirArg(process.argv),
      nativeBinding: electronBinding(),
      spawnWorker: utilityWorker,
      workerScript: join(__dirname, 'worker.js'),
    })
  } catch (err) {
    dialog.showErrorBox('Ferry cannot start', (err as Error).message)
    app.quit()
    return
  }
  // The CLI finds the running app through the runtime file and talks to it over this socket.
  const server = await startServer(engine, { port: 0 })

  const dev = process.env.ELECTRON_RENDERER_URL
  const startUrl = dev ?? `${APP_ORIGIN}/index.html`
  if (!dev) serveRenderer(join(__dirname, '../renderer'))

  hardenSession(session.defaultSession)
  const win = createMainWindow(join(__dirname, '../preload/index.js'), startUrl)
  const unregister = registerIpc(engine, win, startUrl)

  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore()
    win.focus()
  })
  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', (event) => {
    event.preventDefault()
    unregister()
    void Promise.all([server.close(), engine.close()]).finally(() => app.exit(0))
  })
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.whenReady().then(start, (err) => {
    dialog.showErrorBox('Ferry cannot start', String(err))
    app.quit()
  })
}
