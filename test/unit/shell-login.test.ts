// Start at login (ui.startAtLogin) and starting hidden in the tray when launched that way, against
// the fake electron module: Electron's login item on Windows and macOS, an XDG autostart entry on
// Linux (Electron has no login item there), written in a temporary config folder.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { waitFor } from '../helpers/engine'

vi.mock('electron', () => import('../helpers/fake-electron'))

const fake = await import('../helpers/fake-electron')
const { Desktop } = await import('../helpers/desktop')
const { INVOKE_CHANNEL } = await import('../../src/shared/ipc')
const { autostartEntry, loginEnv, openedAtLogin } = await import('../../src/main/shell/login')

describe('start at login', () => {
  let desktop: InstanceType<typeof Desktop>
  let config: string
  beforeEach(() => {
    desktop = new Desktop()
    config = join(desktop.dir.path, 'config')
    fake.app.isPackaged = true
  })
  afterEach(() => desktop.dispose())

  const entry = () => join(config, 'autostart', 'ferry.desktop')
  /** settings.set from the Settings view, through the window's IPC. */
  const setFromPage = (change: Record<string, unknown>) =>
    fake.ipcMain.handlers.get(INVOKE_CHANNEL)!(
      { sender: desktop.win.webContents, senderFrame: { url: 'app://ferry/index.html', parent: null } },
      'settings.set',
      change,
    ) as Promise<{ ok: boolean }>

  it('Linux: the setting writes and removes an autostart entry that starts Ferry hidden', async () => {
    await desktop.launch()
    expect(existsSync(entry())).toBe(false) // off by default
    expect((await setFromPage({ 'ui.startAtLogin': true })).ok).toBe(true)
    expect(readFileSync(entry(), 'utf8')).toContain('Exec=/opt/Ferry/ferry --hidden\n')
    expect(readFileSync(entry(), 'utf8')).toMatch(/^\[Desktop Entry\]\nType=Application\nName=Ferry\n/)
    await setFromPage({ 'ui.startAtLogin': false })
    expect(existsSync(entry())).toBe(false)
    expect(fake.app.loginItemCalls).toEqual([]) // Electron's login item does nothing on Linux
  })

  it('a change made elsewhere (the CLI against the running app) is applied too', async () => {
    const { engine } = await desktop.launch({ settingsRecheckMs: 30 })
    await engine.api.invoke('settings.set', { 'ui.startAtLogin': true })
    await waitFor('the autostart entry', () => existsSync(entry()))
  })

  it('applies the saved setting at start', async () => {
    const first = await desktop.launch()
    await first.engine.api.invoke('settings.set', { 'ui.startAtLogin': true })
    fake.app.quit()
    await desktop.exited()
    desktop.restart()
    fake.app.isPackaged = true
    await desktop.launch({ login: { platform: 'win32', exec: 'C:\\Ferry\\Ferry.exe' } })
    expect(fake.app.loginItemCalls).toEqual([{ openAtLogin: true, args: ['--hidden'] }])
  })

  it("Windows and macOS: Electron's login item, with --hidden", async () => {
    await desktop.launch({
      login: { platform: 'darwin', exec: '/Applications/Ferry.app/Contents/MacOS/Ferry' },
    })
    await setFromPage({ 'ui.startAtLogin': true })
    await setFromPage({ 'ui.theme': 'dark' }) // unrelated: nothing more registered
    await setFromPage({ 'ui.startAtLogin': false })
    expect(fake.app.loginItemCalls).toEqual([
      { openAtLogin: false, args: ['--hidden'] },
      { openAtLogin: true, args: ['--hidden'] },
      { openAtLogin: false, args: ['--hidden'] },
    ])
  })

  it('an unpackaged app registers nothing (it would start the bare Electron binary)', async () => {
    fake.app.isPackaged = false
    await desktop.launch()
    await setFromPage({ 'ui.startAtLogin': true })
    expect(existsSync(entry())).toBe(false)
    expect(fake.app.loginItemCalls).toEqual([])
  })

  it('an AppImage registers itself, not the executable mounted inside it; paths with spaces are quoted', () => {
    expect(loginEnv({ APPIMAGE: '/home/u/Apps/Ferry.AppImage' }).exec).toBe('/home/u/Apps/Ferry.AppImage')
    expect(autostartEntry('/home/u/My Apps/Ferry.AppImage')).toContain(
      'Exec="/home/u/My Apps/Ferry.AppImage" --hidden\n',
    )
  })
})

describe('launched at login', () => {
  let desktop: InstanceType<typeof Desktop>
  beforeEach(() => {
    desktop = new Desktop()
  })
  afterEach(() => desktop.dispose())

  it('with --hidden: the window is made and loads, but stays in the tray until opened', async () => {
    await desktop.launch({ args: ['--hidden'] })
    expect(desktop.win.loadedUrl).toBe('app://ferry/index.html')
    desktop.win.emit('ready-to-show')
    expect(desktop.win.isVisible()).toBe(false)
    expect(fake.Tray.created).toHaveLength(1)
    desktop.menu.click('Open Ferry')
    expect(desktop.win.isVisible()).toBe(true)
  })

  it('a normal start shows the window once it is ready', async () => {
    await desktop.launch()
    expect(desktop.win.isVisible()).toBe(false)
    desktop.win.emit('ready-to-show')
    expect(desktop.win.isVisible()).toBe(true)
  })

  it('with --hidden but no tray to come back from: shown anyway', async () => {
    await desktop.launch({ args: ['--hidden'], resourcesDir: undefined })
    desktop.win.emit('ready-to-show')
    expect(desktop.win.isVisible()).toBe(true)
  })

  it('macOS says so itself (wasOpenedAtLogin); elsewhere only --hidden counts', () => {
    fake.app.wasOpenedAtLogin = true
    expect(openedAtLogin(false, 'darwin')).toBe(true)
    expect(openedAtLogin(false, 'linux')).toBe(false)
    expect(openedAtLogin(true, 'win32')).toBe(true)
    fake.app.wasOpenedAtLogin = false
    expect(openedAtLogin(false, 'darwin')).toBe(false)
  })
})
