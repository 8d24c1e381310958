// Runs the desktop app (src/main/shell/app.ts) against the fake electron module, with a real engine
// on a temporary data folder: the tests of the tray, notifications, closing and quitting, the
// hand-over of a second launch and start at login share it. The caller mocks 'electron' first:
//   vi.mock('electron', () => import('./fake-electron'))
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Engine } from '../../src/main/engine/engine'
import type { AppDeps, RunningApp } from '../../src/main/shell/app'
import * as fake from './fake-electron'
import { ROOT, tempDir } from './ferry'
import { waitFor } from './engine'

export type FakeWindow = InstanceType<typeof fake.BrowserWindow>

export class Desktop {
  readonly dir = tempDir()
  readonly dataDir = join(this.dir.path, 'data')
  readonly opened: Engine[] = []
  private readonly rendererDir = join(this.dir.path, 'renderer')

  constructor() {
    mkdirSync(this.rendererDir)
    writeFileSync(join(this.rendererDir, 'index.html'), '<!doctype html><title>Ferry renderer</title>')
    Desktop.resetFake()
  }

  static resetFake(): void {
    fake.app.reset()
    fake.dialog.reset()
    fake.protocol.reset()
    fake.ipcMain.handlers.clear()
    fake.BrowserWindow.created.length = 0
    fake.Tray.created.length = 0
    fake.Notification.reset()
  }

  /** What the entry passes, with the repository's real resources/ (tray icons). */
  deps(over: Partial<AppDeps> = {}): AppDeps {
    return {
      openEngine: () => {
        // work: false — tasks stay pending, so "tasks still to run" holds as long as a test needs.
        const engine = Engine.open({ kind: 'test', dataDir: this.dataDir, work: false })
        this.opened.push(engine)
        return engine
      },
      rendererDir: this.rendererDir,
      preload: '/out/preload/index.js',
      env: {},
      resourcesDir: join(ROOT, 'resources'),
      args: [],
      cwd: this.dir.path,
      login: { platform: 'linux', exec: '/opt/Ferry/ferry', configDir: join(this.dir.path, 'config') },
      ...over,
    }
  }

  /** The running app, its engine the concrete one these tests opened (the shell sees its interface). */
  async launch(over: Partial<AppDeps> = {}): Promise<RunningApp & { engine: Engine }> {
    const { launch } = await import('../../src/main/shell/app')
    const running = await launch(this.deps(over))
    if (!running) throw new Error(`the app did not start: ${JSON.stringify(fake.dialog.errors)}`)
    return running as RunningApp & { engine: Engine }
  }

  get win(): FakeWindow {
    return fake.BrowserWindow.created.at(-1)!
  }
  get tray(): InstanceType<typeof fake.Tray> {
    return fake.Tray.created.at(-1)!
  }
  /** The tray's current menu. */
  get menu(): fake.FakeMenu {
    const menu = this.tray.menu
    if (!menu) throw new Error('the tray has no menu')
    return menu
  }
  /** What the page was sent on the shell channel. */
  shellRequests(): unknown[] {
    return this.win.webContents.sent.filter((s) => s.channel === 'ferry:shell').map((s) => s.args[0])
  }

  /** Waits until the app exited (the engine closed). */
  async exited(): Promise<void> {
    await waitFor('the app to exit', () => fake.app.exitCode === 0)
  }

  /** A second start of the app on the same data folder (after the first exited). */
  restart(): void {
    Desktop.resetFake()
  }

  async dispose(): Promise<void> {
    await Promise.all(this.opened.map((e) => e.close()))
    this.dir.remove()
  }
}
