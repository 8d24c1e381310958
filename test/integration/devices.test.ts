// A destination is the device it was: with real mounts (ext4 images on loop devices, a FAT image
// through FUSE), a card unplugged before a sync, in the middle of one, and between planning and
// applying never gets its files written onto the disk it was mounted on; the batch waits and resumes
// when the same card is back. Where the machine does not allow mounting, the same logic is covered by
// a destination renamed away (dispatcher test) and by a recorded identity that no longer matches.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { statfs } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import { checkRoot, identifyRoot } from '../../src/main/engine/ops/device'
import { openEngine, settle, waitFor } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'
import { Card, FuseFat, fuseFatUnavailable, listTree, loopMountsUnavailable } from '../helpers/mounts'

const MiB = 1024 * 1024
const noLoop = loopMountsUnavailable()
const noFuse = fuseFatUnavailable()
if (noLoop) console.warn(`devices.test: loop-mount tests skipped: ${noLoop}`)
if (noFuse) console.warn(`devices.test: FUSE tests skipped: ${noFuse}`)

function library(dir: string, files: number, size: number): void {
  mkdirSync(dir, { recursive: true })
  for (let i = 0; i < files; i++)
    writeFileSync(join(dir, `${String(i).padStart(3, '0')} Track.mp3`), randomBytes(size))
}

describe('a recorded destination identity', () => {
  const tmp = tempDir('ferry-identity-')
  afterAll(() => tmp.remove())

  it('tells the same folder from another one at the same path, and a missing marker', async () => {
    const root = join(tmp.path, 'card')
    mkdirSync(root)
    const id = await identifyRoot(root)
    expect(await checkRoot(id)).toMatchObject({ ok: true })
    // As if another filesystem now showed through the same path (an unmounted mount point).
    expect(await checkRoot({ ...id, btime: id.btime + 1, dev: `${id.dev}1` })).toEqual({
      ok: false,
      problem: 'other-device',
    })
    expect(await checkRoot({ ...id, btime: 0, dev: `${id.dev}1` })).toMatchObject({ ok: false })
    expect(await checkRoot({ ...id, marker: 7 })).toEqual({ ok: false, problem: 'no-marker' })
    writeFileSync(join(root, '.ferry-profile.json'), JSON.stringify({ profile: 'p', id: 7 }))
    expect(await checkRoot({ ...id, marker: 7 })).toMatchObject({ ok: true })
    rmSync(root, { recursive: true })
    expect(await checkRoot(id)).toEqual({ ok: false, problem: 'absent' })
  })
})

describe.skipIf(noLoop !== null)('a card on a loop device, unplugged and plugged back in', () => {
  const tmp = tempDir('ferry-devices-')
  const root = tmp.path
  let engine: Engine
  const cards: Card[] = []
  const card = (name: string, sizeMiB = 64) => {
    const c = Card.create(join(root, `${name}.img`), join(root, 'media', name), sizeMiB)
    cards.push(c)
    c.plugIn()
    return c
  }
  beforeAll(async () => {
    engine = await openEngine(join(root, 'data'))
  })
  afterAll(async () => {
    await engine?.close()
    for (const c of cards) c.dispose()
    tmp.remove()
  })

  it('unplugged before a sync --delete: nothing is planned and nothing lands on the parent disk', async () => {
    const lib = join(root, 'lib1')
    library(lib, 6, 256 * 1024)
    const c = card('card1')
    const dst = join(c.mountPoint, 'Music')
    await engine.api.invoke('profiles.create', {
      name: 'card1',
      sources: [lib],
      destination: dst,
      preset: 'copy',
      delete: 'mirror',
    })
    const first = await engine.api.invoke('sync.run', { profile: 'card1' })
    await settle(engine, first.batchId!)
    expect(listTree(dst)).toContain('005 Track.mp3')

    c.unplug() // the mount point stays, an empty folder on the parent disk
    await expect(engine.api.invoke('sync.run', { profile: 'card1' })).rejects.toThrow(
      /is not there \(is the device plugged in and mounted\?\)/,
    )
    await expect(engine.api.invoke('sync.plan', { profile: 'card1' })).rejects.toThrow(/Nothing was planned/)
    expect(listTree(c.mountPoint)).toEqual([])
    // udisks removes the mount point itself: still nothing is made.
    rmSync(c.mountPoint, { recursive: true })
    await expect(engine.api.invoke('sync.run', { profile: 'card1' })).rejects.toThrow(/is not there/)
    expect(listTree(join(root, 'media'))).not.toContain('card1/')
    mkdirSync(c.mountPoint)
    c.plugIn()
    const again = await engine.api.invoke('sync.run', { profile: 'card1', dryRun: true })
    expect(again.plan.totals.counts.delete).toBe(0)
    expect(again.plan.totals.counts.skip).toBe(6)
  })

  it('a mount point whose card is away holds no marker: a sync to its folder plans nothing', async () => {
    const lib = join(root, 'lib2')
    library(lib, 4, 128 * 1024)
    const c = card('card2')
    await engine.api.invoke('profiles.create', {
      name: 'card2',
      sources: [lib],
      destination: c.mountPoint, // the card's root itself
      preset: 'copy',
      delete: 'mirror',
    })
    const first = await engine.api.invoke('sync.run', { profile: 'card2' })
    await settle(engine, first.batchId!)
    const planned = await engine.api.invoke('sync.run', { profile: 'card2', dryRun: true })
    expect(planned.plan.totals.counts.skip).toBe(4)
    // The plan says how much room the card has: its own filesystem, not the disk below it.
    expect(planned.plan.totals.freeBytes).toBeLessThan(64 * MiB)
    c.unplug() // between the plan (shown to the user) and "Sync now"
    await expect(engine.api.invoke('sync.run', { profile: 'card2' })).rejects.toThrow(
      /does not hold this profile's marker/,
    )
    expect(listTree(c.mountPoint)).toEqual([])
    c.plugIn()
  })

  it('unplugged after the sync was queued: its tasks wait, nothing is written, and it completes once back', async () => {
    const lib = join(root, 'lib3')
    library(lib, 5, 256 * 1024)
    const c = card('card3')
    const dst = join(c.mountPoint, 'Music')
    await engine.api.invoke('profiles.create', {
      name: 'card3',
      sources: [lib],
      destination: dst,
      preset: 'copy',
    })
    const first = await engine.api.invoke('sync.run', { profile: 'card3' })
    await settle(engine, first.batchId!)
    library(join(lib, 'new'), 3, 256 * 1024)
    await engine.api.invoke('queue.pause')
    const r = await engine.api.invoke('sync.run', { profile: 'card3' })
    expect(r.tasks).toBe(3)
    c.unplug()
    await engine.api.invoke('queue.resume')
    const waiting = await waitFor('the sync to wait', async () => {
      const p = await engine.api.invoke('queue.progress', { batchId: r.batchId! })
      return p.waitingFor.length ? p : undefined
    })
    expect(waiting.waitingFor[0]).toMatchObject({ root: dst, problem: 'absent', tasks: 3 })
    await new Promise((res) => setTimeout(res, 700))
    expect(listTree(c.mountPoint)).toEqual([])
    c.plugIn()
    expect((await settle(engine, r.batchId!)).counts.ok).toBe(3)
    expect(listTree(dst)).toContain('new/002 Track.mp3')
  })

  it('unmounted (umount -l) in the middle of a copy: the rest waits, none of it reaches the parent disk, and it finishes on the card', async () => {
    const lib = join(root, 'lib4')
    library(lib, 40, 2 * MiB)
    const c = card('card4', 128)
    const { batchId } = await engine.api.invoke('queue.enqueue', {
      mode: 'copy',
      sources: [lib],
      destination: c.mountPoint,
    })
    await waitFor('a few files to be copied', async () => {
      const p = await engine.api.invoke('queue.progress', { batchId })
      return p.counts.ok >= 6
    })
    c.unplug(true) // lazily, while a file is being written
    const waiting = await waitFor('the batch to wait', async () => {
      const p = await engine.api.invoke('queue.progress', { batchId })
      return p.waitingFor.length && p.counts.active === 0 ? p : undefined
    })
    expect(waiting.waitingFor[0]).toMatchObject({ root: c.mountPoint, problem: 'other-device' })
    expect(waiting.eta).toBeNull()
    expect(waiting.counts.fail).toBe(0)
    await new Promise((res) => setTimeout(res, 700))
    // The bare mount point on the parent disk got nothing: no file, no folder.
    expect(listTree(c.mountPoint)).toEqual([])
    // Plugged back in once the lazily unmounted filesystem is really released.
    await waitFor('the card to be released', () => !c.attached(), 10_000)
    c.plugIn()
    const done = await settle(engine, batchId, 60_000)
    expect(done.counts.ok).toBe(40)
    const files = listTree(join(c.mountPoint, 'lib4'))
    expect(files.filter((f) => f.endsWith('.mp3'))).toHaveLength(40)
    expect(files.filter((f) => f.startsWith('.ferry-'))).toEqual([])
    for (const f of ['000 Track.mp3', '039 Track.mp3'])
      expect(readFileSync(join(c.mountPoint, 'lib4', f)).equals(readFileSync(join(lib, f)))).toBe(true)
  }, 90_000)
  it('a card that fills up mid-batch pauses the batch with one message and goes on once there is room', async () => {
    const lib = join(root, 'lib5')
    library(lib, 6, 1 * MiB)
    const c = card('card5', 16)
    await engine.api.invoke('queue.pause')
    const { batchId } = await engine.api.invoke('queue.enqueue', {
      mode: 'copy',
      sources: [lib],
      destination: c.mountPoint,
    })
    // Something else takes the room after the batch was checked and queued.
    const filler = join(c.mountPoint, 'filler.bin')
    const free = (await statfs(c.mountPoint)).bavail * (await statfs(c.mountPoint)).bsize
    writeFileSync(filler, Buffer.alloc(Math.max(0, free - 2.5 * MiB)))
    await engine.api.invoke('queue.resume')
    const waiting = await waitFor('the batch to wait for room', async () => {
      const p = await engine.api.invoke('queue.progress', { batchId })
      return p.waitingFor.length && p.counts.active === 0 ? p : undefined
    })
    expect(waiting.waitingFor).toHaveLength(1)
    expect(waiting.waitingFor[0]).toMatchObject({ problem: 'full', root: c.mountPoint })
    expect(waiting.counts.fail).toBe(0) // one pause, not a failure per file
    expect(waiting.counts.ok).toBeGreaterThan(0)
    expect(listTree(join(c.mountPoint, 'lib5')).filter((f) => f.startsWith('.ferry-'))).toEqual([])
    rmSync(filler) // the user frees some space
    expect((await settle(engine, batchId, 30_000)).counts.ok).toBe(6)
  })
})

describe.skipIf(noFuse !== null)('a FAT image through FUSE (refuses the kernel copy)', () => {
  const tmp = tempDir('ferry-fuse-')
  const root = tmp.path
  let engine: Engine
  let fat: FuseFat | undefined
  beforeAll(async () => {
    engine = await openEngine(join(root, 'data'))
    fat = FuseFat.mount(join(root, 'fat.img'), join(root, 'fat'), 96)
  })
  afterAll(async () => {
    await engine?.close()
    fat?.unmount()
    tmp.remove()
  })

  it('copies every file without a failed attempt, and a second copy and a second sync change nothing', async () => {
    const lib = join(root, 'lib')
    library(lib, 4, 512 * 1024) // the kernel-copy path
    writeFileSync(join(lib, 'long.mp3'), randomBytes(20 * MiB)) // the read/write path
    const dst = join(fat!.mountPoint, 'Music')
    mkdirSync(dst)
    const first = await engine.api.invoke('queue.enqueue', { mode: 'copy', sources: [lib], destination: dst })
    expect((await settle(engine, first.batchId)).counts.ok).toBe(5)
    const { tasks } = await engine.api.invoke('queue.list', { batchId: first.batchId, limit: 10 })
    for (const t of tasks) expect([t.attempts, t.error]).toEqual([1, null])
    expect(readFileSync(join(dst, 'lib', 'long.mp3')).equals(readFileSync(join(lib, 'long.mp3')))).toBe(true)
    // FAT keeps mtimes in 2 s steps: the same files again are identical, not "different".
    const second = await engine.api.invoke('queue.enqueue', {
      mode: 'copy',
      sources: [lib],
      destination: dst,
    })
    expect((await settle(engine, second.batchId)).counts).toMatchObject({ skip: 5, ok: 0, fail: 0 })

    await engine.api.invoke('profiles.create', {
      name: 'fat',
      sources: [lib],
      destination: join(fat!.mountPoint, 'Synced'),
      preset: 'copy',
    })
    const sync = await engine.api.invoke('sync.run', { profile: 'fat' })
    expect((await settle(engine, sync.batchId!)).counts.ok).toBe(5)
    const resync = await engine.api.invoke('sync.run', { profile: 'fat' })
    expect(resync.batchId).toBeNull()
    expect(resync.plan.totals.counts.skip).toBe(5)
    expect(statSync(join(fat!.mountPoint, 'Synced', '.ferry-profile.json')).isFile()).toBe(true)
  }, 90_000)
})
