import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => import('../helpers/fake-electron'))

const fake = await import('../helpers/fake-electron')
const { createMainWindow, hardenSession, windowOptions } = await import('../../src/main/shell/window')
const { registerIpc } = await import('../../src/main/shell/ipc')
const { INVOKE_CHANNEL } = await import('../../src/shared/ipc')

const START = 'app://ferry/index.html'

describe('the main window', () => {
  it('runs the renderer isolated, sandboxed, without Node', () => {
    const prefs = windowOptions('/app/out/preload/index.js').webPreferences!
    expect(prefs.contextIsolation).toBe(true)
    expect(prefs.sandbox).toBe(true)
    expect(prefs.nodeIntegration).toBe(false)
    expect(prefs.nodeIntegrationInWorker).toBe(false)
    expect(prefs.nodeIntegrationInSubFrames).toBe(false)
    expect(prefs.allowRunningInsecureContent).toBe(false)
    expect(prefs.webSecurity).toBe(true)
    expect(prefs.webviewTag).toBe(false)
    expect(prefs.preload).toBe('/app/out/preload/index.js')
  })

  it('loads the app from app://, blocks foreign navigation and every window.open', () => {
    const win = createMainWindow('/p.js', START) as unknown as InstanceType<typeof fake.BrowserWindow>
    expect(win.loadedUrl).toBe(START)
    const wc = win.webContents
    expect(wc.emitPreventable('will-navigate', 'https://evil.example/')).toBe(true)
    expect(wc.emitPreventable('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(wc.emitPreventable('will-navigate', 'app://other/index.html')).toBe(true)
    expect(wc.emitPreventable('will-navigate', 'app://ferry.evil/index.html')).toBe(true)
    expect(wc.emitPreventable('will-navigate', 'http://localhost:5173/')).toBe(true)
    expect(wc.emitPreventable('will-navigate', 'javascript:alert(1)')).toBe(true)
    expect(wc.emitPreventable('will-navigate', 'not a url')).toBe(true)
    expect(wc.emitPreventable('will-navigate', 'app://ferry/index.html#/queue')).toBe(false)
    expect(wc.emitPreventable('will-redirect', 'http://127.0.0.1:1/')).toBe(true)
    expect(wc.emitPreventable('will-attach-webview')).toBe(true)
    expect(wc.windowOpenHandler?.({ url: 'app://ferry/index.html' })).toEqual({ action: 'deny' })
    expect(wc.windowOpenHandler?.({ url: 'https://example.org/help' })).toEqual({ action: 'deny' })
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://evil/']) {
      expect(wc.windowOpenHandler?.({ url })).toEqual({ action: 'deny' })
    }
    // Only http(s) links go to the browser; nothing else is handed to the OS.
    expect(fake.shell.opened).toEqual(['https://example.org/help'])
  })

  it('denies every permission request', () => {
    hardenSession(fake.session.defaultSession as never)
    const answers: boolean[] = []
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read']) {
      fake.permission.request?.({}, p, (ok) => answers.push(ok))
    }
    expect(answers).toEqual([false, false, false, false])
    expect(fake.permission.check?.()).toBe(false)
  })
})

describe('IPC only answers our own window', () => {
  let win: InstanceType<typeof fake.BrowserWindow>
  const calls: unknown[] = []
  const engine = {
    invoke: async (name: unknown, input: unknown) => {
      calls.push([name, input])
      return { answer: 42 }
    },
    subscribe: () => () => undefined,
  }

  beforeEach(() => {
    calls.length = 0
    fake.ipcMain.handlers.clear()
    win = new fake.BrowserWindow({})
    registerIpc(engine, win as never, START)
  })

  const invokeAs = (contents: unknown, frame: unknown) =>
    fake.ipcMain.handlers.get(INVOKE_CHANNEL)!({ sender: contents, senderFrame: frame }, 'system.info', {})

  it('answers the top frame of our window at our origin', async () => {
    const frame = { url: 'app://ferry/index.html', parent: null }
    expect(await invokeAs(win.webContents, frame)).toEqual({ ok: true, value: { answer: 42 } })
    expect(calls).toHaveLength(1)
  })

  it('refuses another window, an iframe, and a foreign page in our window', async () => {
    const other = new fake.BrowserWindow({})
    const top = { url: 'app://ferry/index.html', parent: null }
    const evilTop = { url: 'https://evil.example/', parent: null }
    const cases = [
      [other.webContents, top], // another webContents, even showing our page
      [{ id: win.webContents.id + 1000 }, top],
      [win.webContents, { url: 'app://ferry/frame.html', parent: top }], // an iframe of our origin
      [win.webContents, { url: 'https://evil.example/', parent: top }], // a foreign iframe
      [win.webContents, { url: 'app://ferry/index.html', parent: evilTop }], // our page framed
      [win.webContents, evilTop], // another origin in our window
      [win.webContents, { url: 'app://evil/index.html', parent: null }],
      [win.webContents, { url: 'app://ferry.evil/index.html', parent: null }],
      [win.webContents, { url: 'file:///work/out/renderer/index.html', parent: null }],
      [win.webContents, { url: 'http://localhost:5173/', parent: null }],
      [win.webContents, { url: 'about:blank', parent: null }],
      [win.webContents, null],
    ] as const
    for (const [contents, frame] of cases) {
      const r = (await invokeAs(contents, frame)) as { ok: boolean; error: { code: string } }
      expect(r.ok).toBe(false)
      expect(r.error.code).toBe('unauthorized')
    }
    expect(calls).toHaveLength(0)
  })

  it('refuses everyone once our window is destroyed', async () => {
    win.isDestroyed = () => true
    const r = (await invokeAs(win.webContents, { url: START, parent: null })) as { error: { code: string } }
    expect(r.error.code).toBe('unauthorized')
    expect(calls).toHaveLength(0)
  })

  it('passes the renderer to the engine as a page, never as a trusted caller', async () => {
    const callers: unknown[] = []
    fake.ipcMain.handlers.clear()
    registerIpc(
      { invoke: async (_n, _i, caller) => void callers.push(caller), subscribe: () => () => undefined },
      win as never,
      START,
    )
    await invokeAs(win.webContents, { url: START, parent: null })
    expect(callers).toEqual(['page'])
  })
})

describe('events reach our window only', () => {
  it('sends engine events to our window, and stops when unregistered', () => {
    fake.ipcMain.handlers.clear()
    const sinks: ((name: string, payload: unknown) => void)[] = []
    const engine = {
      invoke: async () => undefined,
      subscribe: (sink: (name: string, payload: unknown) => void) => {
        sinks.push(sink)
        return () => void sinks.splice(sinks.indexOf(sink), 1)
      },
    }
    const win = new fake.BrowserWindow({})
    const other = new fake.BrowserWindow({})
    const stop = registerIpc(engine as never, win as never, START)
    sinks.forEach((s) => s('queue.changed', { at: 1 }))
    expect(win.webContents.sent).toEqual([{ channel: 'ferry:event', args: ['queue.changed', { at: 1 }] }])
    expect(other.webContents.sent).toEqual([])
    stop()
    expect(sinks).toHaveLength(0)
    expect(fake.ipcMain.handlers.size).toBe(0)
  })
})
