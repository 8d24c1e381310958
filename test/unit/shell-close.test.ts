// Closing the window and quitting, as a person does it: the window's close button hides Ferry in the
// tray (ui.closeToTray) and the queue goes on; every way of quitting asks first while tasks are left,
// and quits only when told to. Fake electron module, real engine.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { waitFor } from '../helpers/engine'

vi.mock('electron', () => import('../helpers/fake-electron'))

const fake = await import('../helpers/fake-electron')
const { Desktop } = await import('../helpers/desktop')

const QUIT_ANYWAY = 0
const CANCEL = 1
const settle = () => new Promise((r) => setTimeout(r, 100))

describe('closing the window', () => {
  let desktop: InstanceType<typeof Desktop>
  beforeEach(() => {
    desktop = new Desktop()
  })
  afterEach(() => desktop.dispose())

  it('hides it in the tray (the default): the engine keeps working, the tray brings it back', async () => {
    const { engine } = await desktop.launch()
    desktop.win.emit('ready-to-show')
    expect(desktop.win.isVisible()).toBe(true)
    desktop.win.close()
    await waitFor('the window to hide', () => !desktop.win.isVisible())
    expect(desktop.win.isDestroyed()).toBe(false)
    expect(fake.app.quits).toBe(0)
    expect(fake.dialog.messages).toHaveLength(0)
    expect((await engine.api.invoke('queue.progress', {})).paused).toBe(false) // still answering
    desktop.menu.click('Open Ferry')
    expect(desktop.win.isVisible()).toBe(true)
  })

  it('quits when ui.closeToTray is off (nothing left to run: no question)', async () => {
    const { engine } = await desktop.launch()
    await engine.api.invoke('settings.set', { 'ui.closeToTray': false })
    desktop.win.close()
    await desktop.exited()
    expect(fake.dialog.messages).toHaveLength(0)
    expect(desktop.win.isDestroyed()).toBe(true)
  })

  it('quits when there is no tray to come back from, whatever the setting', async () => {
    await desktop.launch({ resourcesDir: undefined })
    expect(fake.Tray.created).toHaveLength(0)
    desktop.win.close()
    await desktop.exited()
  })

  it('with ui.closeToTray off and tasks left: asks, and Cancel keeps the window', async () => {
    const { engine } = await desktop.launch()
    await engine.api.invoke('settings.set', { 'ui.closeToTray': false })
    await engine.api.invoke('queue.enqueue', { mode: 'sleep', count: 2, ms: 10 })
    desktop.win.emit('ready-to-show')
    fake.dialog.messageAnswers.push(CANCEL)
    desktop.win.close()
    await waitFor('the question', () => fake.dialog.messages.length === 1)
    await settle()
    expect(desktop.win.isDestroyed()).toBe(false)
    expect(fake.app.exitCode).toBeUndefined()
    expect(fake.dialog.messages[0]).toMatchObject({ message: '2 tasks still to run: quit anyway?' })
  })
})

describe('quitting while tasks are left', () => {
  let desktop: InstanceType<typeof Desktop>
  beforeEach(() => {
    desktop = new Desktop()
  })
  afterEach(() => desktop.dispose())

  it('Quit in the tray asks first; Cancel keeps Ferry running, Quit Anyway quits, the tasks wait for the next start', async () => {
    const { engine } = await desktop.launch()
    await engine.api.invoke('queue.enqueue', { mode: 'sleep', count: 3, ms: 10 })

    fake.dialog.messageAnswers.push(CANCEL)
    desktop.menu.click('Quit Ferry')
    await waitFor('the question', () => fake.dialog.messages.length === 1)
    expect(fake.dialog.messages[0]).toMatchObject({
      type: 'question',
      message: '3 tasks still to run: quit anyway?',
      detail: 'They resume when Ferry starts again.',
      buttons: ['Quit Anyway', 'Cancel'],
      cancelId: 1,
      defaultId: 1,
    })
    await settle()
    expect(fake.app.exitCode).toBeUndefined()
    expect(desktop.win.isDestroyed()).toBe(false)
    expect(await engine.api.invoke('settings.get')).toBeTruthy() // the engine is still open

    fake.dialog.messageAnswers.push(QUIT_ANYWAY)
    desktop.menu.click('Quit Ferry')
    await desktop.exited()
    expect(fake.dialog.messages).toHaveLength(2)
    expect(desktop.win.isDestroyed()).toBe(true)

    desktop.restart()
    const again = await desktop.launch()
    // Nothing was lost or cancelled by quitting: the three tasks are still queued (or already ran).
    const { counts } = await again.engine.api.invoke('queue.progress', {})
    expect(counts.pending + counts.active + counts.ok).toBe(3)
    expect(counts.cancelled + counts.fail).toBe(0)
  })

  it('the app menu and Cmd+Q (app.quit) ask the same, parented to the window when it shows', async () => {
    const { engine } = await desktop.launch()
    desktop.win.emit('ready-to-show')
    await engine.api.invoke('queue.enqueue', { mode: 'sleep', count: 1, ms: 10 })
    fake.dialog.messageAnswers.push(QUIT_ANYWAY)
    fake.app.quit()
    await desktop.exited()
    expect(fake.dialog.messages).toMatchObject([
      { message: '1 task still to run: quit anyway?', parented: true },
    ])
  })

  it('asks once, however many times Quit is chosen while the question is open', async () => {
    const { engine } = await desktop.launch()
    await engine.api.invoke('queue.enqueue', { mode: 'sleep', count: 1, ms: 10 })
    fake.dialog.messageAnswers.push(QUIT_ANYWAY)
    fake.app.quit()
    fake.app.quit()
    desktop.menu.click('Quit Ferry')
    await desktop.exited()
    expect(fake.dialog.messages).toHaveLength(1)
  })

  it('quits at once when nothing is left to run', async () => {
    await desktop.launch()
    desktop.menu.click('Quit Ferry')
    await desktop.exited()
    expect(fake.dialog.messages).toHaveLength(0)
  })
})
