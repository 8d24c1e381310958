import { describe, expect, it } from 'vitest'
import type { PackedScan } from '../../src/main/engine/sync/scan'
import { targetKey } from '../../src/main/engine/sync/plan/compare'
import { planDeletions, unknownPrefixes } from '../../src/main/engine/sync/plan/deletions'
import { device, row } from '../helpers/plan-fixtures'

const index = [
  row({ src: '/lib/a.mp3', dst: 'a.mp3', pos: 0 }),
  row({ src: '/lib/gone.mp3', dst: 'gone.mp3', pos: 1 }),
  row({ src: '/lib/edited.mp3', dst: 'edited.mp3', pos: 2 }),
  row({ src: '/lib/lost.mp3', dst: 'lost.mp3', pos: 3 }),
  row({ src: '/lib/Renamed.mp3', dst: 'Renamed.mp3', pos: 4 }),
  row({ src: '/lib/locked/x.mp3', dst: 'locked/x.mp3', pos: 5 }),
]
const onDevice = device({
  'a.mp3': { size: 100, mtimeMs: 2_000_000 },
  'gone.mp3': { size: 100, mtimeMs: 2_000_000 },
  'edited.mp3': { size: 999, mtimeMs: 2_000_000 },
  'Renamed.mp3': { size: 100, mtimeMs: 2_000_000 },
  'locked/x.mp3': { size: 100, mtimeMs: 2_000_000 },
})

describe('plan stage: mirror deletions', () => {
  it("deletes only Ferry's own files the sources lost, as it left them; keeps what changed on the device", () => {
    const d = planDeletions({
      index,
      matchedRows: Uint8Array.from([1, 0, 0, 0, 0, 0]),
      // Another file is planned at this path (case folded): its row is replaced, not deleted.
      planned: new Set(['renamed.mp3']),
      key: targetKey('fat32'),
      unknown: ['/lib/locked/'],
      device: onDevice,
      profileId: 3,
      force: false,
    })
    expect(d.entries).toEqual([
      { kind: 'delete', src: null, dst: 'gone.mp3', bytes: 100, reason: 'No longer in the sources.' },
      {
        kind: 'conflict',
        src: null,
        dst: 'edited.mp3',
        bytes: 0,
        reason: 'Changed on the device since Ferry wrote it: kept, not deleted.',
      },
      { kind: 'delete', src: null, dst: 'lost.mp3', bytes: 0, reason: 'Already gone from the device.' },
    ])
    expect(d.actions.map((a) => [a.dst, a.mark])).toEqual([
      ['gone.mp3', { profileId: 3, dst: 'gone.mp3', remove: true }],
      ['lost.mp3', { profileId: 3, dst: 'lost.mp3', remove: true }],
    ])
    expect(d.bytesFreed).toBe(100)
  })

  it('deletes nothing at all when a source root could not be read', () => {
    const d = planDeletions({
      index,
      matchedRows: new Uint8Array(index.length),
      planned: new Set(),
      key: targetKey('fat32'),
      unknown: [''],
      device: onDevice,
      profileId: 3,
      force: false,
    })
    expect(d.entries).toEqual([])
  })

  it('holds every deletion when more than half of what Ferry copied is gone (a half-mounted library), until forced', () => {
    const input = {
      index,
      matchedRows: Uint8Array.from([1, 0, 0, 0, 0, 0]),
      planned: new Set<string>(),
      key: targetKey('fat32'),
      unknown: [],
      device: onDevice,
      profileId: 3,
    }
    const held = planDeletions({ ...input, force: false })
    expect(held.actions).toEqual([])
    expect(held.bytesFreed).toBe(0)
    expect(held.entries.map((e) => [e.kind, e.dst])).toEqual([
      ['conflict', 'gone.mp3'],
      ['conflict', 'edited.mp3'],
      ['conflict', 'lost.mp3'],
      ['conflict', 'Renamed.mp3'],
      ['conflict', 'locked/x.mp3'],
    ])
    expect(held.entries[0]!.reason).toMatch(/^Held: 5 of the 6 files Ferry copied are gone from the sources/)
    const forced = planDeletions({ ...input, force: true })
    expect(forced.actions.map((a) => a.dst)).toEqual(['gone.mp3', 'lost.mp3', 'Renamed.mp3', 'locked/x.mp3'])
  })

  it('turns unreadable folders into source prefixes; an unreadable root into ""', () => {
    const scan = (unreadable: string[]) => ({ unreadable }) as unknown as PackedScan
    expect(unknownPrefixes(['/lib', '/more'], [scan(['a/b']), scan([''])])).toEqual(['/lib/a/b/', ''])
  })
})
