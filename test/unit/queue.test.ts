import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { migrations } from '../../src/main/engine/db/migrations'
import { type Db, migrate, openDatabase } from '../../src/main/engine/db/open'
import { backoffMs, followUpRows, MAX_INTERRUPTIONS, Queue } from '../../src/main/engine/queue/queue'
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
  for (let t = q.claim(lane); t; t = q.claim(lane)) ids.push(t.id)
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
    const first = q.claim('transfer')
    expect(first?.status).toBe('active')
    expect(first?.attempts).toBe(1)
    expect(q.claim('transfer')).toBeUndefined()
  })

  it('spawned children run before siblings, and their parent ends with them', async () => {
    const [parent, sibling] = await q.putMany(batch, [echo(), echo()])
    expect(q.claim('transfer')?.id).toBe(parent)
    const child = q.put(batch, { ...echo(), parentId: parent })
    q.finish(parent!, 'ok', null)
    expect(q.get(parent!)).toMatchObject({ status: 'active', waiting: 'children' })
    expect(q.claim('transfer')?.id).toBe(child.id)
    q.finish(child.id, 'ok', null)
    expect(q.get(parent!)?.status).toBe('ok')
    expect(q.claim('transfer')?.id).toBe(sibling)
  })

  it('a parent fails when a child fails', async () => {
    const [parent] = await q.putMany(batch, [echo()])
    q.claim('transfer')
    const child = q.put(batch, { ...echo(), parentId: parent, maxAttempts: 1 })
    q.finish(parent!, 'ok', null)
    q.claim('transfer')
    q.fail(child.id, 'disk on fire', true)
    expect(q.get(parent!)).toMatchObject({ status: 'fail', error: '1 of its follow-up tasks failed.' })
  })

  it('a parent whose follow-up was cancelled ends cancelled, not failed', async () => {
    const [parent] = await q.putMany(batch, [echo()])
    q.claim('transfer')
    const child = q.put(batch, { ...echo(), parentId: parent })
    q.finish(parent!, 'ok', null)
    expect(q.cancel({ taskId: child.id }).cancelled).toBe(1)
    expect(q.get(parent!)).toMatchObject({ status: 'cancelled', error: null })
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
    q.claim('transfer')
    q.fail(c!, 'nope', true)
    expect(q.get(d!)).toMatchObject({ status: 'fail', error: `Depends on task ${c}, which ended fail.` })
  })
})

describe('failures and retries', () => {
  it('retries with growing backoff up to max_attempts, then fails for good', async () => {
    const [id] = await q.putMany(batch, [{ ...echo(), maxAttempts: 3 }])
    q.claim('transfer')
    expect(q.fail(id!, 'flaky', true)).toBe('retry')
    expect(q.get(id!)).toMatchObject({ status: 'pending', error: 'flaky', runAfter: clock + backoffMs(1) })
    expect(q.claim('transfer')).toBeUndefined() // still backing off
    clock += backoffMs(1)
    expect(q.claim('transfer')?.attempts).toBe(2)
    q.fail(id!, 'flaky', true)
    clock += backoffMs(2) - 1
    expect(q.claim('transfer')).toBeUndefined()
    clock += 1
    expect(q.claim('transfer')?.attempts).toBe(3)
    expect(q.fail(id!, 'flaky again', true)).toBe('fail')
    expect(q.get(id!)).toMatchObject({ status: 'fail', error: 'flaky again' })
    expect(backoffMs(2)).toBeGreaterThan(backoffMs(1))
  })

  it('a failure not worth retrying fails at once; the user can still retry it', async () => {
    const [id] = await q.putMany(batch, [{ ...echo(), maxAttempts: 5 }])
    q.claim('transfer')
    expect(q.fail(id!, 'The source is gone', false)).toBe('fail')
    expect(q.retry({ taskId: id! })).toBe(1)
    expect(q.get(id!)).toMatchObject({ status: 'pending', attempts: 0, error: null })
    expect(q.claim('transfer')?.id).toBe(id)
  })

  it('retry by batch and all touch only failed or cancelled tasks', async () => {
    const ids = await q.putMany(batch, [{ ...echo(), maxAttempts: 1 }, echo(), echo()])
    q.claim('transfer')
    q.fail(ids[0]!, 'x', false)
    q.cancel({ taskId: ids[1]! })
    expect(q.retry({ batchId: batch })).toBe(2)
    expect(q.retry({ all: true })).toBe(0)
  })
})

describe('cancel, priority, flush, recovery', () => {
  it('cancels pending tasks and hands back the active ones to stop', async () => {
    const [a, b] = await q.putMany(batch, [echo(), echo()])
    q.claim('transfer')
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
      q.claim('transfer')
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
    q.claim('transfer')
    q.claim('transfer')
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
      expect(q.claim('transfer')?.id).toBe(a)
      expect(q.recover().requeued).toHaveLength(1)
    }
    q.claim('transfer')
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
    q.claim('transfer')
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

describe("an operation's follow-up tasks", () => {
  const move = { type: 'move' as const, src: '/cache/ab/x.mp3', dst: '/card/x.mp3', bytes: 42 }

  it('go into the parent’s root with its overwrite policy; a sync mark names the version encoded', async () => {
    const [id] = await q.putMany(batch, [
      {
        type: 'convert',
        lane: 'convert',
        src: '/music/x.flac',
        root: '/card',
        priority: 7,
        spec: { overwrite: 'overwrite', sync: { profileId: 3, dst: 'x.mp3', srcSize: 1, srcMtime: 1 } },
      },
    ])
    const parent = q.claim('convert')!
    expect(parent.id).toBe(id)
    expect(followUpRows(parent, [move], { size: 9, mtimeMs: 99 })).toEqual([
      {
        type: 'move',
        lane: 'transfer',
        src: move.src,
        dst: move.dst,
        root: '/card',
        bytesTotal: 42,
        spec: { overwrite: 'overwrite', sync: { profileId: 3, dst: 'x.mp3', srcSize: 9, srcMtime: 99 } },
      },
    ])
    // Without what was encoded, the planned mark; without a policy, skip.
    const plain = { ...parent, spec: {} }
    expect(followUpRows(plain, [move])[0]!.spec).toEqual({ overwrite: 'skip', sync: undefined })

    let alongside = 0
    q.complete(parent, 'encoded', [move], { size: 9, mtimeMs: 99 }, () => alongside++)
    expect(alongside).toBe(1)
    expect(q.get(id!)).toMatchObject({ status: 'active', waiting: 'children', result: 'encoded' })
    const child = q.claim('transfer')!
    expect(child).toMatchObject({ parentId: id, priority: 7, root: '/card', src: move.src, bytesTotal: 42 })
    q.finish(child.id, 'ok', null)
    expect(q.get(id!)?.status).toBe('ok')
  })

  it('an operation with none ends its task at once', async () => {
    await q.putMany(batch, [echo()])
    const t = q.claim('transfer')!
    q.complete(t, 'done')
    expect(q.get(t.id)).toMatchObject({ status: 'ok', result: 'done' })
  })
})

describe('what the rest of the engine asks', () => {
  it("a profile's open sync run, its runs, and a run counted in files", async () => {
    const old = q.createBatch('sync A', 1)
    const [done] = await q.putMany(old, [echo()])
    q.claim('transfer')
    clock += 5
    q.finish(done!, 'ok', null)
    expect(q.openSyncRun(1)).toBeUndefined()
    expect(q.lastFinishedAt(old)).toBe(clock)

    const run = q.createBatch('sync A', 1)
    const [parent] = await q.putMany(run, [echo(), { ...echo(), maxAttempts: 1 }, echo()])
    q.createBatch('sync B', 2)
    expect(q.openSyncRun(1)).toEqual({ batchId: run, openTasks: 3 })
    expect(q.openSyncRun(2)).toBeUndefined() // a batch with no task left runs nothing
    expect(q.syncRuns(1, 2)).toEqual([run, old])
    expect(q.syncRuns(1, 1)).toEqual([run])
    expect(q.syncRuns(2, 2)).toEqual([])
    expect(q.lastFinishedAt(run)).toBeNull()

    q.claim('transfer')
    q.put(run, { ...echo(), parentId: parent }) // a follow-up is not a file of its own
    q.finish(parent!, 'ok', null)
    expect(q.openSyncRun(1)).toEqual({ batchId: run, openTasks: 4 })
    const second = q.claim('transfer')! // the child runs first
    q.finish(second.id, 'ok', null)
    q.claim('transfer')
    const failing = q.get(parent! + 1)!
    q.fail(failing.id, 'x', false)
    expect(q.fileCounts(run)).toMatchObject({ ok: 1, fail: 1, pending: 1 })
    expect(q.openTasks(run)).toBe(1)
  })

  it('which queued converts use a preset, and which files queued tasks still read', async () => {
    const preset = (name: string) => ({ name, hash: 'h', spec: {} as never, extension: 'mp3' })
    const convert = (name: string, src: string) => ({
      type: 'convert' as const,
      lane: 'convert' as const,
      src,
      spec: { preset: preset(name) },
    })
    const [a, , c] = await q.putMany(batch, [
      convert('V0', '/cache/a'),
      convert('V0', '/cache/b'),
      convert('AAC', '/cache/c'),
    ])
    expect(q.tasksUsingPreset('V0')).toBe(2)
    expect(q.tasksUsingPreset('none')).toBe(0)
    expect(q.isReadByOpenTask('/cache/a')).toBe(true)
    expect(q.isReadByOpenTask('/cache/z')).toBe(false)
    q.cancel({ taskId: a! })
    expect(q.tasksUsingPreset('V0')).toBe(1)
    expect(q.isReadByOpenTask('/cache/a')).toBe(false)
    q.claim('convert')
    q.claim('convert')
    expect(q.isReadByOpenTask('/cache/c')).toBe(true) // active still reads
    q.finish(c!, 'ok', null)
    expect(q.isReadByOpenTask('/cache/c')).toBe(false)
    expect(q.tasksUsingPreset('AAC')).toBe(0)
  })

  it('the schema has no lease columns: one engine owns the database; an older one keeps its tasks', () => {
    const columns = (d: Db) =>
      (d.prepare('PRAGMA table_info(tasks)').all() as { name: string }[]).map((c) => c.name)
    expect(columns(db)).not.toContain('lease_owner')
    expect(columns(db)).not.toContain('lease_until')

    const old = new Database(`${dir.path}/old.db`)
    old.pragma('foreign_keys = ON')
    for (const m of migrations.slice(0, -1)) old.exec(m)
    old.pragma(`user_version = ${migrations.length - 1}`)
    old.exec(`INSERT INTO batches (id, label, created_at) VALUES (1, 'old', 0)`)
    old.exec(`INSERT INTO tasks (batch_id, type, lane, status, lease_owner, lease_until, created_at)
              VALUES (1, 'echo', 'transfer', 'active', 'engine-1', 60000, 0)`)
    migrate(old)
    expect(columns(old)).not.toContain('lease_owner')
    expect(old.prepare('SELECT status FROM tasks').pluck().all()).toEqual(['active'])
    expect(new Queue(old).recover().requeued).toHaveLength(1)
    old.close()
  })
})
