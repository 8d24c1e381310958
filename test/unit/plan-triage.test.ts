import { describe, expect, it } from 'vitest'
import type { PackedScan } from '../../src/main/engine/sync/scan'
import { rowsBySourceRel } from '../../src/main/engine/sync/plan/inputs'
import { selectionRules } from '../../src/main/engine/sync/plan/select'
import { isUpToDate, triage } from '../../src/main/engine/sync/plan/triage'
import { preset, row } from '../helpers/plan-fixtures'

const rules = selectionRules({
  include: [],
  exclude: [],
  includeGlobs: [],
  excludeGlobs: [],
  nonAudio: 'covers',
  playlists: 'rewrite',
})

function scan(root: string, files: [string, number, number][]): PackedScan {
  return {
    root,
    rels: files.map((f) => f[0]).join('\0'),
    sizes: Float64Array.from(files.map((f) => f[1])),
    mtimes: Float64Array.from(files.map((f) => f[2])),
    folders: 1,
    problems: [],
    unreadable: [],
    leftOut: [],
  }
}

describe('plan stage: triage (the fast path)', () => {
  // Two rows Ferry wrote: a copied mp3 and a converted flac, both still on the device as written.
  const index = [
    row({ src: '/lib/a/1.mp3', dst: 'a/1.mp3', pos: 0, madeBy: 'copy' }),
    row({ src: '/lib/a/2.flac', dst: 'a/2.mp3', pos: 1, madeBy: 'mp3hash', dstSize: 40 }),
  ]
  const device = { sizes: [100, 40], mtimes: [2_000_000, 2_000_000] }

  it('sets aside unchanged files the device still holds; the rest become candidates, in scan order', async () => {
    const scans = [
      scan('/lib', [
        ['a/1.mp3', 100, 1_000_000],
        ['a/2.flac', 100, 1_000_000],
        ['a/3.flac', 500, 1_000_000],
        ['a/cover.jpg', 10, 1_000_000],
        ['a/notes.txt', 10, 1_000_000],
      ]),
    ]
    const t = await triage(scans, rowsBySourceRel(['/lib'], index), rules, preset(), device)
    expect(t.files).toBe(5)
    expect(t.skipped).toEqual({ src: ['/lib/a/1.mp3', '/lib/a/2.flac'], dst: ['a/1.mp3', 'a/2.mp3'] })
    expect([...t.matchedRows]).toEqual([1, 1])
    expect(t.matched).toBe(2)
    expect(t.candidates.map((c) => [c.abs, c.mode, c.row?.dst])).toEqual([
      ['/lib/a/3.flac', 'convert', undefined],
      ['/lib/a/cover.jpg', 'copy', undefined],
    ])
  })

  it('a changed source, a changed preset or a file changed on the device is not up to date', () => {
    const file = { rel: 'a/1.mp3', size: 100, mtimeMs: 1_000_000 }
    const r = index[0]!
    expect(isUpToDate(r, file, 'copy', 'mp3', device)).toBe(true)
    expect(isUpToDate(r, { ...file, size: 101 }, 'copy', 'mp3', device)).toBe(false)
    expect(isUpToDate(r, { ...file, mtimeMs: 1_000_005 }, 'copy', 'mp3', device)).toBe(false)
    expect(isUpToDate(r, file, 'otherhash', 'mp3', device)).toBe(false)
    expect(isUpToDate(r, file, 'copy', 'ogg', device)).toBe(false)
    expect(isUpToDate(r, file, 'copy', 'mp3', { sizes: [99, 40], mtimes: device.mtimes })).toBe(false)
    expect(isUpToDate(r, file, 'copy', 'mp3', { sizes: [Number.NaN, 40], mtimes: device.mtimes })).toBe(false)
    // FAT keeps mtimes in 2 s steps: within that, still the file Ferry wrote.
    expect(isUpToDate(r, file, 'copy', 'mp3', { sizes: device.sizes, mtimes: [2_001_000, 0] })).toBe(true)
  })

  it('finds rows by their path inside their own source folder', () => {
    const byRel = rowsBySourceRel(
      ['/lib', '/more'],
      [row({ src: '/more/x/1.mp3', dst: 'x/1.mp3' }), row({ src: '/elsewhere/2.mp3', dst: '2.mp3' })],
    )
    expect([...byRel[0]!.keys()]).toEqual([])
    expect([...byRel[1]!.keys()]).toEqual(['x/1.mp3'])
  })
})
