// `ferry info` says which ffmpeg it chose and why each other one was passed over.
import { afterAll, describe, expect, it } from 'vitest'
import type { SystemInfo } from '../../src/shared/model'
import { FFMPEG } from '../helpers/audio'
import { fakeFfmpeg } from '../helpers/fake-ffmpeg'
import { runFerry, tempDir } from '../helpers/ferry'

describe('ferry info and the ffmpeg it chose', () => {
  const tmp = tempDir('ferry-ffmpeg-info-')
  afterAll(() => tmp.remove())

  it('reports the newest, and a FFMPEG_PATH that is not there', async () => {
    const newer = fakeFfmpeg(tmp.path, { version: '7.1', avutil: '59. 39.100' })
    const env = { FFMPEG_PATH: '/nonexistent/ffmpeg', PATH: newer.dir }
    const text = await runFerry(['--data-dir', tmp.path, 'info'], env)
    expect(text.code).toBe(0)
    const lines = text.stdout.split('\n')
    const at = lines.findIndex((l) => l.startsWith('ffmpeg:'))
    expect(lines.slice(at, at + 4)).toEqual([
      `ffmpeg:    7.1 (on PATH: ${newer.path})`,
      '           7.x, 2024; chosen: the newest of the 2 that run and have every encoder Ferry uses',
      '           not used: /nonexistent/ffmpeg (FFMPEG_PATH): not found',
      `           not used: ${FFMPEG} (bundled), N-47683-g0e8eb07980-static (4.x, 2018): older than the one chosen`,
    ])

    const json = await runFerry(['--data-dir', tmp.path, 'info', '--json'], env)
    const info = (JSON.parse(json.stdout) as SystemInfo).ffmpeg
    expect(info.ok && info.path).toBe(newer.path)
    expect(info.candidates.map((c) => [c.source, c.verdict])).toEqual([
      ['env', 'missing'],
      ['bundled', 'older'],
      ['path', 'chosen'],
    ])
  })

  it('with no ffmpeg that runs, fails and lists what it tried', async () => {
    const broken = fakeFfmpeg(tmp.path, { broken: true })
    const r = await runFerry(['--data-dir', tmp.path, 'info'], { FFMPEG_PATH: broken.path, PATH: '' })
    // The bundled one still runs: only a user's own ffmpeg can be broken here.
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`not used: ${broken.path} (FFMPEG_PATH): failed to run: Command failed:`)
  })
})
