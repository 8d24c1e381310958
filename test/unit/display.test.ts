import { describe, expect, it } from 'vitest'
import { progressLines } from '../../src/cli/display'
import type { QueueProgress } from '../../src/shared/model'

const snapshot = (over: Partial<QueueProgress>): QueueProgress => ({
  paused: false,
  counts: { pending: 12, active: 0, ok: 8, skip: 0, fail: 0, cancelled: 0 },
  total: 20,
  bytesTotal: 200,
  bytesDone: 80,
  rate: 0,
  eta: null,
  workers: [],
  waitingFor: [],
  ...over,
})

describe('the live display', () => {
  it('says on its first line (the one a log keeps) what a waiting batch waits for, not a frozen ETA', () => {
    const lines = progressLines(
      snapshot({ waitingFor: [{ batchId: 3, root: '/media/card', tasks: 12, problem: 'other-device' }] }),
    )
    expect(lines[0]).toContain('waiting for /media/card (unplugged? another filesystem is there now)')
    expect(lines[0]).not.toContain('ETA')
    expect(lines).toContain(
      '  waiting for /media/card (unplugged? another filesystem is there now): 12 tasks',
    )
  })

  it('shows rate and ETA while work moves', () => {
    const [first] = progressLines(
      snapshot({ rate: 10, eta: 12, counts: { ...snapshot({}).counts, active: 1 } }),
    )
    expect(first).toContain('ETA')
    expect(first).not.toContain('waiting')
  })
})
