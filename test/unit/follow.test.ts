// The CLI follows the queue by the engine's events, not a timer: it subscribes, asks once, and asks
// again only when an event says something moved; it ends when nothing of the batch is open, and
// fails (rather than waits forever) when the connection to the engine is lost.
import { afterAll, describe, expect, it } from 'vitest'
import { followQueue } from '../../src/cli/follow'
import type { EventName, FerryApi } from '../../src/shared/contract'
import { FerryError } from '../../src/shared/errors'
import type { BatchFinished, QueueProgress } from '../../src/shared/model'
import { openEngine } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'

const progress = (pending: number, active: number, ok = 0): QueueProgress => ({
  paused: false,
  counts: { pending, active, ok, skip: 0, fail: 0, cancelled: 0 },
  total: pending + active + ok,
  bytesTotal: 0,
  bytesDone: 0,
  rate: 0,
  eta: null,
  workers: [],
  waitingFor: [],
})

/** An engine that answers queue.progress with `state` (after a microtask) and records what happens. */
function fakeApi(initial: QueueProgress) {
  const log: string[] = []
  const listeners = new Map<EventName, Set<(p: unknown) => void>>()
  let state = initial
  const api = {
    invoke: async (name: string, input: unknown) => {
      log.push(`invoke ${name} ${JSON.stringify(input)}`)
      await Promise.resolve()
      return state
    },
    on: (name: EventName, listener: (p: unknown) => void) => {
      log.push(`on ${name}`)
      const set = listeners.get(name) ?? new Set()
      listeners.set(name, set)
      set.add(listener)
      return () => {
        log.push(`off ${name}`)
        set.delete(listener)
      }
    },
  } as unknown as FerryApi
  return {
    api,
    log,
    set: (p: QueueProgress) => (state = p),
    emit: (name: EventName, payload: unknown) => {
      for (const l of listeners.get(name) ?? []) l(payload)
    },
    asks: () => log.filter((l) => l.startsWith('invoke')).length,
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('following the queue by its events', () => {
  it('subscribes before it asks, asks once, and then only when an event comes', async () => {
    const engine = fakeApi(progress(3, 1))
    const seen: QueueProgress[] = []
    const done = followQueue({ api: engine.api }, 7, (p) => seen.push(p))
    expect(engine.log.slice(0, 3)).toEqual([
      'on queue.progress',
      'on batch.finished',
      'invoke queue.progress {"batchId":7}',
    ])
    await tick()
    await new Promise((r) => setTimeout(r, 300)) // no timer asks meanwhile
    expect(engine.asks()).toBe(1)
    expect(seen).toHaveLength(1)

    // Progress of the whole queue: the batch's own is asked for, one request at a time.
    engine.set(progress(1, 1, 2))
    engine.emit('queue.progress', progress(9, 9))
    engine.emit('queue.progress', progress(9, 9))
    engine.emit('queue.progress', progress(9, 9))
    await tick()
    expect(engine.asks()).toBe(3) // one in flight, then one more for what came meanwhile
    expect(seen.at(-1)!.counts.ok).toBe(2)

    engine.set(progress(0, 0, 4))
    engine.emit('batch.finished', { batchId: 6 } as BatchFinished) // another batch's: nothing to ask
    await tick()
    expect(engine.asks()).toBe(3)
    engine.emit('batch.finished', { batchId: 7 } as BatchFinished)
    const last = await done
    expect(last.counts.ok).toBe(4)
    expect(engine.log.filter((l) => l.startsWith('off'))).toEqual([
      'off queue.progress',
      'off batch.finished',
    ])
  })

  it('ends at once when nothing is open, and follows the whole queue by the events themselves', async () => {
    const idle = fakeApi(progress(0, 0, 5))
    expect((await followQueue({ api: idle.api }, undefined, () => undefined)).counts.ok).toBe(5)

    const engine = fakeApi(progress(2, 0))
    const done = followQueue({ api: engine.api }, undefined, () => undefined)
    await tick()
    engine.emit('queue.progress', progress(1, 1, 1))
    engine.emit('queue.progress', progress(0, 0, 3))
    expect((await done).counts.ok).toBe(3)
    expect(engine.asks()).toBe(1) // the payload of each event is the queue's progress
  })

  it('fails when the connection is lost or a request fails, rather than waiting for ever', async () => {
    const engine = fakeApi(progress(1, 0))
    let lose: (e: Error) => void = () => undefined
    const lost = new Promise<never>((_, reject) => (lose = reject))
    const done = followQueue({ api: engine.api, lost }, 1, () => undefined)
    lose(new FerryError('unavailable', 'The connection to the Ferry engine was closed.'))
    await expect(done).rejects.toThrow(/connection to the Ferry engine was closed/)
    expect(engine.log.filter((l) => l.startsWith('off'))).toHaveLength(2)

    const failing = fakeApi(progress(1, 0))
    failing.api.invoke = (() => Promise.reject(new FerryError('unavailable', 'shutting down'))) as never
    await expect(followQueue({ api: failing.api }, 1, () => undefined)).rejects.toThrow(/shutting down/)
  })

  describe('against a real engine', () => {
    const dir = tempDir('ferry-follow-')
    afterAll(() => dir.remove())

    it('sees a batch through to its end with a handful of requests', async () => {
      const engine = await openEngine(dir.path)
      try {
        let asks = 0
        const api: FerryApi = {
          invoke: ((name: 'queue.progress', input?: { batchId?: number }) => {
            if (name === 'queue.progress') asks++
            return engine.api.invoke(name, input)
          }) as FerryApi['invoke'],
          on: engine.api.on,
        }
        const r = await api.invoke('queue.enqueue', { mode: 'sleep', count: 6, ms: 150 })
        const seen: QueueProgress[] = []
        const last = await followQueue({ api }, r.batchId, (p) => seen.push(p))
        expect(last.counts).toMatchObject({ pending: 0, active: 0, ok: 6 })
        expect(seen.length).toBeGreaterThan(0)
        // 6 tasks of 150 ms (about a second): polling every 200 ms asked 5 times or more; events ask
        // once per change at most, coalesced to 10 a second.
        expect(asks).toBeLessThanOrEqual(1 + 2 * 6 + 2)
      } finally {
        await engine.close()
      }
    }, 30_000)
  })
})
