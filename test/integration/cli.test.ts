import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT, runFerry, tempDir } from '../helpers/ferry'

const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string }

describe('the ferry command', () => {
  const dir = tempDir()
  const env = { FERRY_DATA_DIR: dir.path }
  afterAll(() => dir.remove())

  it('`npm start` without the Electron binary says so in one line and serves the web UI', async () => {
    const { spawnSync } = await import('node:child_process')
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--stop-with-stdin'], {
      encoding: 'utf8',
      input: '', // stdin closes at once: the server stops by itself
      env: {
        ...process.env,
        FERRY_DATA_DIR: join(dir.path, 'start'),
        FERRY_START_NO_BUILD: '1',
        // Electron's own override of where its binary lives: an empty folder, as where it was never downloaded.
        ELECTRON_OVERRIDE_DIST_PATH: join(dir.path, 'no-electron'),
      },
      timeout: 30_000,
    })
    expect(r.status).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toBe(
      "Electron's binary is not installed here, so the desktop app cannot open: starting the web UI instead (ferry serve).",
    )
    expect(r.stdout).toMatch(/http:\/\/127\.0\.0\.1:\d+\/#token=/)
  })

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
    expect(r.stdout).toMatch(/^ffmpeg: {4}\S+ \((bundled|on PATH): /m)
  })

  it('a ffmpeg named by FFMPEG_PATH that does not exist is reported, and the next one is used', async () => {
    const r = await runFerry(['info', '--json'], { ...env, FFMPEG_PATH: '/nonexistent/ffmpeg' })
    expect(r.code).toBe(0)
    const f = JSON.parse(r.stdout).ffmpeg
    expect(['bundled', 'path']).toContain(f.source)
    expect(f.candidates[0]).toMatchObject({ source: 'env', verdict: 'missing', reason: 'not found' })
  })
})
