import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isInsideOrSame } from '../../src/main/engine/ops/fsutil'
import { NameAssigner, sanitizeComponent } from '../../src/main/engine/sync/names'

describe('names for the target filesystem', () => {
  it('replaces what FAT32, exFAT and NTFS refuse, and keeps what POSIX allows', () => {
    expect(sanitizeComponent('AC/DC: Live? <1991> "best" | *x*', 'fat32')).toBe(
      'AC_DC_ Live_ _1991_ _best_ _ _x_',
    )
    expect(sanitizeComponent('tab\there\u0001', 'exfat')).toBe('tab_here_')
    expect(sanitizeComponent('What?: yes', 'posix')).toBe('What?: yes')
    expect(sanitizeComponent('a/b', 'posix')).toBe('a_b')
  })

  it('removes trailing dots and spaces, avoids reserved names, never yields "", "." or ".."', () => {
    expect(sanitizeComponent('Vol. 2.. ', 'fat32')).toBe('Vol. 2')
    expect(sanitizeComponent('CON', 'ntfs')).toBe('CON_')
    expect(sanitizeComponent('nul.mp3', 'fat32')).toBe('nul_.mp3')
    expect(sanitizeComponent('com1.flac', 'exfat')).toBe('com1_.flac')
    expect(sanitizeComponent('CONSOLE.mp3', 'fat32')).toBe('CONSOLE.mp3')
    expect(sanitizeComponent('...', 'fat32')).toBe('_')
    expect(sanitizeComponent('..', 'posix')).toBe('_')
  })

  it('normalises to NFC and keeps components within 255 (UTF-16 units on FAT, bytes on POSIX)', () => {
    expect(sanitizeComponent('Cafe\u0301', 'fat32')).toBe('Caf\u00e9')
    const long = `${'ü'.repeat(300)}.flac`
    const fat = sanitizeComponent(long, 'fat32')
    expect(fat.length).toBeLessThanOrEqual(255)
    expect(fat.endsWith('.flac')).toBe(true)
    const posix = sanitizeComponent(long, 'posix')
    expect(Buffer.byteLength(posix)).toBeLessThanOrEqual(255)
    expect(posix.endsWith('.flac')).toBe(true)
  })

  it('resolves collisions only the target sees, the same way on every run', () => {
    const assign = () => {
      const a = new NameAssigner('fat32')
      return [
        a.assign('Abba/Gold/Track.flac', '.mp3'),
        a.assign('ABBA/Gold/track.flac', '.mp3'),
        a.assign('ABBA/Gold/Track?.flac', '.mp3'),
        a.assign('ABBA/Gold/Track:.flac', '.mp3'),
      ]
    }
    expect(assign()).toEqual([
      'Abba/Gold/Track.mp3',
      'Abba/Gold/track (2).mp3',
      'Abba/Gold/Track_.mp3',
      'Abba/Gold/Track_ (2).mp3',
    ])
    expect(assign()).toEqual(assign())
    const posix = new NameAssigner('posix')
    expect([posix.assign('Abba/T.flac'), posix.assign('ABBA/t.flac')]).toEqual(['Abba/T.flac', 'ABBA/t.flac'])
  })

  it('keeps a reserved (existing) name, and gives newcomers another', () => {
    const a = new NameAssigner('fat32')
    expect(a.reserve('Album/song.mp3')).toBe(true)
    expect(a.assign('album/Song.flac', '.mp3')).toBe('Album/Song (2).mp3')
    expect(a.reserve('ALBUM/SONG.MP3')).toBe(false)
  })

  it('keeps every path inside the destination root, whatever the source names contain', () => {
    const root = '/media/CARD'
    for (const naming of ['fat32', 'exfat', 'ntfs', 'posix'] as const) {
      const a = new NameAssigner(naming)
      for (const rel of [
        '../../etc/passwd',
        '../x.flac',
        'a/../../b.flac',
        '..\\..\\win.flac',
        './../c.flac',
      ]) {
        const target = a.assign(rel)
        expect(isInsideOrSame(root, join(root, ...target.split('/'))), `${naming}: ${rel} → ${target}`).toBe(
          true,
        )
        expect(target.split('/')).not.toContain('..')
      }
    }
  })
})
