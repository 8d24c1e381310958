// A copy of many small files runs through the transfer worker's group commit (ops/durable.ts): the
// files of a group are written to temporary names, fsynced together, renamed, their folders fsynced
// once, and only then reported and recorded. Here the engine and its worker are SIGKILLed together
// (as in a power cut) at random points of that cycle, again and again. An fsync cannot be seen from
// outside; what can be is its contract: right after each kill, every task the database calls ok has
// its file complete under its final name, with its source's mtime; and after a restart and a rerun,
// every file is there byte for byte, no temporary file is left, and no task is lost or left active.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { openEngine, settle, waitFor } from '../helpers/engine'
import { runFerry, tempDir } from '../helpers/ferry'
import { alive, childPids, sleep, startQueueWait, tempFiles, waitGone } from '../helpers/kills'

/** A small seeded generator, so a failing run can be replayed (the seed is printed). */
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

// Enough that ten kills land before the queue ends: by the tenth, 600–700 of 800 files were done
// (2026-12), and one run in a loaded suite finished after nine.
const FILES = 1600
const KILLS = 10

interface Row {
  id: number
  status: string
  src: string
  dst: string
}

const files = (root: string) =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort()

/** Why the file at `dst` is not a complete copy of `src` with its mtime (undefined when it is). */
function wrongCopy(src: string, dst: string): string | undefined {
  let d
  try {
    d = statSync(dst)
  } catch {
    return `${dst}: missing`
  }
  if (!readFileSync(dst).equals(readFileSync(src))) return `${dst}: content differs`
  const off = Math.abs(d.mtimeMs - statSync(src).mtimeMs)
  return off > 1 ? `${dst}: mtime off by ${off} ms` : undefined
}

describe('a group commit killed at random points', () => {
  const dir = tempDir()
  afterAll(() => dir.remove())

  it('never records a task ok before its file is in place; a rerun ends with every file, no temporary file, no task lost', async () => {
    const started = Date.now()
    const seed = Number(process.env.FERRY_CRASH_SEED ?? Date.now() % 100_000)
    console.log(`group-commit crash seed: ${seed} (FERRY_CRASH_SEED=${seed} replays its files and delays)`)
    const random = rng(seed)
    const src = join(dir.path, 'lib')
    const dst = join(dir.path, 'card')
    const data = join(dir.path, 'data')
    // 1600 small files (1–48 kB) in 8 folders: groups of many files and several folders each.
    const expected = new Map<string, string>() // destination → source
    for (let i = 0; i < FILES; i++) {
      const album = `Album ${i % 8}`
      const name = `${String(i).padStart(3, '0')} Track.flac`
      mkdirSync(join(src, album), { recursive: true })
      const file = join(src, album, name)
      writeFileSync(file, randomBytes(1000 + Math.floor(random() * 47_000)))
      const mtime = 1_500_000_000 + i * 3607 + random()
      utimesSync(file, mtime, mtime)
      expected.set(join(dst, 'lib', album, name), file)
    }
    const enq = await runFerry(['--data-dir', data, 'cp', src, dst, '--enqueue-only', '-q'])
    expect(enq.code, enq.stderr).toBe(0)

    let kills = 0
    let okAtKills = 0
    let mostTemps = 0 // the most temporary files seen at once: more than one is a group in flight
    for (let round = 0; kills < KILLS && round < 3 * KILLS; round++) {
      const before = new Set(tempFiles(dst).map((t) => t.rel))
      const run = startQueueWait(data)
      const { child, exited } = run
      const done = run.done
      // Once it writes, let it run 0–40 ms (a kill may land while files are copied, fsynced,
      // renamed, their folders fsynced, results sent or recorded), then kill engine and worker at once.
      const killed = await (async () => {
        // What the last kill left behind (swept when the engine starts) does not count.
        const fresh = () => tempFiles(dst).some((t) => !before.has(t.rel))
        await waitFor('the engine to write', () => done() || fresh(), 20_000)
        const until = Date.now() + Math.floor(random() * 40)
        let workers: number[] = []
        while (!done() && Date.now() < until) {
          mostTemps = Math.max(mostTemps, tempFiles(dst).length)
          if (!workers.length) workers = childPids(child.pid!)
          await sleep(2)
        }
        if (done()) return undefined
        workers = childPids(child.pid!)
        for (const pid of [child.pid!, ...workers]) {
          try {
            process.kill(pid, 'SIGKILL')
          } catch {
            // already gone
          }
        }
        return workers
      })().catch((err: unknown) => {
        child.kill('SIGKILL')
        throw err
      })
      if (!killed) {
        await run.ranToEnd()
        break
      }
      await exited
      await waitGone(killed)
      kills++
      // Right after the kill, before anything runs again: every task recorded ok has its file.
      const db = new Database(join(data, 'ferry.db'), { readonly: true })
      const ok = db.prepare(`SELECT id, status, src, dst FROM tasks WHERE status = 'ok'`).all() as Row[]
      db.close()
      okAtKills = ok.length
      expect(ok.map((t) => wrongCopy(t.src, t.dst)).filter(Boolean)).toEqual([])
    }

    // The engine once more, to the end.
    const last = await runFerry(['--data-dir', data, 'queue', 'wait', '-q'], {}, 60_000)
    expect(last.code, last.stderr).toBe(0)
    console.log(
      `group commit: ${kills} SIGKILLs of engine and worker; ${okAtKills} tasks ok at the last one; ` +
        `up to ${mostTemps} temporary files at once; took ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
    expect(kills).toBeGreaterThanOrEqual(KILLS)
    expect(mostTemps).toBeGreaterThan(1)

    expect(tempFiles(dst)).toEqual([])
    expect(files(dst)).toEqual([...expected.keys()].map((p) => p.slice(dst.length + 1)).sort())
    expect([...expected].map(([to, from]) => wrongCopy(from, to)).filter(Boolean)).toEqual([])
    const db = new Database(join(data, 'ferry.db'), { readonly: true })
    const rows = db.prepare(`SELECT id, status, src, dst FROM tasks`).all() as Row[]
    db.close()
    expect(rows.length).toBe(FILES)
    expect(new Set(rows.map((t) => t.src)).size).toBe(FILES)
    expect(rows.filter((t) => t.status !== 'ok').map((t) => `${t.id} ${t.status}`)).toEqual([])
  }, 90_000)

  it('a worker killed while it holds a group: each of its tasks is retried (alone) and ends ok', async () => {
    const src = join(dir.path, 'lib2')
    const dst = join(dir.path, 'card2')
    mkdirSync(join(src, 'Album'), { recursive: true })
    mkdirSync(dst)
    for (let i = 0; i < 200; i++) writeFileSync(join(src, 'Album', `${i}.flac`), randomBytes(20_000))
    const engine = await openEngine(join(dir.path, 'data2'))
    try {
      const r = await engine.api.invoke('queue.enqueue', { mode: 'copy', sources: [src], destination: dst })
      // Kill the worker in the same tick as the look: it holds several tasks at once.
      const group = await waitFor('a group in flight', () => {
        const held = engine.pool.running()
        const pid = engine.pool.pids('transfer')[0]
        if (held.length < 2 || !pid) return undefined
        process.kill(pid, 'SIGKILL')
        return { ids: new Set(held.map((t) => t.id)), pid }
      })
      await waitGone([group.pid])
      const p = await settle(engine, r.batchId, 30_000)
      expect(p.counts).toMatchObject({ ok: 200, fail: 0, pending: 0, active: 0 })
      expect(engine.pool.pids('transfer').every(alive)).toBe(true)
      const { tasks } = await engine.api.invoke('queue.list', { batchId: r.batchId, limit: 1000 })
      // The tasks the worker held and had not reported: retried once, each alone (a task that failed
      // never joins a group), and ok. (Some of the group may have reported before the kill landed.)
      const retried = tasks.filter((t) => t.attempts > 1)
      expect(retried.length).toBeGreaterThan(1)
      expect(retried.filter((t) => !group.ids.has(t.id))).toEqual([])
      expect(retried.every((t) => t.attempts === 2 && t.status === 'ok')).toBe(true)
    } finally {
      await engine.close()
    }
    expect(tempFiles(dst)).toEqual([])
    for (let i = 0; i < 200; i++) {
      const name = join('lib2', 'Album', `${i}.flac`)
      expect(readFileSync(join(dst, name)).equals(readFileSync(join(dir.path, name)))).toBe(true)
    }
  }, 60_000)
})
