// FAKE electron module — the only fake in this test suite, because Electron's binary cannot be
// downloaded on these machines. It is small on purpose: it records what the shell asks of Electron
// (window options, handlers, privileged schemes, dialogs shown), answers what tests script (the
// packaged flag, the single-instance lock, dialog choices) and routes preload ⇄ main IPC in-process,
// so tests can assert on the shell's real code. It implements no Electron behaviour beyond that.
import { existsSync } from 'node:fs'

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
  readonly listeners = new Map<string, Listener[]>()
  loadedUrl?: string
  minimized = false
  /** Shown on screen (Electron's isVisible): false until show(), false again after hide(). */
  visible = false
  destroyed = false
  focused = 0
  constructor(readonly options: Record<string, unknown>) {
    BrowserWindow.created.push(this)
  }
  loadURL(url: string) {
    this.loadedUrl = url
    return Promise.resolve()
  }
  on(event: string, fn: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn])
    return this
  }
  once(event: string, fn: Listener) {
    const once: Listener = (...args) => {
      this.listeners.set(
        event,
        (this.listeners.get(event) ?? []).filter((l) => l !== once),
      )
      return fn(...args)
    }
    return this.on(event, once)
  }
  /** Fires a window event and says whether a handler prevented it. */
  emit(event: string, ...args: unknown[]): boolean {
    let prevented = false
    const e = { preventDefault: () => (prevented = true) }
    for (const fn of [...(this.listeners.get(event) ?? [])]) fn(e, ...args)
    return prevented
  }
  /** What the window's close button does: 'close' (preventable), then the window is destroyed. */
  close() {
    if (this.destroyed || this.emit('close')) return
    this.destroy()
  }
  destroy() {
    if (this.destroyed) return
    this.destroyed = true
    this.visible = false
    this.emit('closed')
  }
  isDestroyed() {
    return this.destroyed
  }
  isMinimized() {
    return this.minimized
  }
  isVisible() {
    return this.visible
  }
  show() {
    this.visible = true
    this.minimized = false
  }
  hide() {
    this.visible = false
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
  /** The additionalData the instance passed to requestSingleInstanceLock. */
  lockData: undefined as unknown,
  quits: 0,
  exitCode: undefined as number | undefined,
  /** Set once a quit ran to its end (nothing prevented before-quit, a window's close or will-quit). */
  quitted: false,
  listeners: new Map<string, Listener[]>(),
  /** What setLoginItemSettings was called with, in order; getLoginItemSettings answers from the last. */
  loginItemCalls: [] as Record<string, unknown>[],
  /** macOS: whether this launch was the login item's (getLoginItemSettings().wasOpenedAtLogin). */
  wasOpenedAtLogin: false,
  paths: {} as Record<string, string>,
  requestSingleInstanceLock: (data?: unknown) => {
    app.lockData = data
    return app.gotLock
  },
  whenReady: () => Promise.resolve(),
  getAppPath: () => process.cwd(),
  getPath: (name: string) => {
    const path = app.paths[name]
    if (!path) throw new Error(`fake app.getPath: no path set for ${name}`)
    return path
  },
  setLoginItemSettings: (settings: Record<string, unknown>) => void app.loginItemCalls.push(settings),
  getLoginItemSettings: () => ({
    openAtLogin: app.loginItemCalls.at(-1)?.openAtLogin === true,
    wasOpenedAtLogin: app.wasOpenedAtLogin,
  }),
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
  /**
   * Electron's order: before-quit (preventable), then each window's close (preventable: a prevented
   * one cancels the quit), then will-quit (preventable). No window-all-closed while quitting.
   */
  quit: () => {
    app.quits++
    if (app.emit('before-quit')) return
    for (const win of BrowserWindow.created) {
      if (win.isDestroyed()) continue
      if (win.emit('close')) return
      win.destroy()
    }
    if (app.emit('will-quit')) return
    app.quitted = true
  },
  exit: (code: number) => void (app.exitCode = code),
  reset() {
    Object.assign(app, {
      isPackaged: false,
      gotLock: true,
      lockData: undefined,
      quits: 0,
      exitCode: undefined,
      quitted: false,
      wasOpenedAtLogin: false,
      paths: {},
    })
    app.loginItemCalls.length = 0
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
  /** Electron's two forms: (window, options) or (options). */
  async showMessageBox(winOrOptions: unknown, maybeOptions?: Record<string, unknown>) {
    const options = maybeOptions ?? (winOrOptions as Record<string, unknown>)
    dialog.messages.push({ ...options, parented: maybeOptions !== undefined })
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

/** nativeImage: records the file; empty when the file is not there, as Electron's is. */
export class FakeNativeImage {
  constructor(readonly path: string) {}
  isEmpty() {
    return this.path === '' || !existsSync(this.path)
  }
}
export const nativeImage = {
  createFromPath: (path: string) => new FakeNativeImage(path),
  createEmpty: () => new FakeNativeImage(''),
}

export interface FakeMenuItem {
  label?: string
  type?: string
  enabled?: boolean
  submenu?: FakeMenuItem[]
  click?: (item: unknown, win: unknown, event: unknown) => unknown
}

/** Menu.buildFromTemplate keeps the template; tests find an item by its labels and click it. */
export class FakeMenu {
  constructor(readonly items: FakeMenuItem[]) {}
  /** The item under these labels, e.g. item('Sync now', 'Card'). */
  item(...labels: string[]): FakeMenuItem {
    let items = this.items
    let found: FakeMenuItem | undefined
    for (const label of labels) {
      found = items.find((i) => i.label === label)
      if (!found)
        throw new Error(`fake menu: no item ${JSON.stringify(label)} in ${this.labels(items).join(', ')}`)
      items = found.submenu ?? []
    }
    return found!
  }
  /** Clicks an item as a person would: a disabled one cannot be clicked. */
  click(...labels: string[]): unknown {
    const item = this.item(...labels)
    if (item.enabled === false) throw new Error(`fake menu: ${labels.join(' ▸ ')} is disabled`)
    return item.click?.(item, undefined, {})
  }
  /** The labels at one level, a separator as '—'. */
  labels(items = this.items): string[] {
    return items.map((i) => (i.type === 'separator' ? '—' : (i.label ?? '')))
  }
}
export const Menu = {
  buildFromTemplate: (template: FakeMenuItem[]) => new FakeMenu(template),
}

export class Tray {
  static created: Tray[] = []
  readonly listeners = new Map<string, Listener[]>()
  tooltip = ''
  menu?: FakeMenu
  /** How many times a menu was set (the shell should not rebuild it for every progress message). */
  menusSet = 0
  destroyed = false
  constructor(public image: FakeNativeImage) {
    Tray.created.push(this)
  }
  setImage(image: FakeNativeImage) {
    this.image = image
  }
  setToolTip(text: string) {
    this.tooltip = text
  }
  setContextMenu(menu: FakeMenu) {
    this.menu = menu
    this.menusSet++
  }
  on(event: string, fn: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn])
    return this
  }
  /** A click on the icon itself (not its menu). */
  click() {
    for (const fn of this.listeners.get('click') ?? []) fn({})
  }
  destroy() {
    this.destroyed = true
  }
  isDestroyed() {
    return this.destroyed
  }
}

/** Notifications: recorded when shown; tests click them. `supported` is what isSupported answers. */
export class Notification {
  static supported = true
  static shown: Notification[] = []
  static isSupported() {
    return Notification.supported
  }
  readonly listeners = new Map<string, Listener[]>()
  constructor(readonly options: { title: string; body: string; [k: string]: unknown }) {}
  on(event: string, fn: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn])
    return this
  }
  show() {
    Notification.shown.push(this)
  }
  click() {
    for (const fn of this.listeners.get('click') ?? []) fn({})
  }
  close() {
    for (const fn of this.listeners.get('close') ?? []) fn({})
  }
  static reset() {
    Notification.supported = true
    Notification.shown.length = 0
  }
}
