// An enqueue is all or nothing: `ferry cp --enqueue-only` of 10,000 files, SIGKILLed at random moments
// while it writes its batch. After every kill the database passes integrity_check and no task of an
// unfinished batch is visible to the dispatcher; at the next start the unfinished batch is gone, and
// every batch left is whole.
import { spawn } from 'node:child_process'
import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEngine } from '../helpers/engine'
import { FERRY_BIN, tempDir } from '../helpers/ferry'

const FILES = 10_000
const KILLS = 50

/**
 * Runs `ferry cp --enqueue-only`; with `killAtWal`, SIGKILLs it once its write-ahead log has grown to
 * that many bytes: a moment inside the batch's writing, whatever the machine's speed.
 */
function enqueue(data: string, src: string, dst: string, killAtWal?: number) {
  return new Promise<{ acked: number | null; walMax: number }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [FERRY_BIN, '--data-dir', data, 'cp', '--enqueue-only', '-q', src, dst],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let stderr = ''
    child.stderr.on('data', (d) => {
      stderr += d
    })
    let walMax = 0
    const watch = setInterval(() => {
      const size = statSync(join(data, 'ferry.db-wal'), { throwIfNoEntry: false })?.size ?? 0
      walMax = Math.max(walMax, size)
      if (killAtWal !== undefined && size >= killAtWal) child.kill('SIGKILL')
    }, 1)
    child.on('error', reject)
    child.on('exit', () => {
      clearInterval(watch)
      // The batch counts as acknowledged once the command printed its number.
      const m = /batch (\d+): 10000 files/.exec(stderr)
      resolve({ acked: m ? Number(m[1]) : null, walMax })
    })
  })
}

describe('an enqueue killed half-way', () => {
  const tmp = tempDir('ferry-enqueue-crash-')
  const src = join(tmp.path, 'lib')
  const data = join(tmp.path, 'data')
  const db = join(data, 'ferry.db')
  beforeAll(() => {
    for (let d = 0; d < 100; d++) {
      mkdirSync(join(src, `Album ${d}`), { recursive: true })
      for (let f = 0; f < FILES / 100; f++) writeFileSync(join(src, `Album ${d}`, `${f} Track.mp3`), 'x')
    }
  })
  afterAll(() => tmp.remove())

  it(`is never seen in part: ${KILLS} SIGKILLs at random moments`, async () => {
    const clean = await enqueue(data, src, join(tmp.path, 'dst-clean'))
    expect(clean.acked).not.toBeNull()
    let killedMidWrite = 0
    for (let i = 0; i < KILLS; i++) {
      // Kill points spread over the batch's writing (as the log grows), and a few past its end.
      const at = Math.round(clean.walMax * (0.05 + Math.random() * 1.0))
      const r = await enqueue(data, src, join(tmp.path, `dst-${i}`), at)
      const sqlite = new Database(db)
      try {
        expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
        const unsealed = sqlite.prepare('SELECT id FROM batches WHERE sealed = 0').pluck().all() as number[]
        if (unsealed.length) killedMidWrite++
        // Not one task of an unfinished batch is ready to run.
        const visible = sqlite
          .prepare(
            `SELECT count(*) FROM tasks t JOIN batches b ON b.id = t.batch_id
             WHERE b.sealed = 0 AND t.status = 'pending' AND t.waiting IS NOT 'enqueue'`,
          )
          .pluck()
          .get()
        expect(visible).toBe(0)
        const sealedSizes = sqlite
          .prepare(
            `SELECT count(t.id) FROM batches b LEFT JOIN tasks t ON t.batch_id = b.id
             WHERE b.sealed = 1 GROUP BY b.id`,
          )
          .pluck()
          .all()
        for (const n of sealedSizes) expect(n).toBe(FILES)
        if (r.acked !== null) {
          const sealed = sqlite.prepare('SELECT sealed FROM batches WHERE id = ?').pluck().get(r.acked)
          expect(sealed, `acknowledged batch ${r.acked}`).toBe(1)
        }
        // Keep the database small: whole batches are checked and done with.
        sqlite.exec('DELETE FROM tasks WHERE batch_id IN (SELECT id FROM batches WHERE sealed = 1)')
        sqlite.exec('DELETE FROM batches WHERE sealed = 1')
      } finally {
        sqlite.close()
      }
    }
    // Some kills must have landed while a batch was being written, or the test proves nothing.
    console.log(`${KILLS} kills, ${killedMidWrite} of them while a batch was being written`)
    expect(killedMidWrite).toBeGreaterThan(5)

    // The next engine removes what was left unfinished before anyone sees it.
    const last = await enqueue(data, src, join(tmp.path, 'dst-last'), Math.round(clean.walMax * 0.5))
    const engine = await openEngine(data, { work: false })
    try {
      const batches = await engine.api.invoke('queue.batches', { limit: 1000 })
      expect(batches.map((b) => b.id)).toEqual(last.acked === null ? [] : [last.acked])
      for (const b of batches) expect(Object.values(b.counts).reduce((a, n) => a + n, 0)).toBe(FILES)
    } finally {
      await engine.close()
    }
    const sqlite = new Database(db, { readonly: true })
    expect(sqlite.prepare('SELECT count(*) FROM batches WHERE sealed = 0').pluck().get()).toBe(0)
    sqlite.close()
  }, 180_000)
})
