// Sync triggers with real folders and a real engine: a temporary mount root (FERRY_MOUNT_ROOTS); a
// "card" folder holding a profile's marker syncs that profile once; the card back under another name
// syncs again, to the new path; a folder without a marker, or with another profile's marker, does
// nothing for it; a trigger during a run starts no second one; a burst of 200 changes in the library
// gives one run; the interval fires on schedule (a fake clock); batch.finished once per batch.
import { randomBytes } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import type { Clock } from '../../src/main/engine/triggers/clock'
import type { BatchFinished, TriggerFired } from '../../src/shared/model'
import { openEngine, settle, waitFor } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'

const MARKER = '.ferry-profile.json'

function makeLibrary(lib: string, albums = 2, tracks = 3): void {
  for (let a = 1; a <= albums; a++) {
    mkdirSync(join(lib, `Album ${a}`), { recursive: true })
    for (let t = 1; t <= tracks; t++)
      writeFileSync(join(lib, `Album ${a}`, `0${t} Track.mp3`), randomBytes(4096))
  }
}

/** A fake clock: timers run when the test moves time on. */
class FakeClock implements Clock {
  private t = 1_700_000_000_000
  private timers = new Map<number, { at: number; fn: () => void }>()
  private next = 1
  now = () => this.t
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn })
    return id
  }
  clearTimeout = (h: unknown) => {
    this.timers.delete(h as number)
  }
  /** Moves time on, running each timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.t + ms
    for (;;) {
      const due = [...this.timers].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
      if (!due) break
      this.timers.delete(due[0])
      this.t = Math.max(this.t, due[1].at)
      due[1].fn()
    }
    this.t = end
  }
}

describe('sync triggers (device, change) on a real engine', () => {
  const tmp = tempDir('ferry-triggers-')
  const lib = join(tmp.path, 'library')
  const lib2 = join(tmp.path, 'library2')
  const media = join(tmp.path, 'media')
  const card = join(media, 'CARD')
  let engine: Engine
  const fired: TriggerFired[] = []
  const finished: BatchFinished[] = []
  const firings = (profile: string, trigger?: string) =>
    fired.filter((f) => f.profile === profile && (!trigger || f.trigger === trigger))
  const note = async (profile: string) =>
    (await engine.api.invoke('sync.status')).find((s) => s.profile === profile)?.triggers.note ?? ''

  beforeAll(async () => {
    makeLibrary(lib)
    makeLibrary(lib2, 1, 2)
    mkdirSync(card, { recursive: true })
    process.env.FERRY_MOUNT_ROOTS = media
    engine = await openEngine(join(tmp.path, 'data'), {
      triggers: { quietMs: 1500, deviceDebounceMs: 100, rescanMs: 60_000 },
    })
    delete process.env.FERRY_MOUNT_ROOTS
    engine.api.on('trigger.fired', (f) => fired.push(f))
    engine.api.on('batch.finished', (b) => finished.push(b))
  })
  afterAll(async () => {
    await engine?.close()
    tmp.remove()
  })

  it('batch.finished: once per batch, with counts of its files; a sync run names its profile', async () => {
    const src = join(tmp.path, 'cp-src')
    mkdirSync(src)
    for (let i = 0; i < 3; i++) writeFileSync(join(src, `f${i}.bin`), randomBytes(1000))
    await engine.api.invoke('queue.pause', { now: false })
    const r = await engine.api.invoke('queue.enqueue', {
      mode: 'copy',
      sources: [src],
      destination: join(tmp.path, 'cp-dst'),
    })
    rmSync(join(src, 'f1.bin')) // gone before it is copied: that task fails
    await engine.api.invoke('queue.resume')
    await settle(engine, r.batchId)
    const mine = await waitFor('batch.finished', () => finished.filter((b) => b.batchId === r.batchId))
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ profile: null, counts: { ok: 2, fail: 1, skip: 0, cancelled: 0 } })

    await engine.api.invoke('profiles.create', { name: 'card', sources: [lib], destination: card })
    const run = await engine.api.invoke('sync.run', { profile: 'card' })
    await settle(engine, run.batchId!)
    const sync = await waitFor('sync batch.finished', () => finished.find((b) => b.batchId === run.batchId))
    expect(sync).toMatchObject({ profile: 'card', counts: { ok: 6, fail: 0 } })
    expect(finished.filter((b) => b.batchId === run.batchId)).toHaveLength(1)
  })

  it('a card with the marker appearing syncs its profile once; no marker or another marker does nothing', async () => {
    // The card was synced (its marker is there); it is unplugged, then the triggers are turned on.
    const marker = readFileSync(join(card, MARKER), 'utf8')
    rmSync(card, { recursive: true })
    await engine.api.invoke('profiles.update', {
      name: 'card',
      triggers: { onDevicePlugged: true, onLibraryChange: false, intervalMinutes: null },
    })
    mkdirSync(join(tmp.path, 'other-dst'))
    await engine.api.invoke('profiles.create', {
      name: 'other',
      sources: [lib2],
      destination: join(tmp.path, 'other-dst'),
      triggers: { onDevicePlugged: true, onLibraryChange: false, intervalMinutes: null },
    })
    const other = await engine.api.invoke('sync.run', { profile: 'other' })
    await settle(engine, other.batchId!)
    await waitFor('the triggers armed', async () => /Waiting for the device/.test(await note('card')))

    // A folder without a marker, and one with the other profile's marker: nothing for "card".
    mkdirSync(join(media, 'NOMARK', 'Music'), { recursive: true })
    writeFileSync(join(media, 'NOMARK', 'Music', 'x.mp3'), 'x')
    mkdirSync(join(media, 'OTHERCARD'))
    cpSync(join(tmp.path, 'other-dst', MARKER), join(media, 'OTHERCARD', MARKER))
    const o = await waitFor('the other profile fires', () => firings('other', 'device')[0])
    expect(o.detail).toContain('OTHERCARD')
    await settle(engine)
    expect(firings('card')).toEqual([])

    // The card comes back: one sync, there.
    mkdirSync(card)
    writeFileSync(join(card, MARKER), marker)
    const f = await waitFor('card fires', () => firings('card', 'device')[0])
    expect(f).toMatchObject({ outcome: 'started', detail: `device appeared at ${card}` })
    await settle(engine, f.batchId!)
    expect(existsSync(join(card, 'Album 1', '01 Track.mp3'))).toBe(true)

    // More scans (another card of "other" plugged in) and still one firing for "card".
    rmSync(join(media, 'OTHERCARD'), { recursive: true })
    await waitFor('other gone', async () => !/OTHERCARD/.test(await note('other')))
    mkdirSync(join(media, 'OTHER2'))
    cpSync(join(tmp.path, 'other-dst', MARKER), join(media, 'OTHER2', MARKER))
    await waitFor('other fires again', () => firings('other', 'device').length === 2)
    expect(firings('card')).toHaveLength(1)
  })

  it('a trigger during a run starts no second one', async () => {
    await engine.api.invoke('queue.pause', { now: false })
    writeFileSync(join(lib, 'Album 1', '09 New.mp3'), randomBytes(4096))
    const run = await engine.api.invoke('sync.run', { profile: 'card' })
    expect(run.batchId).not.toBeNull()
    await engine.api.invoke('batch.pause', { batchId: run.batchId! })
    await engine.api.invoke('queue.resume')
    // The same card seen at a second place while its sync waits: skipped, no second batch.
    mkdirSync(join(media, 'CARDCOPY'))
    cpSync(join(card, MARKER), join(media, 'CARDCOPY', MARKER))
    const f = await waitFor('a second firing', () => firings('card', 'device')[1])
    expect(f).toMatchObject({ outcome: 'skipped', batchId: null })
    expect(f.reason).toContain(`batch ${run.batchId}`)
    const batches = await engine.api.invoke('queue.batches', { limit: 50 })
    const open = batches.filter(
      (b) => b.label.startsWith('sync card') && b.counts.pending + b.counts.active > 0,
    )
    expect(open.map((b) => b.id)).toEqual([run.batchId])
    await engine.api.invoke('batch.resume', { batchId: run.batchId! })
    await settle(engine, run.batchId!)
    rmSync(join(media, 'CARDCOPY'), { recursive: true })
  })

  it('the card back under another name syncs again, to the new path', async () => {
    rmSync(card, { recursive: true })
    await waitFor('card gone', async () => /Waiting for the device/.test(await note('card')))
    const moved = join(media, 'CARD-2')
    mkdirSync(moved)
    const { id } = await engine.api.invoke('profiles.get', { name: 'card' })
    writeFileSync(join(moved, MARKER), JSON.stringify({ profile: 'card', id, app: 'Ferry' }))
    const f = await waitFor('card fires at its new place', () =>
      firings('card', 'device').find((x) => x.detail.includes('CARD-2')),
    )
    expect(f.outcome).toBe('started')
    await settle(engine, f.batchId!)
    expect(existsSync(join(moved, 'Album 1', '01 Track.mp3'))).toBe(true)
    expect(existsSync(join(moved, 'Album 1', '09 New.mp3'))).toBe(true)
    expect((await engine.api.invoke('profiles.get', { name: 'card' })).destination).toBe(card)
    expect(await note('card')).toContain(`The device is at ${moved}`)
    // The Sync view and the tray see the device where it is, and a click on Sync now goes there too.
    const status = (await engine.api.invoke('sync.status')).find((x) => x.profile === 'card')!
    expect(status).toMatchObject({ presence: 'present', present: true, foundAt: moved })
    expect(status.capacity?.ferryBytes).toBeGreaterThan(0)
    const plan = await engine.api.invoke('sync.plan', { profile: 'card' })
    expect(plan.destination).toBe(moved)
    expect(plan.totals.counts.convert + plan.totals.counts.copy).toBe(0)
  })

  it('a burst of 200 changes in the library gives one run, once it is quiet', async () => {
    await engine.api.invoke('profiles.update', {
      name: 'other',
      triggers: { onDevicePlugged: false, onLibraryChange: true, intervalMinutes: null },
    })
    await waitFor('library watched', async () => /Watching \d+ folders/.test(await note('other')))
    const before = firings('other', 'change').length
    // An album ripped (new folders) and another tagged (files rewritten in place).
    for (let i = 0; i < 100; i++) {
      const dir = join(lib2, `Burst ${i % 10}`)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, `${String(i).padStart(3, '0')}.mp3`), randomBytes(512))
      writeFileSync(join(lib2, 'Album 1', `${String(i).padStart(3, '0')} Tagged.mp3`), randomBytes(512))
    }
    const first = await waitFor('the change fires', () => firings('other', 'change')[before])
    expect(first.outcome).toBe('started')
    expect(Number(/^(\d+) changes/.exec(first.detail)?.[1])).toBeGreaterThanOrEqual(100)
    await settle(engine, first.batchId!)
    // One more change later: the next firing is that one, so the burst gave exactly one.
    writeFileSync(join(lib2, 'Album 1', 'late.mp3'), randomBytes(512))
    const second = await waitFor('the late change fires', () => firings('other', 'change')[before + 1])
    expect(second.outcome).toBe('started')
    expect(Number(/^(\d+) change/.exec(second.detail)?.[1])).toBeLessThan(10)
    await settle(engine, second.batchId!)
    expect(existsSync(join(tmp.path, 'other-dst', 'Burst 3', '093.mp3'))).toBe(true)
    expect(existsSync(join(tmp.path, 'other-dst', 'Album 1', '099 Tagged.mp3'))).toBe(true)
  })
})

describe('interval trigger on a fake clock', () => {
  const tmp = tempDir('ferry-triggers-interval-')
  const lib = join(tmp.path, 'library')
  const dst = join(tmp.path, 'dst')
  const clock = new FakeClock()
  let engine: Engine
  const fired: TriggerFired[] = []

  beforeAll(async () => {
    makeLibrary(lib, 1, 2)
    process.env.FERRY_MOUNT_ROOTS = join(tmp.path, 'media')
    engine = await openEngine(join(tmp.path, 'data'), { triggers: { clock } })
    delete process.env.FERRY_MOUNT_ROOTS
    engine.api.on('trigger.fired', (f) => fired.push(f))
  })
  afterAll(async () => {
    await engine?.close()
    tmp.remove()
  })

  it('fires every N minutes while the device is there; a failed run backs off', async () => {
    const t0 = clock.now()
    await engine.api.invoke('profiles.create', {
      name: 'timed',
      sources: [lib],
      destination: dst,
      triggers: { onDevicePlugged: false, onLibraryChange: false, intervalMinutes: 5 },
    })
    const status = async () => (await engine.api.invoke('sync.status'))[0]!.triggers
    await waitFor('armed', async () => /every 5 minutes/.test((await status()).note ?? ''))
    clock.advance(4 * 60_000)
    await new Promise((r) => setTimeout(r, 50))
    expect(fired).toEqual([])
    clock.advance(60_000)
    const first = await waitFor('first interval', () => fired[0])
    expect(first).toMatchObject({
      trigger: 'interval',
      outcome: 'started',
      detail: 'every 5 min',
      at: t0 + 5 * 60_000,
    })
    await settle(engine, first.batchId!)
    expect(existsSync(join(dst, 'Album 1', '01 Track.mp3'))).toBe(true)
    clock.advance(5 * 60_000)
    const second = await waitFor('second interval', () => fired[1])
    expect(second).toMatchObject({
      outcome: 'skipped',
      reason: 'Nothing to do: the device is up to date.',
      at: t0 + 10 * 60_000,
    })

    // The library vanishes: the run is refused (failed), and the next tries wait (1, then 2 minutes…).
    rmSync(lib, { recursive: true })
    await engine.api.invoke('profiles.update', {
      name: 'timed',
      triggers: { onDevicePlugged: false, onLibraryChange: false, intervalMinutes: 5 },
    })
    clock.advance(5 * 60_000)
    const failed = await waitFor('a failed run', () => fired[2])
    expect(failed.outcome).toBe('failed')
    expect((await status()).recent[0]).toMatchObject({ outcome: 'failed' })
    expect((await status()).recent).toHaveLength(3)
    // Failures in a row wait 1, 2, 4, 8 minutes: by the fourth, the next interval is held back.
    for (let i = 3; i < 6; i++) {
      clock.advance(5 * 60_000)
      await waitFor(`firing ${i}`, () => fired[i])
    }
    expect(fired.slice(3, 6).map((f) => f.outcome)).toEqual(['failed', 'failed', 'failed'])
    clock.advance(5 * 60_000)
    const held = await waitFor('a held firing', () => fired[6])
    expect(held).toMatchObject({ outcome: 'skipped', trigger: 'interval' })
    expect(held.reason).toMatch(/The last sync failed: triggers wait until \d\d:\d\d/)
    expect((await status()).note).toMatch(/The last sync failed/)
    // When the wait ends, the held firing goes (and fails again: the library is still gone).
    clock.advance(3 * 60_000)
    expect(await waitFor('the held firing goes', () => fired[7])).toMatchObject({
      outcome: 'failed',
      at: held.at + 3 * 60_000,
    })
  })
})

describe('a library too big to watch', () => {
  const tmp = tempDir('ferry-triggers-limit-')
  const lib = join(tmp.path, 'library')
  const dst = join(tmp.path, 'dst')
  const clock = new FakeClock()
  let engine: Engine
  const fired: TriggerFired[] = []
  const logs: string[] = []

  beforeAll(async () => {
    makeLibrary(lib, 4, 1) // 5 folders, and Ferry may watch 3
    process.env.FERRY_MOUNT_ROOTS = join(tmp.path, 'media')
    engine = await openEngine(join(tmp.path, 'data'), {
      triggers: { clock, maxWatchedFolders: 3, fallbackMs: 10 * 60_000 },
    })
    delete process.env.FERRY_MOUNT_ROOTS
    engine.api.on('trigger.fired', (f) => fired.push(f))
    engine.api.on('engine.log', (l) => logs.push(`${l.level}: ${l.message}`))
  })
  afterAll(async () => {
    await engine?.close()
    tmp.remove()
  })

  it('says so (note and engine.log warning) and checks the library now and then instead', async () => {
    await engine.api.invoke('profiles.create', {
      name: 'big',
      sources: [lib],
      destination: dst,
      triggers: { onDevicePlugged: false, onLibraryChange: true, intervalMinutes: null },
    })
    const note = await waitFor('the note', async () => {
      const n = (await engine.api.invoke('sync.status'))[0]!.triggers.note ?? ''
      return /Cannot watch the library/.test(n) && n
    })
    expect(note).toMatch(/more folders than Ferry may watch \(3.*checked every 10 minutes instead/)
    expect(logs.some((l) => /^warn: .*"big": cannot watch the library/.test(l))).toBe(true)
    clock.advance(10 * 60_000)
    const f = await waitFor('the periodic check', () => fired[0])
    expect(f).toMatchObject({ trigger: 'change', outcome: 'started' })
    await settle(engine, f.batchId!)
    expect(existsSync(join(dst, 'Album 4', '01 Track.mp3'))).toBe(true)
    writeFileSync(join(lib, 'Album 1', 'new.mp3'), 'new')
    clock.advance(10 * 60_000)
    const g = await waitFor('the next check that finds a change', () => fired[1])
    expect(g).toMatchObject({ trigger: 'change', outcome: 'started' })
  })
})
