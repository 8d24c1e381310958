import { BrowserWindow, type BrowserWindowConstructorOptions, type Session, shell } from 'electron'

/** The renderer is served from this origin by our own protocol handler, never from file://. */
export const APP_ORIGIN = 'app://ferry'

export function windowOptions(preload: string, icon?: string): BrowserWindowConstructorOptions {
  return {
    ...(icon ? { icon } : {}),
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Ferry',
    backgroundColor: '#16181d',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  }
}

/**
 * Same scheme and host as the page we loaded: the only place the window may navigate. Compared by
 * parts, not by `URL.origin`, which is the string "null" for app:// and file:// alike.
 */
export function sameOrigin(target: string, allowed: string): boolean {
  try {
    const a = new URL(target)
    const b = new URL(allowed)
    return a.host !== '' && a.protocol === b.protocol && a.host === b.host
  } catch {
    return false
  }
}

/** Denies every permission (camera, notifications, …) by default: Ferry asks for none. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

export interface MainWindowOptions {
  /** Show the window once it is ready (default); the app shows it itself, or keeps it in the tray. */
  show?: boolean
  /** The window's icon (Linux and Windows title bars and task switchers). */
  icon?: string
}

export function createMainWindow(
  preload: string,
  startUrl: string,
  opts: MainWindowOptions = {},
): BrowserWindow {
  const win = new BrowserWindow(windowOptions(preload, opts.icon))
  const contents = win.webContents
  // window.open and target=_blank: never a new Electron window; http(s) links go to the browser.
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event, url) => {
    if (!sameOrigin(url, startUrl)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!sameOrigin(url, startUrl)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  if (opts.show !== false) win.once('ready-to-show', () => win.show())
  void win.loadURL(startUrl)
  return win
}
