// What each ffmpeg said when run is remembered between engines (engine/ffmpeg/memo.ts), so a one-shot
// command does not run every ffmpeg again before its first encode; a rebuilt binary, and Settings →
// Test (which sets the path it has), run it for real. A real database; a logging stand-in for ffmpeg.
import { existsSync, readFileSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fakeFfmpeg } from '../helpers/fake-ffmpeg'
import { openEngine } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'

describe('ffmpeg, looked at once', () => {
  const tmp = tempDir('ferry-ffmpeg-memo-')
  afterAll(() => tmp.remove())

  it('is not run again by the next engine, but is after a rebuild and after Settings → Test', async () => {
    const log = join(tmp.path, 'runs.log')
    const fake = fakeFfmpeg(tmp.path, { version: '7.1', avutil: '59. 39.100', log })
    const runs = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').length : 0)
    const data = join(tmp.path, 'data')
    const look = async (setPath: boolean) => {
      const engine = await openEngine(data)
      try {
        if (setPath) await engine.api.invoke('settings.set', { ffmpegPath: fake.path })
        const info = (await engine.api.invoke('system.info')).ffmpeg
        if (!info.ok) throw new Error(info.error)
        return info
      } finally {
        await engine.close()
      }
    }

    const first = await look(true)
    expect(first.path).toBe(fake.path)
    expect(first.version).toBe('7.1')
    expect(runs()).toBe(2) // -version and -encoders

    // Another engine (a second `ferry` command): the same answer, and the binary is not run.
    expect(await look(false)).toEqual(first)
    expect(runs()).toBe(2)

    // The binary was rebuilt (another mtime): run again.
    const later = new Date(Date.now() + 60_000)
    utimesSync(fake.path, later, later)
    expect((await look(false)).version).toBe('7.1')
    expect(runs()).toBe(4)

    // Settings → Test sets the path it has: every binary is run for real.
    await look(true)
    expect(runs()).toBe(6)
  })
})
