import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeFixtures, readAudio } from '../helpers/audio'
import { runFerry, tempDir } from '../helpers/ferry'

describe('ferry convert / cache', () => {
  const dir = tempDir('ferry-cli-convert-')
  const path = (...p: string[]) => join(dir.path, ...p)
  const ferry = (...args: string[]) => runFerry(['--data-dir', path('data'), ...args], {}, 60_000)
  afterAll(() => dir.remove())
  beforeAll(async () => {
    await makeFixtures(path('Album'), 2)
  }, 60_000)

  it('converts an album: lossless to MP3 V0 with tags and art, lossy copied, live display, exit 0', async () => {
    const r = await ferry('convert', path('Album'), path('card'), '-I', 'png')
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/batch \d+: 8 files/)
    expect(r.stderr).toMatch(/tasks/)
    const names = readdirSync(path('card/Album')).sort()
    expect(names).toContain('01 Song with spaces.mp3')
    expect(names).toContain('08 opus.opus')
    const mp3 = await readAudio(path('card/Album/01 Song with spaces.mp3'))
    expect(mp3.codec).toBe('MPEG 1 Layer 3')
    expect(mp3.tags.title).toBe('Tïtle — 曲名')
    expect(mp3.art).toBe(true)
  })

  it('--preset and --remove-art are honoured; an unknown preset is a usage error that writes nothing', async () => {
    const r = await ferry(
      'convert',
      '--preset',
      'mp3-320',
      '--remove-art',
      path('Album/01 Song with spaces.flac'),
      path('card2'),
    )
    expect(r.code).toBe(0)
    const out = await readAudio(path('card2/01 Song with spaces.mp3'))
    expect(out.bitrate).toBe(320_000)
    expect(out.art).toBe(false)
    const bad = await ferry('convert', '--preset', 'wav-hifi', path('Album'), path('card3'))
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/No preset named "wav-hifi"/)
    expect(existsSync(path('card3'))).toBe(false)
  })

  it('cache stats / limit / clear', async () => {
    const stats = await ferry('cache', 'stats', '--json')
    expect(stats.code).toBe(0)
    const s = JSON.parse(stats.stdout) as { entries: number; bytes: number; maxBytes: number }
    expect(s.entries).toBe(5) // 4 lossless sources at V0, 1 at 320 without art
    expect(s.maxBytes).toBe(2 * 1024 ** 3)
    expect((await ferry('cache', 'limit', '500M')).stdout).toContain('500.0 MiB')
    expect((await ferry('cache', 'limit', 'lots')).code).toBe(2)
    const cleared = await ferry('cache', 'clear')
    expect(cleared.stdout).toMatch(/Removed 5 encoded files/)
    expect(JSON.parse((await ferry('cache', 'stats', '--json')).stdout).entries).toBe(0)
  })
})
