// The tray: its model (icon state, tooltip, menu) as a pure function of the queue's progress and the
// profiles' status, then the real tray of the desktop app (fake electron module, real engine): what
// each menu item does, which are greyed, and that a pause survives a restart.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { QueueProgress, TaskStatus } from '../../src/shared/model'
import type { ProfileStatus } from '../../src/shared/sync-status'
import { waitFor } from '../helpers/engine'

vi.mock('electron', () => import('../helpers/fake-electron'))

const fake = await import('../helpers/fake-electron')
const { Desktop } = await import('../helpers/desktop')
const { trayModel, nextBaseline } = await import('../../src/main/shell/tray-model')

function progress(
  counts: Partial<Record<TaskStatus, number>>,
  more: Partial<QueueProgress> = {},
): QueueProgress {
  const all = { pending: 0, active: 0, ok: 0, skip: 0, fail: 0, cancelled: 0, ...counts }
  return {
    paused: false,
    counts: all,
    total: Object.values(all).reduce((a, b) => a + b, 0),
    bytesTotal: 0,
    bytesDone: 0,
    rate: 0,
    eta: null,
    workers: [],
    waitingFor: [],
    ...more,
  }
}

function profile(name: string, over: Partial<ProfileStatus> = {}): ProfileStatus {
  return {
    profile: name,
    profileId: 1,
    destination: `/media/u/${name}`,
    presence: 'present',
    present: true,
    syncedBefore: true,
    destinationExists: true,
    capacity: null,
    lastRun: null,
    current: null,
    foundAt: null,
    triggers: { recent: [], note: null, deviceAt: null },
    ...over,
  }
}

const labels = (items: { label: string; separator?: true }[]) =>
  items.map((i) => (i.separator ? '—' : i.label))
const base = { bytesDone: 0 }

describe('the tray model', () => {
  it('idle: a quiet icon, "Open Ferry, Pause, Sync now ▸, Quit Ferry"', () => {
    const m = trayModel({ progress: progress({ ok: 10 }), profiles: [profile('Card')], baseline: base })
    expect(m.icon).toBe('idle')
    expect(m.tooltip).toBe('Ferry: idle')
    expect(labels(m.menu)).toEqual(['Open Ferry', '—', 'Pause', 'Sync now', '—', 'Quit Ferry'])
    expect(m.menu.every((i) => i.enabled)).toBe(true)
  })

  it('syncing: the percent of this run (not of the finished history) in the tooltip', () => {
    // 1,000 bytes were done before this run began; the run has 400 to do and has done 100.
    const before = nextBaseline(base, progress({ ok: 5 }, { bytesTotal: 1000, bytesDone: 1000 }))
    expect(before).toEqual({ bytesDone: 1000 })
    const running = progress({ ok: 5, active: 1, pending: 3 }, { bytesTotal: 1400, bytesDone: 1100 })
    const during = nextBaseline(before, running)
    expect(during).toEqual(before) // the baseline stays while tasks are left
    const m = trayModel({ progress: running, profiles: [], baseline: during })
    expect(m.icon).toBe('syncing')
    expect(m.tooltip).toBe('Ferry: syncing 25%, 4 tasks to run')
  })

  it('syncing but every task waits for a device: says for which', () => {
    const p = progress(
      { pending: 12 },
      { waitingFor: [{ batchId: 3, root: '/media/u/CARD', tasks: 12, problem: 'absent' }] },
    )
    const m = trayModel({ progress: p, profiles: [], baseline: base })
    expect(m.tooltip).toBe('Ferry: 12 tasks waiting for /media/u/CARD')
  })

  it('paused: the paused icon, and Resume in place of Pause', () => {
    const m = trayModel({
      progress: progress({ pending: 1 }, { paused: true }),
      profiles: [],
      baseline: base,
    })
    expect(m.icon).toBe('paused')
    expect(m.tooltip).toBe('Ferry: paused, 1 task to run')
    expect(labels(m.menu)).toContain('Resume')
    expect(labels(m.menu)).not.toContain('Pause')
    expect(m.menu.find((i) => i.label === 'Resume')!.action).toEqual({ kind: 'resume' })
  })

  it('error: failed tasks left in the queue once nothing runs', () => {
    const m = trayModel({ progress: progress({ ok: 3, fail: 2 }), profiles: [], baseline: base })
    expect(m.icon).toBe('error')
    expect(m.tooltip).toBe('Ferry: 2 tasks failed')
    // While others still run, the icon says syncing and the tooltip still mentions the failures.
    const busy = trayModel({ progress: progress({ active: 1, fail: 2 }), profiles: [], baseline: base })
    expect(busy.icon).toBe('syncing')
    expect(busy.tooltip).toMatch(/; 2 tasks failed$/)
  })

  it('Sync now ▸ one entry per profile, greyed when its device is absent or it already runs', () => {
    const m = trayModel({
      progress: progress({}),
      profiles: [
        profile('Card'),
        profile('Phone', { present: false, presence: 'absent' }),
        profile('Car', {
          current: {
            batchId: 4,
            at: 0,
            finishedAt: null,
            counts: { pending: 1, active: 1, ok: 0, skip: 0, fail: 0, cancelled: 0 },
            state: 'running',
            waiting: null,
          },
        }),
      ],
      baseline: base,
    })
    const sync = m.menu.find((i) => i.label === 'Sync now')!.submenu!
    expect(sync.map((i) => [i.label, i.enabled])).toEqual([
      ['Card', true],
      ['Phone (not connected)', false],
      ['Car (running)', false],
    ])
    expect(sync[0]!.action).toEqual({ kind: 'sync', profile: 'Card' })
  })

  it('no profiles: one greyed line saying so', () => {
    const m = trayModel({ progress: null, profiles: [], baseline: base })
    expect(m.icon).toBe('idle')
    const sync = m.menu.find((i) => i.label === 'Sync now')!.submenu!
    expect(sync).toEqual([{ label: 'No sync profiles yet', enabled: false }])
  })
})

describe('the tray of the desktop app', () => {
  let desktop: InstanceType<typeof Desktop>
  beforeEach(() => {
    desktop = new Desktop()
  })
  afterEach(() => desktop.dispose())

  const iconName = () => desktop.tray.image.path.split(/[\\/]/).pop()

  it('shows a real icon for each state and opens the window from the menu and from a click', async () => {
    const running = await desktop.launch()
    await running.tray!.refresh()
    expect(iconName()).toBe('idle.png')
    expect(desktop.tray.image.isEmpty()).toBe(false)
    for (const state of ['idle', 'syncing', 'paused', 'error']) {
      expect(existsSync(join(desktop.tray.image.path, '..', `${state}.png`))).toBe(true)
      expect(existsSync(join(desktop.tray.image.path, '..', `${state}@2x.png`))).toBe(true)
    }
    expect(desktop.menu.labels()).toEqual(['Open Ferry', '—', 'Pause', 'Sync now', '—', 'Quit Ferry'])

    desktop.win.hide()
    desktop.menu.click('Open Ferry')
    expect(desktop.win.isVisible()).toBe(true)
    desktop.win.hide()
    desktop.tray.click()
    expect(desktop.win.isVisible()).toBe(true)
    fake.app.quit()
    await desktop.exited()
    expect(desktop.tray.isDestroyed()).toBe(true)
  })

  it('Pause and Resume work the queue; the icon and tooltip follow the progress events', async () => {
    const running = await desktop.launch()
    const { engine } = running
    await engine.api.invoke('queue.enqueue', { mode: 'sleep', count: 3, ms: 10 })
    await waitFor('the syncing icon', () => iconName() === 'syncing.png')
    expect(desktop.tray.tooltip).toBe('Ferry: syncing 0%, 3 tasks to run')

    desktop.menu.click('Pause')
    await waitFor('the paused icon', () => iconName() === 'paused.png')
    expect((await engine.api.invoke('queue.progress', {})).paused).toBe(true)
    expect(desktop.menu.labels()).toContain('Resume')
    expect(desktop.tray.tooltip).toBe('Ferry: paused, 3 tasks to run')

    desktop.menu.click('Resume')
    await waitFor('the syncing icon', () => iconName() === 'syncing.png')
    expect((await engine.api.invoke('queue.progress', {})).paused).toBe(false)
    expect(desktop.menu.labels()).toContain('Pause')
  })

  it('does not rebuild the menu for progress that changes nothing in it', async () => {
    const running = await desktop.launch()
    await running.tray!.refresh()
    const before = desktop.tray.menusSet
    const p = await running.engine.api.invoke('queue.progress', {})
    for (let i = 0; i < 20; i++) running.engine.events.emit('queue.progress', { ...p, rate: i })
    await new Promise((r) => setTimeout(r, 300))
    expect(desktop.tray.menusSet).toBe(before)
  })

  it('Sync now ▸ a profile runs its sync; a profile whose device is absent is greyed', async () => {
    const library = join(desktop.dir.path, 'library')
    const card = join(desktop.dir.path, 'card')
    mkdirSync(library)
    mkdirSync(card)
    writeFileSync(join(library, 'song.mp3'), 'an mp3 is copied as it is')
    const running = await desktop.launch()
    const { engine } = running
    await engine.api.invoke('profiles.create', { name: 'Card', sources: [library], destination: card })
    await engine.api.invoke('profiles.create', {
      name: 'Phone',
      sources: [library],
      destination: join(desktop.dir.path, 'unplugged', 'phone'),
    })
    await waitFor('both profiles in the menu', () => desktop.menu.item('Sync now').submenu?.length === 2)
    expect(desktop.menu.labels(desktop.menu.item('Sync now').submenu)).toEqual([
      'Card',
      'Phone (not connected)',
    ])
    expect(desktop.menu.item('Sync now', 'Phone (not connected)').enabled).toBe(false)
    expect(() => desktop.menu.click('Sync now', 'Phone (not connected)')).toThrow(/disabled/)

    desktop.menu.click('Sync now', 'Card')
    const batches = await waitFor('the sync batch', async () => {
      const b = await engine.api.invoke('queue.batches', {})
      return b.length ? b : undefined
    })
    expect(batches[0]!.label).toMatch(/^sync Card/)
    // The sync is under way (its tasks wait: this engine does not work the queue): greyed meanwhile.
    await waitFor(
      'Card greyed while it runs',
      () => desktop.menu.item('Sync now').submenu?.[0]?.enabled === false,
    )
    await waitFor('the syncing icon', () => iconName() === 'syncing.png')
  })

  it('a refused sync says why', async () => {
    const running = await desktop.launch()
    await running.tray!.refresh()
    const { engine } = running
    const card = join(desktop.dir.path, 'card')
    const library = join(desktop.dir.path, 'library')
    mkdirSync(card)
    mkdirSync(library)
    await engine.api.invoke('profiles.create', { name: 'Card', sources: [library], destination: card })
    rmSync(library, { recursive: true }) // its disk unmounted
    await waitFor('Card in the menu', () => desktop.menu.item('Sync now').submenu?.[0]?.label === 'Card')
    desktop.menu.click('Sync now', 'Card')
    await waitFor('an error box', () => fake.dialog.errors.length > 0)
    expect(fake.dialog.errors[0]!.title).toBe('Ferry cannot sync Card')
  })

  it('a pause survives a restart: the next start shows Resume and the paused icon', async () => {
    await desktop.launch()
    desktop.menu.click('Pause')
    await waitFor('the paused icon', () => iconName() === 'paused.png')
    fake.app.quit()
    await desktop.exited()

    desktop.restart()
    const again = await desktop.launch()
    await again.tray!.refresh()
    expect(iconName()).toBe('paused.png')
    expect(desktop.menu.labels()).toContain('Resume')
    expect((await again.engine.api.invoke('queue.progress', {})).paused).toBe(true)
  })
})
