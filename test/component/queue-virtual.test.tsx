// @vitest-environment happy-dom
import { join } from 'node:path'
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import { openEngine } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'
import { giveGridASize } from './grid-size'
import { installBridge } from '../helpers/ui'

const HEIGHT = 480

// 10,000 tasks in a real engine: the list mounts only the rows on screen and a few either side, and
// asks the engine for the pages under them, never for the whole queue.
describe('the Queue view’s virtual list', () => {
  const tmp = tempDir('ferry-ui-virtual-')
  let engine: Engine
  let restore: () => void
  const lists: { offset: number; limit: number }[] = []

  beforeAll(async () => {
    engine = await openEngine(join(tmp.path, 'data'))
    const bridge = installBridge(engine)
    const invoke = bridge.invoke
    bridge.invoke = (command, input) => {
      if (command === 'queue.list') lists.push(input as { offset: number; limit: number })
      return invoke(command, input)
    }
    restore = giveGridASize(900, HEIGHT)
    await engine.api.invoke('queue.pause', {})
    await engine.api.invoke('queue.enqueue', { mode: 'echo', count: 10_000, label: 'Ten thousand' })
  })
  afterAll(async () => {
    cleanup()
    restore?.()
    await engine?.close()
    tmp.remove()
  })

  it('mounts only the visible rows plus the overscan, scrolled anywhere', async () => {
    const { QueueView } = await import('../../src/renderer/src/views/Queue/QueueView')
    const { OVERSCAN } = await import('../../src/renderer/src/views/Queue/TaskList')
    const { ROW_H } = await import('../../src/renderer/src/views/Queue/rows')
    render(<QueueView />)
    const grid = await screen.findByRole('grid', { name: 'Tasks by batch' })
    expect(grid.getAttribute('aria-rowcount')).toBe('10001') // the header and 10,000 tasks
    await waitFor(() =>
      expect(within(grid).getAllByRole('row', { name: /echo task/ }).length).toBeGreaterThan(5),
    )
    const visible = Math.ceil(HEIGHT / ROW_H) + 1
    const bound = visible + 2 * OVERSCAN
    const mounted = () => within(grid).getAllByRole('row').length
    expect(mounted()).toBeLessThanOrEqual(bound)
    console.log(`10,000 tasks: ${mounted()} rows mounted (bound ${bound}), ${lists.length} page requests`)

    // Scroll to the middle: the rows there load (their page, not the ones before), and no more mount.
    const ids = (await engine.api.invoke('queue.list', { limit: 1, sort: 'oldest' })).tasks
    const first = ids[0]!.id
    lists.length = 0
    await act(async () => {
      grid.scrollTop = 5000 * ROW_H
      fireEvent.scroll(grid)
    })
    await waitFor(() =>
      expect(
        within(grid).getByRole('row', { name: new RegExp(`echo task ${first + 4999}\\b`) }),
      ).toBeTruthy(),
    )
    expect(mounted()).toBeLessThanOrEqual(bound)
    expect(lists.every((l) => l.limit <= 100)).toBe(true)
    // Only the pages under the rows on screen: 4,900–4,999 and 5,000–5,099.
    expect(lists.map((l) => l.offset).sort((a, b) => a - b)).toEqual([4900, 5000])

    // And to the end.
    await act(async () => {
      grid.scrollTop = 10_000 * ROW_H
      fireEvent.scroll(grid)
    })
    await waitFor(() =>
      expect(
        within(grid).getByRole('row', { name: new RegExp(`echo task ${first + 9999}\\b`) }),
      ).toBeTruthy(),
    )
    expect(mounted()).toBeLessThanOrEqual(bound)
    // All told, a few pages of 100 were asked for: never the 10,000.
    const asked = lists.reduce((n, l) => n + l.limit, 0)
    expect(asked).toBeLessThanOrEqual(400)
  })
})
