// A second launch of the app hands over to the running one: it focuses the window (shown again if it
// was hidden in the tray), paths go to the page's Add sheet, `--sync PROFILE` runs that sync and shows
// the Sync view. The command line is read robustly (Chromium's and Electron's switches, the app path,
// --data-dir and its value are never paths). Fake electron module, real engine, real folders.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { waitFor } from '../helpers/engine'

vi.mock('electron', () => import('../helpers/fake-electron'))

const fake = await import('../helpers/fake-electron')
const { Desktop } = await import('../helpers/desktop')
const { parseLaunchArgs, userArgs } = await import('../../src/main/shell/launch-args')

describe('reading a launch command line', () => {
  const existing = new Set(['/home/u/Music/Album', '/home/u/Music/a b.flac', '/home/u/dev/ferry', '/data'])
  const opts = { cwd: '/home/u/Music', exists: (p: string) => existing.has(p), appPath: '/home/u/dev/ferry' }

  it('keeps existing paths, absolute, resolved against the launch folder, once each', () => {
    expect(parseLaunchArgs(['Album', '/home/u/Music/a b.flac', './Album', 'missing.mp3'], opts)).toEqual({
      paths: ['/home/u/Music/Album', '/home/u/Music/a b.flac'],
      sync: [],
      hidden: false,
    })
  })

  it('ignores Chromium and Electron switches, the app path, and --data-dir with its value', () => {
    const args = [
      '/home/u/dev/ferry', // `electron .` passes the app folder
      '--no-sandbox',
      '--enable-features=WaylandWindowDecorations',
      '--ozone-platform-hint=auto',
      '-psn_0_1234',
      '--data-dir',
      '/data',
      '--data-dir=/data',
      'Album',
    ]
    expect(parseLaunchArgs(args, opts).paths).toEqual(['/home/u/Music/Album'])
  })

  it('--sync NAME and --sync=NAME, repeatable; --hidden', () => {
    const parsed = parseLaunchArgs(['--sync', 'Card', '--sync=Phone', '--sync', 'Card', '--hidden'], opts)
    expect(parsed).toEqual({ paths: [], sync: ['Card', 'Phone'], hidden: true })
    // A --sync without a name takes no switch as its name.
    expect(parseLaunchArgs(['--sync', '--hidden'], opts)).toEqual({ paths: [], sync: [], hidden: true })
  })

  it("file:// URIs (a file manager's %U) and everything after --", () => {
    const uri = pathToFileURL('/home/u/Music/a b.flac').href
    expect(parseLaunchArgs([uri, '--', '--not-a-switch', 'Album'], opts).paths).toEqual([
      '/home/u/Music/a b.flac',
      '/home/u/Music/Album',
    ])
  })

  it('drops the executable, and the app path of an unpackaged run', () => {
    expect(userArgs(['/opt/Ferry/ferry', 'Album'], false)).toEqual(['Album'])
    expect(userArgs(['/usr/lib/electron', '.', 'Album'], true)).toEqual(['Album'])
  })
})

describe('a second launch', () => {
  let desktop: InstanceType<typeof Desktop>
  let music: string
  beforeEach(() => {
    desktop = new Desktop()
    music = join(desktop.dir.path, 'Music')
    mkdirSync(join(music, 'Album'), { recursive: true })
    writeFileSync(join(music, 'Album', '01.mp3'), 'mp3')
  })
  afterEach(() => desktop.dispose())

  it("passes its own arguments and folder to the first (the lock's additional data)", async () => {
    fake.app.gotLock = false
    const { launch } = await import('../../src/main/shell/app')
    await launch(desktop.deps({ args: ['Album', '--sync', 'Card'], cwd: music }))
    expect(fake.app.lockData).toEqual({ args: ['Album', '--sync', 'Card'], cwd: music })
    expect(fake.app.quits).toBe(1)
  })

  it("shows the hidden window and sends the paths to the page's Add sheet", async () => {
    await desktop.launch()
    desktop.win.webContents.emitPreventable('did-finish-load')
    desktop.win.hide() // closed to the tray
    fake.app.emit('second-instance', ['/opt/Ferry/ferry', 'ignored'], '/', {
      args: ['--no-sandbox', 'Album', 'Album/01.mp3', 'nothing-here.flac'],
      cwd: music,
    })
    await waitFor('the add request', () => desktop.shellRequests().length === 1)
    expect(desktop.win.isVisible()).toBe(true)
    expect(desktop.win.focused).toBeGreaterThan(0)
    expect(desktop.shellRequests()).toEqual([
      { kind: 'add', paths: [join(music, 'Album'), join(music, 'Album', '01.mp3')] },
    ])
  })

  it("without additional data, reads Electron's argv and working folder", async () => {
    await desktop.launch()
    desktop.win.webContents.emitPreventable('did-finish-load')
    fake.app.emit('second-instance', ['/opt/Ferry/ferry', '--enable-logging', 'Album'], music)
    await waitFor('the add request', () => desktop.shellRequests().length === 1)
    expect(desktop.shellRequests()).toEqual([{ kind: 'add', paths: [join(music, 'Album')] }])
  })

  it('--sync PROFILE runs that sync and shows the Sync view', async () => {
    const card = join(desktop.dir.path, 'card')
    mkdirSync(card)
    const running = await desktop.launch()
    desktop.win.webContents.emitPreventable('did-finish-load')
    await running.engine.api.invoke('profiles.create', { name: 'Card', sources: [music], destination: card })
    fake.app.emit('second-instance', [], '/', { args: ['--sync', 'Card'], cwd: '/' })
    await waitFor('the show request', () => desktop.shellRequests().length === 1)
    expect(desktop.shellRequests()).toEqual([{ kind: 'show', view: 'sync', profile: 'Card' }])
    const batches = await running.engine.api.invoke('queue.batches', {})
    expect(batches.map((b) => b.label)).toEqual([expect.stringMatching(/^sync Card/)])
    expect(desktop.win.isVisible()).toBe(true)
  })

  it('--sync of an unknown profile says so and syncs nothing', async () => {
    const running = await desktop.launch()
    fake.app.emit('second-instance', [], '/', { args: ['--sync', 'Nope'], cwd: '/' })
    await waitFor('an error box', () => fake.dialog.errors.length === 1)
    expect(fake.dialog.errors[0]!.title).toBe('Ferry cannot sync Nope')
    expect(await running.engine.api.invoke('queue.batches', {})).toEqual([])
  })

  it('the first launch acts on its own paths once the page has loaded', async () => {
    await desktop.launch({ args: ['Album'], cwd: music })
    await new Promise((r) => setTimeout(r, 50))
    expect(desktop.shellRequests()).toEqual([]) // nothing listens before the page has loaded
    desktop.win.webContents.emitPreventable('did-finish-load')
    expect(desktop.shellRequests()).toEqual([{ kind: 'add', paths: [join(music, 'Album')] }])
  })
})
