import { describe, expect, it } from 'vitest'
import { targetKey } from '../../src/main/engine/sync/plan/compare'
import { planPlaylists, type PlaylistsInput } from '../../src/main/engine/sync/plan/playlists'
import { candidate, device, row } from '../helpers/plan-fixtures'

const key = targetKey('fat32')
const list = candidate('/lib/mix.m3u', 'mix.m3u', 'playlist')
const lines = ['#EXTM3U', '#EXTINF:1,One', 'a/1.flac', 'b/2.mp3', 'missing.mp3']

function input(over: Partial<PlaylistsInput> = {}): PlaylistsInput {
  return {
    playlists: [list],
    targetOf: new Map([
      ['/lib/mix.m3u', 'mix.m3u'],
      ['/lib/a/1.flac', 'a/1.mp3'],
    ]),
    key,
    rowAt: new Map(),
    device: device({}),
    profileId: 2,
    anythingChanged: true,
    readLines: async () => lines,
    ...over,
  }
}

describe('plan stage: playlists', () => {
  it("renders a playlist with the tracks' names on the device, dropping what is not there", async () => {
    const skipped = { src: ['/lib/b/2.mp3'], dst: ['b/2.mp3'] }
    const p = await planPlaylists(input(), skipped)
    const content = '#EXTM3U\n#EXTINF:1,One\na/1.mp3\nb/2.mp3\n'
    expect(p.entries).toEqual([
      {
        kind: 'copy',
        src: '/lib/mix.m3u',
        dst: 'mix.m3u',
        bytes: content.length,
        reason: 'Playlist rewritten for the device.',
      },
    ])
    expect(p.actions[0]).toMatchObject({
      kind: 'playlist',
      content,
      overwrite: 'overwrite',
      mark: { profileId: 2 },
    })
    expect(p.actions[0]!.mark.madeBy).toMatch(/^playlist:[0-9a-f]{16}$/)
  })

  it('an unchanged playlist is not even read when nothing else changed; nor rewritten when it renders the same', async () => {
    const first = await planPlaylists(input(), { src: [], dst: [] })
    const written = first.actions[0]!
    const r = row({ src: '/lib/mix.m3u', dst: 'mix.m3u', madeBy: written.mark.madeBy!, dstSize: 10 })
    const there = device({ 'mix.m3u': { size: 10, mtimeMs: 2_000_000 } })
    const skipped = { src: [], dst: [] }
    const unread = await planPlaylists(
      input({
        rowAt: new Map([['mix.m3u', r]]),
        device: there,
        anythingChanged: false,
        readLines: () => Promise.reject(new Error('read')),
      }),
      skipped,
    )
    expect(unread.entries).toEqual([])
    expect(skipped).toEqual({ src: ['/lib/mix.m3u'], dst: ['mix.m3u'] })
    const same = await planPlaylists(input({ rowAt: new Map([['mix.m3u', r]]), device: there }), {
      src: [],
      dst: [],
    })
    expect(same.entries).toEqual([])
  })

  it('never overwrites a playlist file Ferry did not write', async () => {
    const p = await planPlaylists(input({ device: device({ 'mix.m3u': { size: 5, mtimeMs: 1 } }) }), {
      src: [],
      dst: [],
    })
    expect(p.entries.map((e) => e.kind)).toEqual(['conflict'])
    expect(p.actions).toEqual([])
  })
})
