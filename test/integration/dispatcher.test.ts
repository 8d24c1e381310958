import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import { openEngine, settle, waitFor } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'

let dir: ReturnType<typeof tempDir>
let engine: Engine
const path = (...p: string[]) => join(dir.path, ...p)

beforeAll(async () => {
  dir = tempDir()
  engine = await openEngine(path('data'), { workers: { transfer: 2, convert: 1 } })
})
afterAll(async () => {
  await engine.close()
  dir.remove()
})

const sleep = (count: number, ms: number, extra = {}) =>
  engine.api.invoke('queue.enqueue', { mode: 'sleep', count, ms, ...extra })
const counts = async (batchId: number) => (await engine.api.invoke('queue.progress', { batchId })).counts
const firstTask = async (batchId: number) =>
  (await engine.api.invoke('queue.list', { batchId, sort: 'oldest', limit: 1 })).tasks[0]!

describe('the dispatcher and its workers', () => {
  it('pause lets running tasks finish and starts none; resume goes on', async () => {
    const b = await sleep(4, 300)
    await waitFor('two running', async () => (await counts(b.batchId)).active === 2)
    await engine.api.invoke('queue.pause')
    await waitFor('running ones to finish', async () => (await counts(b.batchId)).active === 0)
    await new Promise((r) => setTimeout(r, 700))
    expect(await counts(b.batchId)).toMatchObject({ ok: 2, pending: 2, active: 0 })
    expect((await engine.api.invoke('queue.progress')).paused).toBe(true)
    await engine.api.invoke('queue.resume')
    expect((await settle(engine, b.batchId)).counts.ok).toBe(4)
  })

  it('"pause now" stops running tasks and requeues them without spending an attempt', async () => {
    const b = await sleep(1, 5000)
    await waitFor('running', async () => (await counts(b.batchId)).active === 1)
    await engine.api.invoke('queue.pause', { now: true })
    await waitFor('requeued', async () => (await counts(b.batchId)).pending === 1)
    const t = await firstTask(b.batchId)
    expect(t).toMatchObject({ status: 'pending', attempts: 0 })
    await engine.api.invoke('task.cancel', { batchId: b.batchId })
    await engine.api.invoke('queue.resume')
  })

  it('cancel stops a running task; the worker lives on for the next task', async () => {
    const before = engine.pool.pids('transfer')
    const b = await sleep(1, 10_000)
    await waitFor('running', async () => (await counts(b.batchId)).active === 1)
    const t0 = Date.now()
    await engine.api.invoke('task.cancel', { taskId: (await firstTask(b.batchId)).id })
    await settle(engine, b.batchId)
    expect(Date.now() - t0).toBeLessThan(2000)
    expect((await firstTask(b.batchId)).status).toBe('cancelled')
    expect(engine.pool.pids('transfer')).toEqual(before)
  })

  it('a worker killed mid-task: the task is retried and completes, and the pool is back to full size', async () => {
    const b = await sleep(1, 1500, { maxAttempts: 3 })
    await waitFor('running', async () => (await counts(b.batchId)).active === 1)
    const progress = await engine.api.invoke('queue.progress')
    const busy = progress.workers.find((w) => w.taskId !== null)!
    process.kill(busy.pid!, 'SIGKILL')
    await waitFor('the pool to be full again', () => {
      const pids = engine.pool.pids('transfer')
      return pids.length === 2 && !pids.includes(busy.pid!)
    })
    const failedOnce = await waitFor('the retry to be scheduled', async () => {
      const t = await firstTask(b.batchId)
      return t.error?.includes('was killed (SIGKILL)') ? t : undefined
    })
    expect(failedOnce.status).toBe('pending')
    // The backoff is 2 s; then the task runs again on a fresh worker.
    const done = await settle(engine, b.batchId, 15_000)
    expect(done.counts.ok).toBe(1)
    expect((await firstTask(b.batchId)).attempts).toBe(2)
  })

  it('an unplugged destination makes its tasks wait, not fail; they resume when it returns', async () => {
    mkdirSync(path('src'), { recursive: true })
    for (let i = 0; i < 5; i++) writeFileSync(path('src', `t${i}.flac`), `track ${i}`)
    mkdirSync(path('card'))
    await engine.api.invoke('queue.pause')
    const b = await engine.api.invoke('queue.enqueue', {
      mode: 'copy',
      sources: [path('src')],
      destination: path('card'),
    })
    renameSync(path('card'), path('card-unplugged')) // the card goes away
    await engine.api.invoke('queue.resume')
    const waiting = await waitFor('tasks to wait', async () => {
      const p = await engine.api.invoke('queue.progress', { batchId: b.batchId })
      return p.waitingFor.length ? p : undefined
    })
    expect(waiting.waitingFor).toEqual([
      { batchId: b.batchId, root: path('card'), tasks: 5, problem: 'absent' },
    ])
    expect(waiting.eta).toBeNull() // nothing can move: no time is promised
    expect(waiting.counts.fail).toBe(0)
    await new Promise((r) => setTimeout(r, 800))
    expect((await counts(b.batchId)).pending).toBe(5)
    renameSync(path('card-unplugged'), path('card')) // plugged back in
    expect((await settle(engine, b.batchId)).counts.ok).toBe(5)
    expect(readFileSync(path('card/src/t4.flac'), 'utf8')).toBe('track 4')
  })

  it('delivers at most 10 progress messages a second to a client, whatever the task rate', async () => {
    const stamps: number[] = []
    const off = engine.api.on('queue.progress', () => stamps.push(Date.now()))
    const b = await engine.api.invoke('queue.enqueue', { mode: 'echo', count: 3000 })
    await settle(engine, b.batchId, 60_000)
    await new Promise((r) => setTimeout(r, 150))
    off()
    expect(stamps.length).toBeGreaterThan(3)
    for (let i = 0; i + 10 < stamps.length; i++) {
      expect(stamps[i + 10]! - stamps[i]!).toBeGreaterThanOrEqual(990) // any 11 messages span ≥ 1 s
    }
    expect((await counts(b.batchId)).ok).toBe(3000)
  })
})

describe('bad input changes nothing', () => {
  const enqueue = (sources: string[], destination: string) =>
    engine.api.invoke('queue.enqueue', { mode: 'copy', sources, destination })
  const batches = async () => (await engine.api.invoke('queue.batches', {})).length

  it('refuses with a clear message and enqueues nothing', async () => {
    mkdirSync(path('bad/lib/Album'), { recursive: true })
    writeFileSync(path('bad/lib/Album/a.flac'), 'a')
    writeFileSync(path('bad/afile'), 'x')
    const before = await batches()
    const cases: [string[], string, RegExp][] = [
      [[path('bad/nope')], path('bad/out1'), /The source does not exist: .*bad\/nope/],
      [[path('bad/lib')], path('bad/lib/Album/inside'), /is inside the source/],
      [[path('bad/lib')], path('bad/afile'), /The destination is a file, not a folder/],
      [[path('bad/lib')], path('bad/afile/sub'), /A file stands where a folder is expected/],
      [
        [path('bad/afile/x.flac')],
        path('bad/out2'),
        /A file stands where a folder is expected in the source/,
      ],
      [
        [path('bad/lib/Album'), path('bad/missing.flac')],
        path('bad/out3'),
        /does not exist: .*missing\.flac/,
      ],
    ]
    for (const [sources, destination, message] of cases) {
      await expect(enqueue(sources, destination)).rejects.toThrow(message)
    }
    await expect(enqueue([`${path('bad/lib')}\0x`], path('bad/out4'))).rejects.toThrow(/NUL byte/)
    expect(await batches()).toBe(before)
    for (const out of ['out1', 'out2', 'out3', 'out4', 'lib/Album/inside'])
      expect(existsSync(path('bad', out))).toBe(false)
  })

  it('a source that vanishes after enqueue fails its task with the reason; the rest completes', async () => {
    mkdirSync(path('gone'), { recursive: true })
    writeFileSync(path('gone/a.flac'), 'a')
    writeFileSync(path('gone/b.flac'), 'b')
    await engine.api.invoke('queue.pause')
    const b = await enqueue([path('gone')], path('gone-out'))
    renameSync(path('gone/a.flac'), path('gone-a-moved'))
    await engine.api.invoke('queue.resume')
    await settle(engine, b.batchId)
    const { tasks } = await engine.api.invoke('queue.list', { batchId: b.batchId, sort: 'oldest' })
    expect(tasks.map((t) => [t.status, t.error])).toEqual([
      ['fail', `The source is gone: ${path('gone/a.flac')}`],
      ['ok', null],
    ])
  })

  it('an engine opened without work (ferry info, --enqueue-only) runs nothing it is given, until told to work', async () => {
    const idle = await openEngine(path('idle-data'), { work: false })
    try {
      const b = await idle.api.invoke('queue.enqueue', { mode: 'sleep', count: 3, ms: 10 })
      await new Promise((r) => setTimeout(r, 1000))
      const p = await idle.api.invoke('queue.progress', { batchId: b.batchId })
      expect(p.counts).toMatchObject({ pending: 3, active: 0, ok: 0 })
      expect(p.workers.every((w) => w.pid === null)).toBe(true) // no worker was even started
      await idle.api.invoke('queue.work')
      expect((await settle(idle, b.batchId)).counts.ok).toBe(3)
    } finally {
      await idle.close()
    }
  })
})
