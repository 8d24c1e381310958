// A large file is copied by the kernel (copyFile: copy_file_range or a reflink), which cannot be
// interrupted: a cancel removes the temporary file at once and the task ends cancelled, without the
// pool having to kill its worker, and nothing is left at the destination.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openEngine, settle, waitFor } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'
import { tempFiles } from '../helpers/kills'

describe('cancelling a kernel copy', () => {
  const dir = tempDir()
  afterAll(() => dir.remove())

  it('ends the task cancelled at once, leaves no temporary file, and keeps its worker', async () => {
    const src = join(dir.path, 'lib')
    const dst = join(dir.path, 'card')
    mkdirSync(src)
    mkdirSync(dst)
    const big = Buffer.alloc(64 * 1024 * 1024, 0x5a)
    for (let i = 0; i < 4; i++) writeFileSync(join(src, `${i}.flac`), big)
    const engine = await openEngine(join(dir.path, 'data'))
    try {
      const r = await engine.api.invoke('queue.enqueue', { mode: 'copy', sources: [src], destination: dst })
      const running = await waitFor(
        'a copy under way',
        () => tempFiles(dst).length > 0 && engine.pool.running()[0],
      )
      const pids = engine.pool.pids('transfer')
      const t0 = Date.now()
      await engine.api.invoke('task.cancel', { batchId: r.batchId })
      const p = await settle(engine, r.batchId)
      expect(Date.now() - t0).toBeLessThan(2000) // well before the pool's 3 s kill
      expect(p.counts.cancelled).toBeGreaterThanOrEqual(1)
      const { tasks } = await engine.api.invoke('queue.list', { batchId: r.batchId, limit: 10 })
      expect(tasks.find((t) => t.id === running.id)?.status).toBe('cancelled')
      expect(engine.pool.pids('transfer')).toEqual(pids)
      await waitFor('no temporary file', () => tempFiles(dst).length === 0, 5000)
    } finally {
      await engine.close()
    }
  }, 60_000)
})
