// Notifications: the text for each way a batch ends (pure), then the desktop app's notifications
// against the fake electron module: one per finished batch (never one per file), none when the
// setting is off, and a click that opens the view showing the batch.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BatchFinished } from '../../src/shared/model'
import { openEngine, waitFor } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'

vi.mock('electron', () => import('../helpers/fake-electron'))

const fake = await import('../helpers/fake-electron')
const { Desktop } = await import('../helpers/desktop')
const { notificationText, notificationLine } = await import('../../src/main/shell/notification-text')

type Finished = Partial<Omit<BatchFinished, 'counts'>> & { counts?: Partial<BatchFinished['counts']> }
const finished = (over: Finished): BatchFinished => ({
  batchId: 7,
  label: 'sync Card → /media/u/CARD',
  profile: 'Card',
  at: 0,
  ...over,
  counts: { ok: 0, skip: 0, fail: 0, cancelled: 0, ...over.counts },
})

describe('what a notification says', () => {
  it('a sync that succeeded', () => {
    expect(notificationText(finished({ counts: { ok: 120, skip: 3 } }))).toEqual({
      title: 'Synced Card',
      body: '120 files copied, 3 skipped',
    })
    expect(notificationLine(finished({ counts: { ok: 120, skip: 3 } }))).toBe(
      'Synced Card: 120 files copied, 3 skipped',
    )
    expect(notificationLine(finished({ counts: { ok: 1 } }))).toBe('Synced Card: 1 file copied')
    expect(notificationLine(finished({ counts: { ok: 1200 } }))).toBe('Synced Card: 1,200 files copied')
  })

  it('a sync with nothing to do', () => {
    expect(notificationLine(finished({ counts: { skip: 40 } }))).toBe('Synced Card: 40 skipped')
    expect(notificationLine(finished({}))).toBe('Synced Card: Nothing to copy: everything was already there')
  })

  it('a sync with failures: the count in the title, what went well in the body', () => {
    expect(notificationText(finished({ counts: { ok: 118, skip: 3, fail: 2 } }))).toEqual({
      title: 'Sync of Card finished with 2 failures',
      body: '118 files copied, 3 skipped. Click to see what failed.',
    })
    expect(notificationText(finished({ counts: { fail: 1 } }))).toEqual({
      title: 'Sync of Card finished with 1 failure',
      body: 'Click to see what failed.',
    })
  })

  it('a drop or a CLI call is named by its label', () => {
    const drop = { profile: null, label: 'copy Album → /media/u/CARD' }
    expect(notificationLine(finished({ ...drop, counts: { ok: 12 } }))).toBe(
      'Done: copy Album → /media/u/CARD: 12 files copied',
    )
    expect(notificationText(finished({ ...drop, counts: { ok: 10, fail: 2 } })).title).toBe(
      'copy Album → /media/u/CARD finished with 2 failures',
    )
  })

  it('a batch the person cancelled', () => {
    expect(notificationText(finished({ counts: { cancelled: 5 } }))).toEqual({
      title: 'Sync of Card cancelled',
      body: '5 tasks cancelled',
    })
    expect(notificationLine(finished({ counts: { ok: 3, cancelled: 5 } }))).toBe(
      'Synced Card: 3 files copied, 5 cancelled',
    )
  })
})

describe('desktop notifications', () => {
  let desktop: InstanceType<typeof Desktop>
  beforeEach(() => {
    desktop = new Desktop()
  })
  afterEach(() => desktop.dispose())

  const shown = () => fake.Notification.shown.map((n) => `${n.options.title}: ${n.options.body}`)

  it('one per batch the engine finishes, with the app icon', async () => {
    const { engine } = await desktop.launch()
    engine.events.emit('batch.finished', finished({ counts: { ok: 120, skip: 3 } }))
    engine.events.emit(
      'batch.finished',
      finished({
        batchId: 8,
        profile: null,
        label: 'copy Album → /media/u/CARD',
        counts: { ok: 9, fail: 1 },
      }),
    )
    await waitFor('two notifications', () => fake.Notification.shown.length === 2)
    expect(shown()).toEqual([
      'Synced Card: 120 files copied, 3 skipped',
      'copy Album → /media/u/CARD finished with 1 failure: 9 files copied. Click to see what failed.',
    ])
    expect(fake.Notification.shown[0]!.options.icon).toMatch(/resources[\\/]icon\.png$/)
  })

  it('clicking a sync notification shows the window on the Sync view; a drop on the Queue view', async () => {
    const { engine } = await desktop.launch()
    desktop.win.webContents.emitPreventable('did-finish-load')
    engine.events.emit('batch.finished', finished({ counts: { ok: 1 } }))
    engine.events.emit(
      'batch.finished',
      finished({ batchId: 9, profile: null, label: 'ferry cp', counts: { ok: 1 } }),
    )
    await waitFor('two notifications', () => fake.Notification.shown.length === 2)
    expect(desktop.win.isVisible()).toBe(false) // started, not yet shown; hidden in the tray alike

    fake.Notification.shown[0]!.click()
    expect(desktop.win.isVisible()).toBe(true)
    fake.Notification.shown[1]!.click()
    expect(desktop.shellRequests()).toEqual([
      { kind: 'show', view: 'sync', batchId: 7, profile: 'Card' },
      { kind: 'show', view: 'queue', batchId: 9 },
    ])
  })

  it('a request made before the page has loaded reaches it once it has', async () => {
    const { engine } = await desktop.launch()
    engine.events.emit('batch.finished', finished({ counts: { ok: 1 } }))
    await waitFor('a notification', () => fake.Notification.shown.length === 1)
    fake.Notification.shown[0]!.click()
    expect(desktop.shellRequests()).toEqual([])
    desktop.win.webContents.emitPreventable('did-finish-load')
    expect(desktop.shellRequests()).toEqual([{ kind: 'show', view: 'sync', batchId: 7, profile: 'Card' }])
  })

  it('none when ui.notifications is off, or where the system has no notifications', async () => {
    const { engine } = await desktop.launch()
    await engine.api.invoke('settings.set', { 'ui.notifications': false })
    engine.events.emit('batch.finished', finished({ counts: { ok: 1 } }))
    await new Promise((r) => setTimeout(r, 100))
    expect(fake.Notification.shown).toHaveLength(0)

    await engine.api.invoke('settings.set', { 'ui.notifications': true })
    fake.Notification.supported = false
    engine.events.emit('batch.finished', finished({ counts: { ok: 1 } }))
    await new Promise((r) => setTimeout(r, 100))
    expect(fake.Notification.shown).toHaveLength(0)
  })
})

describe('one notification per run, from the engine itself', () => {
  let dir: ReturnType<typeof tempDir>
  beforeEach(() => {
    dir = tempDir()
    Desktop.resetFake()
  })
  afterEach(() => dir.remove())

  it('a batch of 25 tasks run by real workers gives one notification, not 25', async () => {
    const { startNotifications } = await import('../../src/main/shell/notify')
    const engine = await openEngine(dir.path)
    try {
      const stop = startNotifications({ engine, show: () => undefined })
      await engine.api.invoke('queue.enqueue', { mode: 'echo', count: 25, label: 'ferry echo' })
      await waitFor('the notification', () => fake.Notification.shown.length === 1)
      await new Promise((r) => setTimeout(r, 300))
      expect(fake.Notification.shown.map((n) => `${n.options.title}: ${n.options.body}`)).toEqual([
        'Done: ferry echo: 25 files copied',
      ])
      stop()
    } finally {
      await engine.close()
    }
  })
})
