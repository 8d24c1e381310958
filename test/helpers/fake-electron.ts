// FAKE electron module — the only fake in this test suite, because Electron's binary cannot be
// downloaded on these machines. It is small on purpose: it records what the shell asks of Electron
// (window options, handlers) and routes preload ⇄ main IPC in-process, so tests can assert on the
// shell's real code. It implements no Electron behaviour beyond that.
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
export const app = {}
export const dialog = {}
