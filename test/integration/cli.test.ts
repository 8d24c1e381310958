import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT, runFerry, tempDir } from '../helpers/ferry'

const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string }

describe('the ferry command', () => {
  const dir = tempDir()
  const env = { FERRY_DATA_DIR: dir.path }
  afterAll(() => dir.remove())

  it('--version and --help exit 0', async () => {
    const v = await runFerry(['--version'], env)
    expect(v).toMatchObject({ code: 0 })
    expect(v.stdout.trim()).toBe(pkg.version)
    const h = await runFerry(['--help'], env)
    expect(h.code).toBe(0)
    expect(h.stdout).toMatch(/serve .*\n.*info|info[\s\S]*serve|serve[\s\S]*info/)
  })

  it('usage errors exit 2 with a clear message', async () => {
    const bad = await runFerry(['frobnicate'], env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("unknown command 'frobnicate'")
    const port = await runFerry(['serve', '--port', 'eighty'], env)
    expect(port.code).toBe(2)
    expect(port.stderr).toContain('a port is a whole number')
    expect((await runFerry([], env)).code).toBe(2)
  })

  it('`ferry info` runs its own engine when none is running, honouring FERRY_DATA_DIR', async () => {
    const r = await runFerry(['info'], env)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('engine:    cli (started for this command)')
    expect(r.stdout).toContain(`database:  ${dir.path}/ferry.db`)
    expect(r.stdout).toMatch(/ffmpeg: {4}\S+ \(bundled: /)
  })

  it('a ffmpeg named by FFMPEG_PATH that does not exist is reported, and the next one is used', async () => {
    const r = await runFerry(['info', '--json'], { ...env, FFMPEG_PATH: '/nonexistent/ffmpeg' })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).ffmpeg.source).toBe('bundled')
  })
})
