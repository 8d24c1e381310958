import { describe, expect, it } from 'vitest'
import type { PackedScan } from '../../src/main/engine/sync/scan'
import { gatherChanges, sortEntries, sumTotals } from '../../src/main/engine/sync/plan/totals'
import type { Changes } from '../../src/main/engine/sync/plan/types'

const mark = { profileId: 1, dst: 'x' }
const writes: Changes = {
  entries: [
    { kind: 'convert', src: '/s/a.flac', dst: 'b/a.mp3', bytes: 10_000_000, reason: 'New.' },
    { kind: 'copy', src: '/s/c.mp3', dst: 'a/c.mp3', bytes: 30_000_000, reason: 'New.' },
    { kind: 'conflict', src: '/s/d.mp3', dst: 'd.mp3', bytes: 0, reason: 'In the way.' },
  ],
  actions: [
    { kind: 'convert', src: '/s/a.flac', dst: 'b/a.mp3', bytes: 40_000_000, overwrite: 'skip', mark },
    { kind: 'copy', src: '/s/c.mp3', dst: 'a/c.mp3', bytes: 30_000_000, overwrite: 'skip', mark },
  ],
  bytesFreed: 5_000_000,
}
const deletions: Changes = {
  entries: [{ kind: 'delete', src: null, dst: 'z.mp3', bytes: 2_000_000, reason: 'Gone.' }],
  actions: [{ kind: 'delete', src: null, dst: 'z.mp3', bytes: 2_000_000, overwrite: 'skip', mark }],
  bytesFreed: 2_000_000,
}
const scans = [
  { root: '/lib', folders: 3, problems: ['Cannot read x'], leftOut: [{ rel: 'a/fifo', reason: 'a FIFO' }] },
  { root: '/more', folders: 2, problems: [], leftOut: [] },
] as unknown as PackedScan[]

describe('plan stage: totals', () => {
  it('counts, sums the bytes, estimates the time and checks the free space', () => {
    const t = sumTotals({
      changes: [writes, deletions],
      skippedCount: 12,
      freeBytes: 30_000_000,
      convertWorkers: 2,
      scans,
      files: 20,
      seconds: 0.5,
    })
    expect(t.counts).toEqual({ convert: 1, copy: 1, delete: 1, skip: 12, conflict: 1 })
    expect(t.bytesToWrite).toBe(40_000_000)
    expect(t.bytesFreed).toBe(7_000_000)
    // 40 MB to encode on 2 workers at 4 MB/s each, then 40 MB written at 20 MB/s.
    expect(t.estimatedSeconds).toBe(7)
    expect(t.shortBy).toBe(3_000_000)
    expect(t.scanned).toEqual({ files: 20, folders: 5, seconds: 0.5 })
    expect(t.problems).toEqual(['Cannot read x'])
    expect(t.leftOut).toEqual([{ path: '/lib/a/fifo', reason: 'a FIFO' }])
  })

  it('does not claim a shortfall when the free space is unknown', () => {
    const t = sumTotals({
      changes: [writes],
      skippedCount: 0,
      freeBytes: null,
      convertWorkers: 1,
      scans,
      files: 0,
      seconds: 0,
    })
    expect(t.shortBy).toBe(0)
  })

  it('lists deletions first, then converts, copies and conflicts, each by destination', () => {
    const { entries, actions } = gatherChanges([writes, deletions])
    expect(actions.map((a) => a.kind)).toEqual(['convert', 'copy', 'delete'])
    expect(sortEntries(entries).map((e) => e.dst)).toEqual(['z.mp3', 'b/a.mp3', 'a/c.mp3', 'd.mp3'])
  })
})
