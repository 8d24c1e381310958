// FAKE electron module — the only fake in this test suite, because Electron's binary cannot be
// downloaded on these machines. It is small on purpose: it records what the shell asks of Electron
// (window options, handlers, privileged schemes, dialogs shown), answers what tests script (the
// packaged flag, the single-instance lock, dialog choices) and routes preload ⇄ main IPC in-process,
// so tests can assert on the shell's real code. It implements no Electron behaviour beyond that.
type Listener = (...args: unknown[]) => unknown

let nextId = 1

export class FakeWebContents {
  readonly id = nextId++
  readonly listeners = new Map<string, Listener[]>()
  windowOpenHandler?: (details: { url: string }) => { action: string }
  readonly sent: { channel: string; args: unknown[] }[] = []
  on(event: string, fn: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn])
    return this
  }
  /** Fires a navigation-like event and says whether a handler prevented it. */
  emitPreventable(event: string, ...args: unknown[]): boolean {
    let prevented = false
    const e = { preventDefault: () => (prevented = true) }
    for (const fn of this.listeners.get(event) ?? []) fn(e, ...args)
    return prevented
  }
  setWindowOpenHandler(fn: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = fn
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args })
    for (const fn of ipcRenderer.listeners.get(channel) ?? []) fn({}, ...args)
  }
}

export class BrowserWindow {
  static created: BrowserWindow[] = []
  readonly webContents = new FakeWebContents()
  loadedUrl?: string
  minimized = false
  focused = 0
  constructor(readonly options: Record<string, unknown>) {
    BrowserWindow.created.push(this)
  }
  loadURL(url: string) {
    this.loadedUrl = url
    return Promise.resolve()
  }
  once() {
    return this
  }
  isDestroyed() {
    return false
  }
  isMinimized() {
    return this.minimized
  }
  restore() {
    this.minimized = false
  }
  focus() {
    this.focused++
  }
}

export interface FakeFrame {
  url: string
  parent: FakeFrame | null
}

export const ipcMain = {
  handlers: new Map<string, Listener>(),
  handle(channel: string, fn: Listener) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, fn)
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel)
  },
}

/** The sender the next ipcRenderer.invoke appears to come from (tests set it). */
export const fakeSender: { contents?: FakeWebContents; frame?: FakeFrame } = {}

export const ipcRenderer = {
  listeners: new Map<string, Listener[]>(),
  invoke(channel: string, ...args: unknown[]) {
    const fn = ipcMain.handlers.get(channel)
    if (!fn) return Promise.reject(new Error(`No handler registered for '${channel}'`))
    // Electron structured-clones arguments and results; so does this fake.
    const event = { sender: fakeSender.contents, senderFrame: fakeSender.frame }
    return Promise.resolve(fn(event, ...structuredClone(args))).then((r) => structuredClone(r))
  },
  on(channel: string, fn: Listener) {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), fn])
  },
  removeListener(channel: string, fn: Listener) {
    this.listeners.set(
      channel,
      (this.listeners.get(channel) ?? []).filter((l) => l !== fn),
    )
  },
}

export const exposed: Record<string, unknown> = {}
export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown) {
    exposed[key] = api
  },
}

export const webUtils = { getPathForFile: (file: { path?: string }) => file.path ?? '' }

export const permission: {
  request?: (wc: unknown, permission: string, cb: (ok: boolean) => void) => void
  check?: () => boolean
} = {}
export const session = {
  defaultSession: {
    setPermissionRequestHandler(fn: typeof permission.request) {
      permission.request = fn
    },
    setPermissionCheckHandler(fn: typeof permission.check) {
      permission.check = fn
    },
  },
}

export const shell = {
  opened: [] as string[],
  openExternal: async (url: string) => void shell.opened.push(url),
}
/** Electron's app: the packaged flag, the single-instance lock and lifecycle events, as tests set them. */
export const app = {
  isPackaged: false,
  /** What requestSingleInstanceLock answers: false when another instance holds the lock. */
  gotLock: true,
  quits: 0,
  exitCode: undefined as number | undefined,
  listeners: new Map<string, Listener[]>(),
  requestSingleInstanceLock: () => app.gotLock,
  whenReady: () => Promise.resolve(),
  getAppPath: () => process.cwd(),
  on(event: string, fn: Listener) {
    app.listeners.set(event, [...(app.listeners.get(event) ?? []), fn])
    return app
  },
  /** Fires an app event and says whether a handler prevented it. */
  emit(event: string, ...args: unknown[]): boolean {
    let prevented = false
    const e = { preventDefault: () => (prevented = true) }
    for (const fn of app.listeners.get(event) ?? []) fn(e, ...args)
    return prevented
  },
  quit: () => void app.quits++,
  exit: (code: number) => void (app.exitCode = code),
  reset() {
    Object.assign(app, { isPackaged: false, gotLock: true, quits: 0, exitCode: undefined })
    app.listeners.clear()
  },
}

/** Native dialogs answer from scripts the tests fill, and record what they were asked to show. */
export const dialog = {
  openAnswers: [] as { canceled: boolean; filePaths: string[] }[],
  messageAnswers: [] as number[],
  opened: [] as Record<string, unknown>[],
  messages: [] as Record<string, unknown>[],
  errors: [] as { title: string; content: string }[],
  async showOpenDialog(_win: unknown, options: Record<string, unknown>) {
    dialog.opened.push(options)
    const answer = dialog.openAnswers.shift()
    if (!answer) throw new Error('fake dialog: no scripted answer for showOpenDialog')
    return answer
  },
  async showMessageBox(_win: unknown, options: Record<string, unknown>) {
    dialog.messages.push(options)
    const response = dialog.messageAnswers.shift()
    if (response === undefined) throw new Error('fake dialog: no scripted answer for showMessageBox')
    return { response, checkboxChecked: false }
  },
  showErrorBox: (title: string, content: string) => void dialog.errors.push({ title, content }),
  reset() {
    for (const list of [
      dialog.openAnswers,
      dialog.messageAnswers,
      dialog.opened,
      dialog.messages,
      dialog.errors,
    ]) {
      list.length = 0
    }
  },
}

/** Records the privileged schemes and the handlers; tests call a handler with a request. */
export const protocol = {
  privileged: [] as { scheme: string; privileges: Record<string, boolean> }[],
  handlers: new Map<string, (request: { url: string }) => Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]) {
    protocol.privileged.push(...schemes)
  },
  handle(scheme: string, fn: (request: { url: string }) => Promise<Response>) {
    if (protocol.handlers.has(scheme)) throw new Error(`The scheme has been handled: ${scheme}`)
    protocol.handlers.set(scheme, fn)
  },
  reset() {
    protocol.privileged.length = 0
    protocol.handlers.clear()
  },
}
