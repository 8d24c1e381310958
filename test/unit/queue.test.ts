import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Db, openDatabase } from '../../src/main/engine/db/open'
import { backoffMs, MAX_INTERRUPTIONS, Queue } from '../../src/main/engine/queue/queue'
import { tempDir } from '../helpers/ferry'

// A real SQLite file on disk, and a clock the test moves.
let dir: ReturnType<typeof tempDir>
let db: Db
let clock: number
let q: Queue
let batch: number

beforeEach(() => {
  dir = tempDir()
  db = openDatabase(`${dir.path}/ferry.db`)
  clock = 1_000_000
  q = new Queue(db, () => clock)
  batch = q.createBatch('test')
})
afterEach(() => {
  db.close()
  dir.remove()
})

const echo = (priority = 100, extra = {}) => ({
  type: 'echo' as const,
  lane: 'transfer' as const,
  priority,
  ...extra,
})
const claimIds = (lane: 'transfer' | 'convert' = 'transfer') => {
  const ids: number[] = []
  for (let t = q.claim(lane, 'me'); t; t = q.claim(lane, 'me')) ids.push(t.id)
  return ids
}

describe('claiming', () => {
  it('runs lower priority first, then oldest', async () => {
    const [a, b, c, d] = await q.putMany(batch, [echo(5), echo(1), echo(3), echo(1)])
    expect(claimIds()).toEqual([b, d, c, a])
  })

  it('keeps lanes apart', async () => {
    const [t, c] = await q.putMany(batch, [echo(), { ...echo(), lane: 'convert' }])
    expect(claimIds('convert')).toEqual([c])
    expect(claimIds('transfer')).toEqual([t])
  })

  it('a claim is one statement: the same task is never handed out twice', async () => {
    await q.putMany(batch, [echo()])
    const first = q.claim('transfer', 'a')
    expect(first?.status).toBe('active')
    expect(first?.attempts).toBe(1)
    expect(q.claim('transfer', 'b')).toBeUndefined()
  })

  it('spawned children run before siblings, and their parent ends with them', async () => {
    const [parent, sibling] = await q.putMany(batch, [echo(), echo()])
    expect(q.claim('transfer', 'me')?.id).toBe(parent)
    const child = q.put(batch, { ...echo(), parentId: parent })
    q.finish(parent!, 'ok', null)
    expect(q.get(parent!)).toMatchObject({ status: 'active', waiting: 'children' })
    expect(q.claim('transfer', 'me')?.id).toBe(child.id)
    q.finish(child.id, 'ok', null)
    expect(q.get(parent!)?.status).toBe('ok')
    expect(q.claim('transfer', 'me')?.id).toBe(sibling)
  })

  it('a parent fails when a child fails', async () => {
    const [parent] = await q.putMany(batch, [echo()])
    q.claim('transfer', 'me')
    const child = q.put(batch, { ...echo(), parentId: parent, maxAttempts: 1 })
    q.finish(parent!, 'ok', null)
    q.claim('transfer', 'me')
    q.fail(child.id, 'disk on fire', true)
    expect(q.get(parent!)).toMatchObject({ status: 'fail', error: '1 of its follow-up tasks failed.' })
  })

  it('depends_on holds a task until what it waits for is done; a failure fails it too', async () => {
    const [a, b] = await q.putMany(batch, [echo(), { ...echo(1), dependsOn: [-1] }])
    expect(q.get(b!)?.dependsOn).toEqual([a])
    expect(claimIds()).toEqual([a]) // b has the better priority but waits
    q.finish(a!, 'ok', null)
    expect(claimIds()).toEqual([b])

    const [c, d] = await q.putMany(batch, [
      { ...echo(), maxAttempts: 1 },
      { ...echo(), dependsOn: [-1] },
    ])
    q.claim('transfer', 'me')
    q.fail(c!, 'nope', true)
    expect(q.get(d!)).toMatchObject({ status: 'fail', error: `Depends on task ${c}, which ended fail.` })
  })
})

describe('failures and retries', () => {
  it('retries with growing backoff up to max_attempts, then fails for good', async () => {
    const [id] = await q.putMany(batch, [{ ...echo(), maxAttempts: 3 }])
    q.claim('transfer', 'me')
    expect(q.fail(id!, 'flaky', true)).toBe('retry')
    expect(q.get(id!)).toMatchObject({ status: 'pending', error: 'flaky', runAfter: clock + backoffMs(1) })
    expect(q.claim('transfer', 'me')).toBeUndefined() // still backing off
    clock += backoffMs(1)
    expect(q.claim('transfer', 'me')?.attempts).toBe(2)
    q.fail(id!, 'flaky', true)
    clock += backoffMs(2) - 1
    expect(q.claim('transfer', 'me')).toBeUndefined()
    clock += 1
    expect(q.claim('transfer', 'me')?.attempts).toBe(3)
    expect(q.fail(id!, 'flaky again', true)).toBe('fail')
    expect(q.get(id!)).toMatchObject({ status: 'fail', error: 'flaky again' })
    expect(backoffMs(2)).toBeGreaterThan(backoffMs(1))
  })

  it('a failure not worth retrying fails at once; the user can still retry it', async () => {
    const [id] = await q.putMany(batch, [{ ...echo(), maxAttempts: 5 }])
    q.claim('transfer', 'me')
    expect(q.fail(id!, 'The source is gone', false)).toBe('fail')
    expect(q.retry({ taskId: id! })).toBe(1)
    expect(q.get(id!)).toMatchObject({ status: 'pending', attempts: 0, error: null })
    expect(q.claim('transfer', 'me')?.id).toBe(id)
  })

  it('retry by batch and all touch only failed or cancelled tasks', async () => {
    const ids = await q.putMany(batch, [{ ...echo(), maxAttempts: 1 }, echo(), echo()])
    q.claim('transfer', 'me')
    q.fail(ids[0]!, 'x', false)
    q.cancel({ taskId: ids[1]! })
    expect(q.retry({ batchId: batch })).toBe(2)
    expect(q.retry({ all: true })).toBe(0)
  })
})

describe('cancel, priority, flush, recovery', () => {
  it('cancels pending tasks and hands back the active ones to stop', async () => {
    const [a, b] = await q.putMany(batch, [echo(), echo()])
    q.claim('transfer', 'me')
    const r = q.cancel({ batchId: batch })
    expect(r).toEqual({ cancelled: 2, active: [a] })
    expect(q.get(b!)?.status).toBe('cancelled')
    expect(q.get(a!)?.status).toBe('active')
    q.cancelled(a!)
    expect(q.get(a!)?.status).toBe('cancelled')
  })

  it('reprioritises a task', async () => {
    const [a, b] = await q.putMany(batch, [echo(), echo()])
    q.setPriority(b!, 1)
    expect(claimIds()).toEqual([b, a])
    expect(() => q.setPriority(999, 1)).toThrow(/No task 999/)
  })

  it('flushes finished tasks by status, and batches left empty', async () => {
    const ids = await q.putMany(batch, [echo(), echo(), { ...echo(), maxAttempts: 1 }, echo()])
    for (const id of ids.slice(0, 3)) {
      q.claim('transfer', 'me')
      if (id === ids[2]) q.fail(id, 'x', false)
      else q.finish(id, id === ids[0] ? 'ok' : 'skip', null)
    }
    expect(q.flush(['ok', 'skip'])).toBe(2)
    expect(q.list({ offset: 0, limit: 10, sort: 'oldest' }).tasks.map((t) => t.status)).toEqual([
      'fail',
      'pending',
    ])
    q.cancel({ all: true })
    expect(q.flush(['fail', 'cancelled'])).toBe(2)
    expect(q.batches(10)).toEqual([])
  })

  it('at start-up, tasks a dead engine left active go back to pending without using up their retries', async () => {
    const [a, b, c] = await q.putMany(batch, [echo(), { ...echo(), maxAttempts: 1 }, echo()])
    q.claim('transfer', 'dead-engine')
    q.claim('transfer', 'dead-engine')
    const { requeued, failed } = q.recover()
    expect(requeued.map((t) => t.id)).toEqual([a, b])
    expect(failed).toBe(0)
    expect(q.get(a!)).toMatchObject({ status: 'pending', attempts: 0 })
    expect(q.get(b!)).toMatchObject({ status: 'pending', attempts: 0 }) // its one attempt is still there
    expect(q.get(c!)?.status).toBe('pending')
  })

  it('fails a task the engine died under again and again, instead of looping on it forever', async () => {
    const [a] = await q.putMany(batch, [echo()])
    for (let i = 1; i < MAX_INTERRUPTIONS; i++) {
      expect(q.claim('transfer', 'dead-engine')?.id).toBe(a)
      expect(q.recover().requeued).toHaveLength(1)
    }
    q.claim('transfer', 'dead-engine')
    expect(q.recover().failed).toBe(1)
    expect(q.get(a!)?.error).toMatch(/Interrupted 10 times: the engine stopped each time it ran/)
  })
})

describe('listing and counting', () => {
  it('pages through thousands of tasks written in chunks', async () => {
    const ids = await q.putMany(
      batch,
      Array.from({ length: 2500 }, () => echo(100, { bytesTotal: 10 })),
    )
    expect(new Set(ids).size).toBe(2500)
    const page = q.list({ offset: 2400, limit: 200, sort: 'oldest' })
    expect(page.total).toBe(2500)
    expect(page.tasks.map((t) => t.id)).toEqual(ids.slice(2400))
    q.claim('transfer', 'me')
    q.finish(ids[0]!, 'ok', null)
    const { counts, bytesTotal, bytesDone } = q.counts(batch)
    expect(counts).toMatchObject({ ok: 1, pending: 2499, active: 0 })
    expect([bytesTotal, bytesDone]).toEqual([25_000, 10])
    expect(q.list({ status: ['ok'], offset: 0, limit: 5, sort: 'queue' }).total).toBe(1)
  })

  it('marks and clears tasks waiting for a missing destination', async () => {
    await q.putMany(batch, [echo(100, { root: '/media/card' }), echo(100, { root: '/media/card' }), echo()])
    expect(q.setRootWaiting(batch, '/media/card', true)).toBe(2)
    expect(q.waitingRoots()).toEqual([{ batchId: batch, root: '/media/card', tasks: 2 }])
    expect(claimIds()).toHaveLength(1) // only the task that needs no card
    expect(q.setRootWaiting(batch, '/media/card', false)).toBe(2)
    expect(claimIds()).toHaveLength(2)
  })
})
