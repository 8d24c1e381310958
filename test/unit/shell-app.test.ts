// The desktop app's lifecycle (src/main/shell/app.ts, run by src/main/index.ts) against the fake
// electron module, with a real engine and a real server.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Engine as EngineType } from '../../src/main/engine/engine'
import { tempDir } from '../helpers/ferry'
import { waitFor } from '../helpers/engine'

vi.mock('electron', () => import('../helpers/fake-electron'))

const fake = await import('../helpers/fake-electron')
const { Engine } = await import('../../src/main/engine/engine')
const { launch } = await import('../../src/main/shell/app')
const { INVOKE_CHANNEL } = await import('../../src/shared/ipc')

type FakeWindow = InstanceType<typeof fake.BrowserWindow>
const DEV = 'http://localhost:5173/'

describe('the desktop app', () => {
  let dir: ReturnType<typeof tempDir>
  let opened: EngineType[]
  let rendererDir: string

  const deps = (env: NodeJS.ProcessEnv = {}) => ({
    openEngine: () => {
      const engine = Engine.open({ kind: 'test', dataDir: dir.path, work: false })
      opened.push(engine)
      return engine
    },
    rendererDir,
    preload: '/out/preload/index.js',
    env,
  })

  /** Quits the app the way Electron does and waits for it to exit. */
  async function quit() {
    fake.app.emit('will-quit')
    await waitFor('the app to exit', () => fake.app.exitCode === 0)
  }

  const invokeFrom = (win: FakeWindow, url: string) =>
    fake.ipcMain.handlers.get(INVOKE_CHANNEL)!(
      { sender: win.webContents, senderFrame: { url, parent: null } },
      'settings.get',
      {},
    ) as Promise<{ ok: boolean; error?: { code: string } }>

  beforeEach(() => {
    dir = tempDir()
    opened = []
    rendererDir = join(dir.path, 'renderer')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Ferry renderer</title>')
    fake.app.reset()
    fake.dialog.reset()
    fake.protocol.reset()
    fake.ipcMain.handlers.clear()
    fake.BrowserWindow.created.length = 0
  })
  afterEach(async () => {
    await Promise.all(opened.map((e) => e.close()))
    dir.remove()
  })

  it('packaged: ignores ELECTRON_RENDERER_URL, loads app://ferry and serves the renderer', async () => {
    fake.app.isPackaged = true
    const running = await launch(deps({ ELECTRON_RENDERER_URL: DEV }))
    expect(running?.startUrl).toBe('app://ferry/index.html')
    const win = fake.BrowserWindow.created[0]!
    expect(win.loadedUrl).toBe('app://ferry/index.html')
    const page = await fake.protocol.handlers.get('app')!({ url: 'app://ferry/index.html' })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>Ferry renderer</title>')
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/)
    // IPC answers the app:// page and refuses the development server's origin.
    expect((await invokeFrom(win, 'app://ferry/index.html')).ok).toBe(true)
    expect((await invokeFrom(win, DEV)).error?.code).toBe('unauthorized')
    await quit()
  })

  it('unpackaged: loads the development server named by ELECTRON_RENDERER_URL', async () => {
    fake.app.isPackaged = false
    const running = await launch(deps({ ELECTRON_RENDERER_URL: DEV }))
    expect(running?.startUrl).toBe(DEV)
    const win = fake.BrowserWindow.created[0]!
    expect(win.loadedUrl).toBe(DEV)
    expect(fake.protocol.handlers.has('app')).toBe(false)
    expect((await invokeFrom(win, `${DEV}#/queue`)).ok).toBe(true)
    expect((await invokeFrom(win, 'app://ferry/index.html')).error?.code).toBe('unauthorized')
    await quit()
  })

  it('unpackaged without the variable: app://ferry as in a packaged build', async () => {
    await launch(deps())
    expect(fake.BrowserWindow.created[0]!.loadedUrl).toBe('app://ferry/index.html')
    expect(fake.protocol.handlers.has('app')).toBe(true)
    await quit()
  })

  it('registers app:// before the app is ready, in every instance', async () => {
    fake.app.gotLock = false
    await launch(deps())
    expect(fake.protocol.privileged.map((s) => s.scheme)).toEqual(['app'])
  })

  it('a second instance quits without opening an engine or a window', async () => {
    fake.app.gotLock = false
    const running = await launch(deps())
    expect(running).toBeUndefined()
    expect(fake.app.quits).toBe(1)
    expect(opened).toHaveLength(0)
    expect(fake.BrowserWindow.created).toHaveLength(0)
    expect(fake.app.listeners.size).toBe(0)
  })

  it('the first instance restores and focuses its window when a second one starts', async () => {
    await launch(deps())
    const win = fake.BrowserWindow.created[0]!
    win.minimized = true
    fake.app.emit('second-instance', ['/opt/Ferry/ferry'], dir.path)
    expect(win.minimized).toBe(false)
    expect(win.focused).toBe(1)
    fake.app.emit('second-instance', ['/opt/Ferry/ferry'], dir.path)
    expect(win.focused).toBe(2)
    await quit()
  })

  it('says why it cannot start when the engine does not open', async () => {
    const running = await launch({
      ...deps(),
      openEngine: () => {
        throw new Error('Another Ferry engine is using this database.')
      },
    })
    expect(running).toBeUndefined()
    expect(fake.dialog.errors).toEqual([
      { title: 'Ferry cannot start', content: 'Another Ferry engine is using this database.' },
    ])
    expect(fake.app.quits).toBe(1)
    expect(fake.BrowserWindow.created).toHaveLength(0)
  })

  it('on quit: removes its IPC handlers, closes the engine, then exits', async () => {
    const running = await launch(deps())
    expect(fake.ipcMain.handlers.size).toBe(2)
    expect(fake.app.emit('will-quit')).toBe(true) // held until the engine is closed
    await waitFor('the app to exit', () => fake.app.exitCode === 0)
    expect(fake.ipcMain.handlers.size).toBe(0)
    await expect(running!.engine.invoke('settings.get', {})).rejects.toThrow(/shutting down/)
    fake.app.emit('window-all-closed')
    expect(fake.app.quits).toBe(1)
  })
})
