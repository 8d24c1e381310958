import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FERRY_BIN, runFerry, tempDir } from '../helpers/ferry'

/** A small seeded generator, so a failing run can be replayed (the seed is printed). */
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const files = (root: string) =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort()

/** A few hundred files, ~250 MB: several seconds of copying, so kills land mid-work. */
const FILES = 400

describe('a real engine killed with SIGKILL again and again', () => {
  const dir = tempDir()
  afterAll(() => dir.remove())

  it('ends with every file at its destination exactly once, no temporary file, no task lost', async () => {
    const seed = Number(process.env.FERRY_CRASH_SEED ?? Date.now() % 100_000)
    console.log(`crash test seed: ${seed} (FERRY_CRASH_SEED=${seed} replays it)`)
    const random = rng(seed)
    const src = join(dir.path, 'lib')
    const dst = join(dir.path, 'card')
    const data = join(dir.path, 'data')
    const expected = new Map<string, Buffer>()
    for (let i = 0; i < FILES; i++) {
      const album = `Album ${String(Math.floor(i / 12)).padStart(2, '0')}`
      const size =
        i % 50 === 0 ? 2_000_000 + Math.floor(random() * 1_000_000) : 1000 + Math.floor(random() * 150_000)
      const content = randomBytes(size)
      mkdirSync(join(src, album), { recursive: true })
      writeFileSync(join(src, album, `${String(i).padStart(3, '0')} Track.flac`), content)
      expected.set(join('lib', album, `${String(i).padStart(3, '0')} Track.flac`), content)
    }

    const enq = await runFerry(['--data-dir', data, 'cp', src, dst, '--enqueue-only', '-q'])
    expect(enq.code).toBe(0)

    let kills = 0
    for (let round = 0; kills < 12 && round < 40; round++) {
      const child = spawn(process.execPath, [FERRY_BIN, '--data-dir', data, 'queue', 'wait', '-q'], {
        stdio: 'ignore',
      })
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
      const delay = 150 + Math.floor(random() * 400) // start-up takes ~250 ms: some kills land in it
      const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timer'), delay))])
      if (early !== 'timer') break // it finished everything before we could kill it
      child.kill('SIGKILL')
      await exited
      kills++
    }
    console.log(`killed ${kills} times`)
    expect(kills).toBeGreaterThanOrEqual(10)

    const last = await runFerry(['--data-dir', data, 'queue', 'wait', '-q'], {}, 120_000)
    expect(last.code).toBe(0)

    // Every file exactly once, with the right content, and nothing else (no temporary file).
    expect(files(dst)).toEqual([...expected.keys()].sort())
    for (const [rel, content] of expected) expect(readFileSync(join(dst, rel)).equals(content)).toBe(true)

    // No task lost, duplicated, or left active.
    const ls = await runFerry(['--data-dir', data, 'queue', 'ls', '--json', '-n', '1000'])
    const page = JSON.parse(ls.stdout) as { total: number; tasks: { status: string; src: string }[] }
    expect(page.total).toBe(FILES)
    expect(new Set(page.tasks.map((t) => t.src)).size).toBe(FILES)
    expect(page.tasks.filter((t) => t.status !== 'ok' && t.status !== 'skip')).toEqual([])
  })
})
