import { describe, expect, it } from 'vitest'
import { nameTargets } from '../../src/main/engine/sync/plan/name'
import { candidate, row } from '../helpers/plan-fixtures'

describe('plan stage: name', () => {
  it('converted files get the preset extension; names are made safe for the target filesystem', () => {
    const t = nameTargets(
      [
        candidate('/s/A: B/1.flac', 'A: B/1.flac', 'convert'),
        candidate('/s/A: B/c.jpg', 'A: B/c.jpg', 'copy'),
      ],
      [],
      'fat32',
      'mp3',
    )
    expect(Object.fromEntries(t.targetOf)).toEqual({
      '/s/A: B/1.flac': 'A_ B/1.mp3',
      '/s/A: B/c.jpg': 'A_ B/c.jpg',
    })
  })

  it('what is on the device keeps its name; a new file that collides with it is named around it', () => {
    const known = candidate('/s/b/Song.flac', 'b/Song.flac', 'convert', {
      row: row({ src: '/s/b/Song.flac', dst: 'b/Song.mp3' }),
    })
    const fresh = candidate('/s/b/song.mp3', 'b/song.mp3', 'copy')
    // The new file comes first in scan order, but Ferry's own file keeps its name.
    const t = nameTargets([fresh, known], [], 'fat32', 'mp3')
    expect(t.ordered).toEqual([known, fresh])
    expect(t.targetOf.get('/s/b/Song.flac')).toBe('b/Song.mp3')
    expect(t.targetOf.get('/s/b/song.mp3')).not.toBe('b/song.mp3')
    expect(t.targetOf.get('/s/b/song.mp3')!.toLowerCase()).not.toBe('b/song.mp3')
    // An up-to-date file's name is reserved the same way.
    const again = nameTargets([fresh], ['b/Song.mp3'], 'fat32', 'mp3')
    expect(again.targetOf.get('/s/b/song.mp3')).toBe(t.targetOf.get('/s/b/song.mp3'))
    // POSIX names are case-sensitive: no collision.
    expect(nameTargets([fresh], ['b/Song.mp3'], 'posix', 'mp3').targetOf.get('/s/b/song.mp3')).toBe(
      'b/song.mp3',
    )
  })

  it('a file Ferry wrote as another kind (the preset now converts it) is named anew', () => {
    const was = candidate('/s/x.flac', 'x.flac', 'convert', { row: row({ src: '/s/x.flac', dst: 'x.flac' }) })
    expect(nameTargets([was], [], 'fat32', 'mp3').targetOf.get('/s/x.flac')).toBe('x.mp3')
  })

  it('names nothing when there is nothing to name', () => {
    expect(nameTargets([], ['a.mp3'], 'fat32', 'mp3')).toEqual({ ordered: [], targetOf: new Map() })
  })
})
