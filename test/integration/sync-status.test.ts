// sync.status against real folders: a device before its first sync, after it (capacity from the
// destination's own filesystem, Ferry's bytes from what it wrote), while a sync is queued, held or
// waiting for its card, and once the card is gone or has lost its marker; profiles.changed on every
// change of a profile.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { statfs } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import type { ProfileStatus } from '../../src/shared/sync-status'
import { openEngine, settle, waitFor } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'

const KiB = 1024
const SIZES = [300, 120, 75, 40].map((k) => k * KiB)

/** Bytes of every file below a folder but the marker: what Ferry put there. */
function bytesBelow(root: string): number {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== '.ferry-profile.json')
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0)
}

describe('sync.status', () => {
  const tmp = tempDir('ferry-sync-status-')
  const lib = join(tmp.path, 'library')
  const media = join(tmp.path, 'media')
  const card = join(media, 'CARD')
  const dst = join(card, 'Music')
  let engine: Engine
  const changes: number[] = []

  const status = async (name = 'card'): Promise<ProfileStatus> => {
    const all = await engine.api.invoke('sync.status')
    const s = all.find((p) => p.profile === name)
    if (!s) throw new Error(`no status for ${name} in ${JSON.stringify(all)}`)
    return s
  }

  beforeAll(async () => {
    mkdirSync(join(lib, 'Album'), { recursive: true })
    SIZES.forEach((size, i) => writeFileSync(join(lib, 'Album', `0${i + 1} Track.mp3`), randomBytes(size)))
    writeFileSync(join(lib, 'Album', 'cover.jpg'), randomBytes(10 * KiB))
    mkdirSync(card, { recursive: true })
    engine = await openEngine(join(tmp.path, 'data'))
    engine.subscribe((name, payload) => {
      if (name === 'profiles.changed') changes.push((payload as { at: number }).at)
    })
  })
  afterAll(async () => {
    await engine?.close()
    tmp.remove()
  })

  it('answers an empty list with no profiles, and every profile change is announced', async () => {
    expect(await engine.api.invoke('sync.status')).toEqual([])
    await engine.api.invoke('profiles.create', { name: 'card', sources: [lib], destination: dst })
    await waitFor('profiles.changed after create', () => changes.length === 1)
    await engine.api.invoke('profiles.update', { name: 'card', delete: 'mirror' })
    await waitFor('profiles.changed after update', () => changes.length === 2)
    // A refused change announces nothing.
    await expect(
      engine.api.invoke('profiles.create', {
        name: 'bad',
        sources: [join(tmp.path, 'nope')],
        destination: dst,
      }),
    ).rejects.toThrow(/not there/)
    await engine.api.invoke('profiles.create', {
      name: 'gone',
      sources: [lib],
      destination: join(tmp.path, 'unplugged', 'Music'),
    })
    await engine.api.invoke('profiles.delete', { name: 'gone' })
    await waitFor('profiles.changed after create and delete', () => changes.length >= 3)
    await new Promise((r) => setTimeout(r, 250))
    expect(changes.length).toBeLessThanOrEqual(4)
    expect((await engine.api.invoke('sync.status')).map((s) => s.profile)).toEqual(['card'])
  })

  it('before the first sync: present when the folder it will be made in is there, absent when not', async () => {
    const s = await status()
    expect(s).toMatchObject({
      presence: 'present',
      present: true,
      syncedBefore: false,
      destinationExists: false,
      lastRun: null,
      current: null,
      destination: dst,
    })
    const fs = await statfs(card)
    expect(s.capacity!.totalBytes).toBe(fs.blocks * fs.bsize)
    expect(s.capacity!.ferryBytes).toBe(0)
    expect(Math.abs(s.capacity!.freeBytes - fs.bavail * fs.bsize)).toBeLessThan(256 * 1024 ** 2)
    expect(s.capacity!.otherBytes + s.capacity!.freeBytes).toBe(s.capacity!.totalBytes)

    await engine.api.invoke('profiles.create', {
      name: 'elsewhere',
      sources: [lib],
      destination: join(tmp.path, 'not-mounted', 'Music'),
    })
    expect(await status('elsewhere')).toMatchObject({
      presence: 'absent',
      present: false,
      capacity: null,
      destinationExists: false,
    })
    await engine.api.invoke('profiles.delete', { name: 'elsewhere' })
  })

  it('a sync held by a paused queue, then run: its state, then its counts and Ferry’s bytes', async () => {
    await engine.api.invoke('queue.pause', { now: false })
    const run = await engine.api.invoke('sync.run', { profile: 'card' })
    expect(run.batchId).not.toBeNull()
    const held = await status()
    expect(held.current).toMatchObject({ batchId: run.batchId, state: 'paused', finishedAt: null })
    expect(held.current!.counts.pending).toBe(run.tasks)
    expect(held.lastRun).toBeNull()

    await engine.api.invoke('queue.resume')
    await settle(engine, run.batchId!)
    const s = await status()
    expect(s.current).toBeNull()
    expect(s.lastRun).toMatchObject({ batchId: run.batchId })
    expect(s.lastRun!.counts.ok).toBe(SIZES.length + 1) // the tracks and the cover
    expect(s.lastRun!.counts.fail).toBe(0)
    expect(s.lastRun!.finishedAt).toBeGreaterThanOrEqual(s.lastRun!.at)
    expect(s).toMatchObject({ presence: 'present', syncedBefore: true, destinationExists: true })
    // What Ferry wrote, as the device holds it, and a capacity that adds up.
    const written = bytesBelow(dst)
    expect(written).toBe(SIZES.reduce((a, b) => a + b) + 10 * KiB)
    const c = s.capacity!
    expect(c.ferryBytes).toBe(written)
    const fs = await statfs(dst)
    expect(c.totalBytes).toBe(fs.blocks * fs.bsize)
    expect(c.ferryBytes + c.otherBytes + c.freeBytes).toBe(c.totalBytes)
    expect(c.otherBytes).toBeGreaterThanOrEqual(0)
  })

  it('a sync whose card is pulled out waits for it, and runs on when it is back', async () => {
    writeFileSync(join(lib, 'Album', '05 New.mp3'), randomBytes(64 * KiB))
    await engine.api.invoke('queue.pause', { now: false })
    const run = await engine.api.invoke('sync.run', { profile: 'card' })
    renameSync(card, `${card}.away`)
    await engine.api.invoke('queue.resume')
    const waiting = await waitFor('the sync to wait for its card', async () => {
      const s = await status()
      return s.current?.state === 'waiting' ? s : undefined
    })
    expect(waiting.current).toMatchObject({ batchId: run.batchId, waiting: 'absent' })
    expect(waiting).toMatchObject({ presence: 'absent', present: false, capacity: null })
    // The last finished run is still the one before.
    expect(waiting.lastRun!.batchId).toBeLessThan(run.batchId!)

    renameSync(`${card}.away`, card)
    await settle(engine, run.batchId!)
    const s = await status()
    expect(s.current).toBeNull()
    expect(s.lastRun).toMatchObject({ batchId: run.batchId })
    expect(s.lastRun!.counts.ok).toBe(1)
    expect(s.capacity!.ferryBytes).toBe(bytesBelow(dst))
  })

  it('a destination without the profile’s marker is not the device; a missing one is absent', async () => {
    rmSync(join(dst, '.ferry-profile.json'))
    expect(await status()).toMatchObject({ presence: 'no-marker', present: false, capacity: null })
    rmSync(card, { recursive: true })
    expect(await status()).toMatchObject({ presence: 'absent', present: false, destinationExists: false })
    // Even with the folder above it there: Ferry wrote to it before, so only the marked folder will do.
    mkdirSync(card)
    expect(await status()).toMatchObject({ presence: 'absent', present: false, syncedBefore: true })
  })
})
