// The pure parts of the triggers: mount roots (FERRY_MOUNT_ROOTS over the setting over the
// platform's), the backoff after failed runs, and the CLI's trigger flags.
import { delimiter, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { applyTriggerFlags, describeTriggers } from '../../src/cli/commands/triggers'
import { triggerBackoffMs } from '../../src/main/engine/triggers/backoff'
import { defaultMountRoots, mountRoots } from '../../src/main/engine/triggers/mount-roots'

describe('mount roots', () => {
  it('FERRY_MOUNT_ROOTS, a path list, overrides the setting, which overrides the defaults', () => {
    const env = { FERRY_MOUNT_ROOTS: ['/a', '/b', '/a'].join(delimiter) }
    expect(mountRoots(['/s'], env)).toEqual({ roots: [resolve('/a'), resolve('/b')], from: 'env' })
    expect(mountRoots(['/s'], {})).toEqual({ roots: [resolve('/s')], from: 'setting' })
    expect(mountRoots(null, {}).from).toBe('default')
  })
  it('defaults per platform', () => {
    expect(defaultMountRoots('darwin')).toEqual(['/Volumes'])
    expect(defaultMountRoots('win32')).toContain('E:\\')
    expect(defaultMountRoots('linux')).toEqual(expect.arrayContaining(['/mnt', '/media']))
  })
})

describe('backoff after failed runs', () => {
  it('waits 1, 2, 4 … minutes, at most an hour', () => {
    expect([0, 1, 2, 3, 7, 8, 20].map((n) => triggerBackoffMs(n) / 60_000)).toEqual([0, 1, 2, 4, 60, 60, 60])
  })
})

describe('trigger flags', () => {
  const off = { intervalMinutes: null, onLibraryChange: false, onDevicePlugged: false }
  it('change only what they name; --every 0 turns the interval off', () => {
    const on = applyTriggerFlags(off, { onDevice: true, every: 30 })
    expect(on).toEqual({ intervalMinutes: 30, onLibraryChange: false, onDevicePlugged: true })
    expect(applyTriggerFlags(on, { every: 0, onChange: true })).toEqual({
      intervalMinutes: null,
      onLibraryChange: true,
      onDevicePlugged: true,
    })
    expect(describeTriggers(on)).toBe('device plugged in, every 30 min')
    expect(describeTriggers(off)).toBe('none (syncs only when asked)')
  })
  it('refuse an interval out of range', () => {
    expect(() => applyTriggerFlags(off, { every: 4 })).toThrow(/5 to 10080/)
    expect(() => applyTriggerFlags(off, { every: 10_081 })).toThrow(/5 to 10080/)
  })
})
