// Two ferry commands at once on one data folder: the second attaches to the engine the first one
// started (no refusal), and the first one's engine stays until the second is done.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeLongFlac } from '../helpers/audio'
import { waitFor } from '../helpers/engine'
import { FERRY_BIN, runFerry, tempDir } from '../helpers/ferry'

function start(args: string[]) {
  const child = spawn(process.execPath, [FERRY_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const done = new Promise<{ code: number | null; at: number; out: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, at: Date.now(), out })),
  )
  return { child, done, output: () => out }
}

describe('ferry commands side by side', () => {
  const tmp = tempDir('ferry-side-')
  const path = (...p: string[]) => join(tmp.path, ...p)
  const data = path('data')
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) await makeLongFlac(path('a', `A${i}.flac`), 20)
    for (let i = 0; i < 4; i++) await makeLongFlac(path('b', `B${i}.flac`), 20)
  }, 60_000)
  afterAll(() => tmp.remove())

  it('the second attaches to the first one’s engine, which stays until the second is done', async () => {
    const first = start(['--data-dir', data, 'convert', '-q', path('a'), path('out-a')])
    // Once the first command's engine has published itself, a second command uses it.
    await waitFor('the first engine to publish its port', () => {
      try {
        return JSON.parse(readFileSync(join(data, 'run', 'engine.json'), 'utf8')).port
      } catch {
        return undefined
      }
    })
    const info = await runFerry(['--data-dir', data, 'info'])
    expect(info.code).toBe(0)
    expect(info.stdout).toContain('engine:    cli (the running engine)')
    expect(info.stdout).not.toContain('started for this command')
    const second = start(['--data-dir', data, 'convert', '-q', path('b'), path('out-b')])
    const [a, b] = await Promise.all([first.done, second.done])
    expect(a.code, a.out).toBe(0)
    expect(b.code, b.out).toBe(0)
    expect(readdirSync(path('out-a', 'a'))).toHaveLength(2)
    expect(readdirSync(path('out-b', 'b'))).toHaveLength(4)
    // The first command's own batch ended first; its engine waited for the second one.
    expect(a.at).toBeGreaterThanOrEqual(b.at)
    expect(a.out).toContain('other ferry command(s) using this engine')
    expect(existsSync(join(data, 'run', 'engine.json'))).toBe(false)
  }, 120_000)

  it('commands started at the same moment on a new data folder all succeed: one hosts, the rest attach', async () => {
    const fresh = path('fresh-data')
    const all = await Promise.all(
      Array.from({ length: 4 }, () => start(['--data-dir', fresh, 'settings', '--json']).done),
    )
    for (const r of all) expect(r.code, r.out).toBe(0)
    expect(existsSync(join(fresh, 'run', 'engine.json'))).toBe(false)
  }, 60_000)
})
