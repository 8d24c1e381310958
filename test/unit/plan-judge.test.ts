import { describe, expect, it } from 'vitest'
import { targetKey } from '../../src/main/engine/sync/plan/compare'
import { judge } from '../../src/main/engine/sync/plan/judge'
import { nameTargets } from '../../src/main/engine/sync/plan/name'
import { planWrites } from '../../src/main/engine/sync/plan/writes'
import { candidate, device, preset, row } from '../helpers/plan-fixtures'

const c = candidate('/s/1.mp3', '1.mp3', 'copy')
const ours = row({ src: '/s/1.mp3', dst: '1.mp3' })
const asWritten = { rel: '1.mp3', size: 100, mtimeMs: 2_000_000 }

describe('plan stage: judge against the index and the device', () => {
  it('writes what is new or missing on the device', () => {
    expect(judge(c, 'copy', undefined, undefined)).toMatchObject({
      kind: 'write',
      reason: 'New.',
      overwrite: false,
    })
    expect(judge(c, 'copy', ours, undefined)).toMatchObject({
      kind: 'write',
      reason: 'Missing on the device.',
    })
  })

  it('skips what the device holds as Ferry wrote it from this very source', () => {
    expect(judge(c, 'copy', ours, asWritten)).toEqual({ kind: 'skip', reason: 'Up to date.' })
  })

  it("replaces Ferry's own file when the source, the preset or the source path changed", () => {
    const write = (r: typeof ours, madeBy = 'copy') => judge(c, madeBy, r, asWritten)
    expect(write(ours, 'mp3hash')).toEqual({
      kind: 'write',
      reason: 'The preset changed.',
      replaces: 100,
      overwrite: true,
    })
    expect(write({ ...ours, srcSize: 5 })).toMatchObject({ reason: 'The source changed.', replaces: 100 })
    expect(write({ ...ours, src: '/s/other.mp3' })).toMatchObject({
      reason: 'Another source now has this name.',
    })
  })

  it('never overwrites a file Ferry did not write, or one changed on the device', () => {
    expect(judge(c, 'copy', undefined, asWritten)).toEqual({
      kind: 'conflict',
      reason: 'A file Ferry did not write is in the way: not overwritten.',
    })
    expect(judge(c, 'copy', ours, { ...asWritten, size: 7 })).toEqual({
      kind: 'conflict',
      reason: 'Changed on the device since Ferry wrote it: not overwritten.',
    })
  })
})

describe('plan stage: writes', () => {
  it('turns verdicts into entries, actions and marks; playlists wait; skips join the up-to-date list', () => {
    const candidates = [
      candidate('/s/a.flac', 'a.flac', 'convert', { size: 1000 }),
      candidate('/s/b.mp3', 'b.mp3', 'copy', { row: row({ src: '/s/b.mp3', dst: 'b.mp3' }) }),
      candidate('/s/c.mp3', 'c.mp3', 'copy'),
      candidate('/s/d.mp3', 'd.mp3', 'copy', { size: 50, row: row({ src: '/s/d.mp3', dst: 'd.mp3' }) }),
      candidate('/s/l.m3u', 'l.m3u', 'playlist'),
    ]
    const key = targetKey('fat32')
    const index = candidates.flatMap((x) => (x.row ? [x.row] : []))
    const skipped = { src: ['/s/kept.mp3'], dst: ['kept.mp3'] }
    const w = planWrites(
      {
        targets: nameTargets(candidates, skipped.dst, 'fat32', 'mp3'),
        preset: preset(),
        profileId: 7,
        key,
        rowAt: new Map(index.map((r) => [key(r.dst), r])),
        device: device({
          'b.mp3': { size: 100, mtimeMs: 2_000_000 },
          'c.mp3': { size: 1, mtimeMs: 1 },
          'd.mp3': { size: 100, mtimeMs: 2_000_000 },
        }),
      },
      skipped,
    )
    expect(skipped).toEqual({ src: ['/s/kept.mp3', '/s/b.mp3'], dst: ['kept.mp3', 'b.mp3'] })
    expect(w.playlists.map((p) => p.abs)).toEqual(['/s/l.m3u'])
    expect([...w.planned].sort()).toEqual(['a.mp3', 'b.mp3', 'c.mp3', 'd.mp3', 'l.m3u'])
    expect(w.entries.map((e) => [e.kind, e.dst, e.reason])).toEqual([
      ['copy', 'd.mp3', 'The source changed.'],
      ['convert', 'a.mp3', 'New.'],
      ['conflict', 'c.mp3', 'A file Ferry did not write is in the way: not overwritten.'],
    ])
    expect(w.bytesFreed).toBe(100)
    const [d, a] = w.actions
    expect(d).toMatchObject({ kind: 'copy', bytes: 50, overwrite: 'overwrite' })
    expect(d!.mark).toEqual({
      profileId: 7,
      dst: 'd.mp3',
      src: '/s/d.mp3',
      srcSize: 50,
      srcMtime: 1_000_000,
      madeBy: 'copy',
    })
    // A convert's action carries the source's size; its entry, the estimate of what it writes.
    expect(a).toMatchObject({ kind: 'convert', bytes: 1000, overwrite: 'skip', mark: { madeBy: 'mp3hash' } })
    expect(w.entries[1]!.bytes).toBeGreaterThan(0)
  })

  it('compares target paths as the target filesystem does: NFC = NFD, and case folded on FAT', () => {
    expect(targetKey('fat32')('A/Cafe\u0301.MP3')).toBe(targetKey('exfat')('a/caf\u00e9.mp3'))
    expect(targetKey('posix')('A/B.mp3')).toBe('A/B.mp3')
  })
})
