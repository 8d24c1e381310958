import { describe, expect, it } from 'vitest'
import { extOf } from '../../src/main/engine/sync/plan/compare'
import { selectFile, selectionRules } from '../../src/main/engine/sync/plan/select'

const profile = {
  include: [] as string[],
  exclude: [] as string[],
  includeGlobs: [] as string[],
  excludeGlobs: [] as string[],
  nonAudio: 'covers' as const,
  playlists: 'rewrite' as const,
}
const pick = (rel: string, over: Partial<typeof profile> | Record<string, unknown> = {}) =>
  selectFile(selectionRules({ ...profile, ...over }), rel, extOf(rel))

describe('plan stage: select', () => {
  it('takes audio, playlists and covers by default, and nothing else', () => {
    expect(pick('A/B/01 Song.FLAC')).toBe('audio')
    expect(pick('A/B/01 Song.mp3')).toBe('audio')
    expect(pick('A/list.m3u8')).toBe('playlist')
    expect(pick('A/B/cover.jpg')).toBe('copy')
    expect(pick('A/B/Folder.PNG')).toBe('copy')
    expect(pick('A/B/booklet.pdf')).toBeNull()
    expect(pick('A/B/notes.txt')).toBeNull()
    expect(pick('A/B/README')).toBeNull()
  })

  it('copies every other file, or none, as the profile says; skips playlists when told', () => {
    expect(pick('A/booklet.pdf', { nonAudio: 'all' })).toBe('copy')
    expect(pick('A/cover.jpg', { nonAudio: 'none' })).toBeNull()
    expect(pick('A/list.m3u', { playlists: 'skip' })).toBeNull()
  })

  it('an extension whitelist keeps playlists; an exclusion and globs leave files out', () => {
    expect(pick('A/1.mp3', { include: ['flac'] })).toBeNull()
    expect(pick('A/1.flac', { include: ['flac'] })).toBe('audio')
    expect(pick('A/list.m3u', { include: ['flac'] })).toBe('playlist')
    expect(pick('A/1.flac', { exclude: ['flac'] })).toBeNull()
    expect(pick('Live/1.flac', { includeGlobs: ['Studio/**'] })).toBeNull()
    expect(pick('Studio/1.flac', { includeGlobs: ['Studio/**'] })).toBe('audio')
    expect(pick('Studio/.hidden/1.flac', { excludeGlobs: ['**/.hidden/**'] })).toBeNull()
  })

  it('reads the extension of the last component only, lower-cased', () => {
    expect(extOf('a.b/c')).toBe('')
    expect(extOf('a/c.FlaC')).toBe('flac')
  })
})
