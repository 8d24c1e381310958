import { describe, expect, it } from 'vitest'
import { extOf, hasExt } from '../../src/main/engine/sync/plan/compare'
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

  it('tells a path has an extension as extOf would, in every case', () => {
    const paths = [
      'a/b.mp3',
      'a/b.MP3',
      'a/b.Mp3',
      'b.mp3',
      '.mp3',
      'mp3',
      'a.mp3/b',
      'a/b.xmp3',
      'a/bmp3',
      'a/b.mp3.flac',
      'a/b.',
      'a/b',
      'a.b/c',
      'a/café.mp3',
      'a/b.mpé',
      'a/b.MPÉ',
      'Ü/Ä.OGG',
      'a/b.m4a',
    ]
    for (const ext of ['mp3', 'flac', 'ogg', 'm4a', 'mpé', '', 'MP3'])
      for (const p of paths) expect(hasExt(p, ext), `${p} ${ext}`).toBe(extOf(p) === ext)
  })
})
