// @vitest-environment happy-dom
import { join } from 'node:path'
import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import { Profiler } from 'react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import { openEngine, settle } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'
import { installBridge } from '../helpers/ui'

// The workers panel against a real engine with two worker processes (one per lane).
describe('the workers panel', () => {
  const tmp = tempDir('ferry-ui-workers-')
  let engine: Engine
  let WorkersPanel: typeof import('../../src/renderer/src/views/Queue/WorkersPanel').WorkersPanel
  const progressEvents: number[] = []

  beforeAll(async () => {
    engine = await openEngine(join(tmp.path, 'data'), { workers: { transfer: 1, convert: 1 } })
    const bridge = installBridge(engine)
    const on = bridge.on
    bridge.on = (event, listener) =>
      on(event, (payload) => {
        if (event === 'queue.progress') progressEvents.push(Date.now())
        listener(payload)
      })
    ;({ WorkersPanel } = await import('../../src/renderer/src/views/Queue/WorkersPanel'))
  })
  afterAll(async () => {
    cleanup()
    await engine?.close()
    tmp.remove()
  })

  const panel = () => screen.getByRole('table', { name: /Workers/ })

  it('shows one row per worker: its lane, the task it runs and how far it is, live', async () => {
    render(<WorkersPanel />)
    await waitFor(() =>
      expect(
        within(panel())
          .getAllByRole('row')
          .map((r) => r.getAttribute('aria-label'))
          .filter(Boolean),
      ).toEqual(['Transfer 1: idle', 'Convert 1: idle']),
    )
    expect(screen.getByText('0 of 2 busy')).toBeTruthy()

    const b = await engine.api.invoke('queue.enqueue', { mode: 'sleep', count: 1, ms: 1500 })
    const [task] = (await engine.api.invoke('queue.list', { batchId: b.batchId })).tasks
    const row = await screen.findByRole('row', { name: `Transfer 1: sleep #${task!.id}` })
    expect(screen.getByText('1 of 2 busy')).toBeTruthy()
    const bar = within(row).getByRole('progressbar', { name: 'Transfer 1 progress' })
    // The percentage grows as the worker reports (a sleep reports its milliseconds).
    const seen = new Set<string>()
    await waitFor(
      () => {
        const now = within(row).getByRole('progressbar').getAttribute('aria-valuenow')!
        seen.add(now)
        expect(Number(now)).toBeGreaterThanOrEqual(60)
      },
      { timeout: 3000, interval: 50 },
    )
    expect(seen.size).toBeGreaterThan(2)
    expect(bar.isConnected || within(row).getByRole('progressbar')).toBeTruthy()
    expect(within(row).getByText(/^\d+%$/)).toBeTruthy()
    await settle(engine, b.batchId)
    await screen.findByRole('row', { name: 'Transfer 1: idle' })
  })

  it('redraws at most 10 times a second however fast tasks finish', async () => {
    cleanup()
    const commits: number[] = []
    render(
      <Profiler id="workers" onRender={() => commits.push(Date.now())}>
        <WorkersPanel />
      </Profiler>,
    )
    await screen.findByRole('row', { name: 'Transfer 1: idle' })
    const b = await engine.api.invoke('queue.enqueue', { mode: 'echo', count: 3000 })
    const started = Date.now()
    commits.length = 0
    progressEvents.length = 0
    await new Promise((r) => setTimeout(r, 2000))
    const seconds = (Date.now() - started) / 1000
    const done = (await engine.api.invoke('queue.progress', { batchId: b.batchId })).counts.ok
    console.log(
      `${done} tasks in ${seconds.toFixed(1)} s: ${progressEvents.length} progress events, ${commits.length} redraws`,
    )
    expect(done).toBeGreaterThan(200) // tasks really were finishing fast
    // At most one progress message per 100 ms window reaches the page, and each redraws it once.
    const gaps = progressEvents.slice(1).map((t, i) => t - progressEvents[i]!)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(90)
    expect(progressEvents.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 1)
    expect(commits.length).toBeLessThanOrEqual(progressEvents.length + 1)
    await settle(engine, b.batchId, 60_000)
  })
})
