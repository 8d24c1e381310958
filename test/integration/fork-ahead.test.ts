// A one-shot command forks its first worker while its engine loads (workers/fork.ts, forkAhead): the
// early worker must be the one the pool uses, its 'ready' not lost, and none left running. Real
// worker processes (out/main/worker.js, built by `npm run build`).
import { randomUUID } from 'node:crypto'
import { type Dirent, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { FromWorker } from '../../src/main/engine/workers/protocol'
import { findWorkerScript, forkAhead } from '../../src/main/engine/workers/fork'
import { runFerry, tempDir } from '../helpers/ferry'

/** Live processes whose environment holds `tag` (workers inherit the environment they were forked with). */
function processesTagged(tag: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(tag)) pids.push(Number(entry))
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids
}

async function withTag<T>(act: (tag: string) => T): Promise<T> {
  const tag = `FERRY_TEST_TAG=${randomUUID()}`
  const before = process.env.FERRY_TEST_TAG
  process.env.FERRY_TEST_TAG = tag.split('=')[1]
  try {
    return await act(tag)
  } finally {
    if (before === undefined) delete process.env.FERRY_TEST_TAG
    else process.env.FERRY_TEST_TAG = before
  }
}

describe('workers forked ahead of the engine', () => {
  const dir = tempDir()
  afterAll(() => dir.remove())

  it("hands the pool the early worker, with the 'ready' it sent before anyone listened", async () => {
    await withTag(async (tag) => {
      const ahead = forkAhead(['transfer-0'])
      await expect.poll(() => processesTagged(tag).length).toBe(1)
      const [early] = processesTagged(tag)
      await new Promise((r) => setTimeout(r, 1500)) // long enough for the worker to have said 'ready'
      const channel = ahead.spawn(findWorkerScript(), 'transfer-0')
      expect(channel.pid).toBe(early)
      const heard: FromWorker[] = []
      channel.onMessage((m) => heard.push(m))
      expect(heard).toEqual([{ type: 'ready' }])
      // Taken once: the next start of that slot (a worker that died) is a new process.
      const again = ahead.spawn(findWorkerScript(), 'transfer-0')
      expect(again.pid).not.toBe(early)
      channel.kill()
      again.kill()
      ahead.dispose()
      await expect.poll(() => processesTagged(tag)).toEqual([])
    })
  })

  it('kills the workers the engine never took', async () => {
    await withTag(async (tag) => {
      const ahead = forkAhead(['transfer-0', 'convert-0'])
      await expect.poll(() => processesTagged(tag).length).toBe(2)
      ahead.dispose()
      await expect.poll(() => processesTagged(tag)).toEqual([])
    })
  })

  it('`ferry cp` leaves no worker behind, with files to copy or none', async () => {
    const src = join(dir.path, 'src', 'Album')
    mkdirSync(src, { recursive: true })
    for (let i = 0; i < 3; i++) writeFileSync(join(src, `${i}.flac`), `track ${i}`)
    const empty = join(dir.path, 'empty')
    mkdirSync(empty)
    for (const [from, files] of [
      [src, ['Album/0.flac', 'Album/1.flac', 'Album/2.flac']],
      [empty, []],
    ] as const) {
      await withTag(async (tag) => {
        const out = join(dir.path, `out-${files.length}`)
        mkdirSync(out)
        const r = await runFerry(['--data-dir', join(dir.path, 'data'), 'cp', '-q', from, out], {
          FERRY_TEST_TAG: tag.split('=')[1],
        })
        expect(r.code, r.stderr).toBe(0)
        expect(
          (readdirSync(out, { recursive: true, withFileTypes: true }) as Dirent[])
            .filter((e) => e.isFile())
            .map((e) => relative(out, join(e.parentPath, e.name)))
            .sort(),
        ).toEqual(files)
        expect(processesTagged(tag)).toEqual([])
      })
    }
  })
})
