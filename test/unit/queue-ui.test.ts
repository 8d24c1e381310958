// What the Queue view needs of the engine: a path search, batches counted under a filter, a batch
// paused on its own, flushing one batch — and all of it fast with 100k tasks.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Db, openDatabase } from '../../src/main/engine/db/open'
import { type NewTask, Queue } from '../../src/main/engine/queue/queue'
import { openEngine, settle, waitFor } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'

let dir: ReturnType<typeof tempDir>
let db: Db
let q: Queue
let clock: number

beforeEach(() => {
  dir = tempDir()
  db = openDatabase(`${dir.path}/ferry.db`)
  clock = 1_000_000
  q = new Queue(db, () => clock)
})
afterEach(() => {
  db.close()
  dir.remove()
})

const copy = (src: string, extra: Partial<NewTask> = {}): NewTask => ({
  type: 'copy',
  lane: 'transfer',
  src,
  dst: src.replace('/music/', '/card/'),
  ...extra,
})
const claimAll = () => {
  const ids: number[] = []
  for (let t = q.claim('transfer'); t; t = q.claim('transfer')) ids.push(t.id)
  return ids
}
const srcs = (tasks: { src: string | null }[]) => tasks.map((t) => t.src)

describe('queue.list: a path search', () => {
  it('keeps tasks whose source or destination contains the text, ASCII letters in either case', async () => {
    const a = await q.addBatch({ label: 'a' }, [
      copy('/music/Björk/Homogenic/Jóga.flac'),
      copy('/music/Air/Moon Safari/La femme d’argent.flac'),
      copy('/music/Air/Talkie Walkie/Cherry Blossom Girl.flac', { dst: '/card/Favourites/girl.mp3' }),
    ])
    const b = await q.addBatch({ label: 'b' }, [copy('/music/AIR/Premiers Symptômes/Casanova 70.flac')])
    const list = (search: string, more = {}) =>
      q.list({ search, offset: 0, limit: 100, sort: 'oldest', ...more })

    expect(srcs(list('/air/').tasks)).toEqual([
      '/music/Air/Moon Safari/La femme d’argent.flac',
      '/music/Air/Talkie Walkie/Cherry Blossom Girl.flac',
      '/music/AIR/Premiers Symptômes/Casanova 70.flac',
    ])
    expect(list('/air/').total).toBe(3)
    expect(srcs(list('favourites').tasks)).toEqual(['/music/Air/Talkie Walkie/Cherry Blossom Girl.flac'])
    // Only ASCII folds (as SQLite's lower() does): the exact accented letters match.
    expect(srcs(list('Jóga').tasks)).toEqual(['/music/Björk/Homogenic/Jóga.flac'])
    expect(list('JÓGA').total).toBe(0)
    // With a batch, a state and paging.
    expect(list('air', { batchId: b }).total).toBe(1)
    expect(list('air', { batchId: a, limit: 1, offset: 1 })).toMatchObject({ total: 2 })
    expect(srcs(list('air', { batchId: a, limit: 1, offset: 1 }).tasks)).toEqual([
      '/music/Air/Talkie Walkie/Cherry Blossom Girl.flac',
    ])
    q.cancel({ batchId: b })
    expect(list('air', { status: ['cancelled'] }).total).toBe(1)
    expect(list('air', { status: ['pending'] }).total).toBe(2)
    // Nothing in a search is SQL: quotes, percent signs and underscores are plain text.
    expect(list("%' OR 1=1 --").total).toBe(0)
    expect(list('_').total).toBe(0)
  })
})

describe('queue.batches', () => {
  it('counts each batch by state, and what passes a filter', async () => {
    const a = await q.addBatch({ label: 'Drop: Air' }, [
      copy('/music/Air/1.flac'),
      copy('/music/Air/2.flac'),
      copy('/music/Air/3.mp3'),
    ])
    const b = await q.addBatch({ label: 'Drop: Björk' }, [copy('/music/Björk/1.flac')])
    const [first] = claimAll()
    q.fail(first!, 'disk on fire', false)
    const all = q.batches(10)
    expect(all.map((x) => x.id)).toEqual([b, a])
    expect(all[1]).toMatchObject({
      label: 'Drop: Air',
      paused: false,
      counts: { pending: 0, active: 2, fail: 1, ok: 0, skip: 0, cancelled: 0 },
    })
    expect(all[1]!.matching).toBeUndefined()
    expect(q.batches(10, { status: ['fail'] }).map((x) => x.matching)).toEqual([0, 1])
    expect(q.batches(10, { search: '.FLAC' }).map((x) => x.matching)).toEqual([1, 2])
    expect(q.batches(10, { search: 'flac', status: ['active'] }).map((x) => x.matching)).toEqual([1, 1])
    expect(q.batches(1).map((x) => x.id)).toEqual([b])
  })
})

describe('a batch paused on its own', () => {
  it('is never claimed while paused; other batches run; it resumes where it was', async () => {
    const a = await q.addBatch({ label: 'a' }, [copy('/music/a1'), copy('/music/a2')])
    const b = await q.addBatch({ label: 'b' }, [copy('/music/b1')])
    expect(q.pauseBatch(a)).toBe(2)
    expect(q.batch(b).paused).toBe(false)
    expect(q.batch(a)).toMatchObject({ paused: true, counts: { pending: 2 } })
    expect(q.list({ batchId: a, offset: 0, limit: 10, sort: 'oldest' }).tasks.map((t) => t.waiting)).toEqual([
      'paused',
      'paused',
    ])
    expect(srcs(claimAll().map((id) => q.get(id)!))).toEqual(['/music/b1'])
    expect(q.resumeBatch(a)).toBe(2)
    expect(srcs(claimAll().map((id) => q.get(id)!))).toEqual(['/music/a1', '/music/a2'])
    expect(() => q.pauseBatch(999)).toThrow('No batch 999.')
    expect(() => q.resumeBatch(999)).toThrow('No batch 999.')
  })

  it('tasks that become pending while it is paused wait too: retries, requeues, children, recovery', async () => {
    const a = await q.addBatch({ label: 'a' }, [
      copy('/music/1', { maxAttempts: 1 }),
      copy('/music/2', { maxAttempts: 3 }),
      copy('/music/3'),
      copy('/music/4'),
      copy('/music/5'),
    ])
    const [t1, t2, t3, t4, t5] = claimAll()
    q.fail(t1!, 'broken', false) // fails for good
    q.pauseBatch(a) // the other four are running: they finish, but nothing new starts
    q.fail(t2!, 'flaky', true) // an automatic retry
    q.requeue(t3!) // "pause now" or a stop
    q.finish(t4!, 'ok', null, [copy('/music/4.child')]) // a convert's move into place
    expect(q.retry({ taskId: t1! })).toBe(1)
    expect(q.recover().requeued.map((t) => t.id)).toEqual([t5]) // an engine that died under it
    const waiting = q.list({ batchId: a, status: ['pending'], offset: 0, limit: 10, sort: 'oldest' }).tasks
    expect(waiting.map((t) => [t.src, t.waiting])).toEqual([
      ['/music/1', 'paused'],
      ['/music/2', 'paused'],
      ['/music/3', 'paused'],
      ['/music/5', 'paused'],
      ['/music/4.child', 'paused'],
    ])
    expect(q.claim('transfer')).toBeUndefined()
    // Even a task someone left waiting for nothing is not claimed while its batch is paused.
    db.prepare(`UPDATE tasks SET waiting = NULL WHERE id = ?`).run(t3)
    expect(q.claim('transfer')).toBeUndefined()
    q.resumeBatch(a)
    clock += 60_000 // the automatic retry's backoff
    expect(claimAll()).toHaveLength(5)
  })

  it('a destination coming back does not wake a paused batch', async () => {
    const a = await q.addBatch({ label: 'a' }, [copy('/music/1', { root: '/card' })])
    q.setRootWaiting(a, '/card', true)
    q.pauseBatch(a)
    q.setRootWaiting(a, '/card', false)
    expect(q.get(1)!.waiting).toBe('paused')
    q.resumeBatch(a)
    expect(claimAll()).toEqual([1])
  })
})

describe('queue.flush of one batch', () => {
  it('removes that batch’s finished tasks only, and the batch once empty', async () => {
    const a = await q.addBatch({ label: 'a' }, [copy('/music/a1'), copy('/music/a2')])
    const b = await q.addBatch({ label: 'b' }, [copy('/music/b1')])
    for (const id of claimAll()) q.finish(id, 'ok', null)
    expect(q.flush(['ok'], a)).toBe(2)
    expect(q.batches(10).map((x) => x.id)).toEqual([b])
    expect(q.flush(['ok'])).toBe(1)
    expect(q.batches(10)).toEqual([])
    // A batch made after every batch was cleared gets a new id, not the last one's again (the
    // dispatcher knows a batch's destination by its id).
    expect(q.createBatch('c')).toBe(b + 1)
  })
})

describe('with 100k tasks', () => {
  it('pages a batch from an index, searches, counts and claims past a paused batch in milliseconds', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) =>
      copy(`/music/Artist ${i % 500}/Album ${i % 37}/${i} Track.flac`),
    )
    const big = await q.addBatch({ label: 'big' }, rows)
    db.exec(`UPDATE tasks SET status = 'ok' WHERE id % 3 = 0`)
    const small = await q.addBatch({ label: 'small' }, [copy('/music/late.flac', { priority: 500 })])
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ')
    const time = (f: () => unknown) => {
      f()
      const t0 = performance.now()
      for (let i = 0; i < 5; i++) f()
      return (performance.now() - t0) / 5
    }

    // A page deep in the batch, in queue order, from the index (no sort of 100k rows).
    const page = q.list({ batchId: big, offset: 90_000, limit: 100, sort: 'queue' })
    expect(page.total).toBe(100_000)
    expect(page.tasks).toHaveLength(100)
    expect(page.tasks.every((t) => t.status === 'ok')).toBe(true)
    expect(
      plan(`SELECT * FROM tasks WHERE 1 = 1 AND batch_id = 1 ORDER BY
        CASE status WHEN 'active' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, priority, is_top, id LIMIT 1`),
    ).toContain('USING INDEX tasks_batch_order')
    const deep = time(() => q.list({ batchId: big, offset: 90_000, limit: 100, sort: 'queue' }))
    const search = time(() =>
      q.list({ batchId: big, search: 'album 3/', offset: 0, limit: 100, sort: 'queue' }),
    )
    const batches = time(() => q.batches(50, { search: 'artist 7/' }))
    console.log(
      `100k tasks: deep page ${deep.toFixed(1)} ms, search ${search.toFixed(1)} ms, batches ${batches.toFixed(1)} ms`,
    )
    // Generous bounds (the machine may be busy): unloaded, 5 ms, 55 ms and 55 ms.
    expect(deep).toBeLessThan(100)
    expect(search).toBeLessThan(1000)
    expect(batches).toBeLessThan(1000)

    // A paused batch of 66k pending tasks ahead in the queue costs a claim nothing: they are not in
    // the claim's index.
    q.pauseBatch(big)
    expect(
      plan(`SELECT id FROM tasks t WHERE t.status = 'pending' AND t.lane = 'transfer' AND t.waiting IS NULL
      ORDER BY t.priority, t.is_top, t.id LIMIT 1`),
    ).toContain('USING INDEX tasks_claim')
    const t0 = performance.now()
    const claimed = q.claim('transfer')
    expect(claimed?.batchId).toBe(small)
    expect(performance.now() - t0).toBeLessThan(50)
  })
})

describe('through the engine', () => {
  it('batch.pause and batch.resume tell clients the queue changed; the paused batch waits for real', async () => {
    const engine = await openEngine(join(dir.path, 'engine'))
    try {
      const changes: number[] = []
      engine.subscribe((name) => name === 'queue.changed' && changes.push(Date.now()))
      await engine.api.invoke('queue.pause', {})
      const a = await engine.api.invoke('queue.enqueue', { mode: 'echo', count: 5, label: 'held' })
      const b = await engine.api.invoke('queue.enqueue', { mode: 'echo', count: 5, label: 'runs' })
      const paused = await engine.api.invoke('batch.pause', { batchId: a.batchId })
      expect(paused).toMatchObject({ id: a.batchId, label: 'held', paused: true, counts: { pending: 5 } })
      await engine.api.invoke('queue.resume')
      await settle(engine, b.batchId)
      const held = await engine.api.invoke('queue.batches', {})
      expect(held.find((x) => x.id === a.batchId)).toMatchObject({
        paused: true,
        counts: { pending: 5, ok: 0 },
      })
      const before = changes.length
      await engine.api.invoke('batch.resume', { batchId: a.batchId })
      await waitFor('a queue.changed event', () => changes.length > before, 2000)
      expect((await settle(engine, a.batchId)).counts.ok).toBe(5)
      await expect(engine.api.invoke('batch.pause', { batchId: 999 })).rejects.toThrow('No batch 999.')
      // Clearing one batch's finished tasks leaves the other's.
      expect(await engine.api.invoke('queue.flush', { status: ['ok'], batchId: a.batchId })).toEqual({
        removed: 5,
      })
      expect((await engine.api.invoke('queue.batches', {})).map((x) => x.id)).toEqual([b.batchId])
    } finally {
      await engine.close()
    }
  })
})
