// @vitest-environment happy-dom
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import { openEngine, settle } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'
import { giveGridASize } from './grid-size'
import { installBridge } from '../helpers/ui'

// The Queue view against a real engine: real worker processes copy real files, fail on purpose and
// sleep; what the view shows is what the engine says, and what it does is seen in the engine.
describe('the Queue view', () => {
  const tmp = tempDir('ferry-ui-queue-')
  const music = join(tmp.path, 'music')
  const out = join(tmp.path, 'card')
  let engine: Engine
  let restore: () => void
  let QueueView: typeof import('../../src/renderer/src/views/Queue/QueueView').QueueView
  const user = userEvent.setup()

  beforeAll(async () => {
    for (const album of ['Air/Moon Safari', 'Björk/Homogenic']) {
      mkdirSync(join(music, album), { recursive: true })
      for (let i = 1; i <= 3; i++)
        writeFileSync(join(music, album, `0${i} Track.flac`), Buffer.alloc(2048 * i, i))
    }
    mkdirSync(out)
    engine = await openEngine(join(tmp.path, 'data'))
    installBridge(engine)
    restore = giveGridASize()
    ;({ QueueView } = await import('../../src/renderer/src/views/Queue/QueueView'))
  })
  afterEach(() => cleanup())
  afterAll(async () => {
    restore?.()
    await engine?.close()
    tmp.remove()
  })

  const grid = () => screen.getByRole('grid', { name: 'Tasks by batch' })
  const rowsOf = (name: RegExp) => within(grid()).queryAllByRole('row', { name })
  const batches = () => engine.api.invoke('queue.batches', {})
  const tasks = async (batchId: number) =>
    (await engine.api.invoke('queue.list', { batchId, limit: 100, sort: 'oldest' })).tasks

  it('says what to do when the queue is empty', async () => {
    render(<QueueView />)
    expect(await screen.findByText('The queue is empty')).toBeTruthy()
    expect(screen.getByText('Drop a folder here, or set up a sync.')).toBeTruthy()
  })

  it('groups tasks by batch and follows them live until they are done or failed', async () => {
    render(<QueueView />)
    await engine.api.invoke('queue.pause', {})
    const air = await engine.api.invoke('queue.enqueue', {
      mode: 'copy',
      sources: [join(music, 'Air')],
      destination: out,
      label: 'Drop: Air',
    })
    const failing = await engine.api.invoke('queue.enqueue', {
      mode: 'fail',
      count: 2,
      message: 'disk on fire: /dev/sdz\nsecond line of the reason',
      label: 'Failures',
    })
    // Both batches appear, newest first, with their tasks pending.
    await waitFor(() =>
      expect(screen.getAllByRole('row', { name: /^(Drop: Air|Failures),/ })).toHaveLength(2),
    )
    const headers = screen.getAllByRole('row', { name: /^(Drop: Air|Failures),/ })
    expect(headers.map((h) => h.getAttribute('aria-label'))).toEqual([
      'Failures, 2 pending',
      'Drop: Air, 3 pending',
    ])
    await waitFor(() => expect(rowsOf(/Pending/)).toHaveLength(5))
    expect(rowsOf(/01 Track\.flac/)[0]!.textContent).toContain('2.0 KiB')

    await engine.api.invoke('queue.resume')
    await settle(engine, air.batchId)
    await settle(engine, failing.batchId)
    await waitFor(() => expect(rowsOf(/^Done/)).toHaveLength(3), { timeout: 3000 })
    await waitFor(() => expect(rowsOf(/^Failed/)).toHaveLength(2))
    expect(screen.getByRole('row', { name: 'Drop: Air, 3 done' })).toBeTruthy()
    expect(screen.getByRole('row', { name: 'Failures, 2 failed' })).toBeTruthy()
    // A failed row says why in its first line.
    expect(rowsOf(/^Failed/)[0]!.textContent).toContain('disk on fire: /dev/sdz')
    expect(rowsOf(/^Failed/)[0]!.textContent).not.toContain('second line')
  })

  it('shows a failure in full in the details, copyable, and retries it', async () => {
    render(<QueueView />)
    await waitFor(() => expect(rowsOf(/^Failed/)).toHaveLength(2))
    await user.click(rowsOf(/^Failed/)[0]!)
    const details = await screen.findByRole('complementary', { name: /fail task/ })
    expect(within(details).getByTestId('task-error').textContent).toBe(
      'disk on fire: /dev/sdz\nsecond line of the reason',
    )
    await user.click(within(details).getByRole('button', { name: 'Copy error' }))
    expect(await navigator.clipboard.readText()).toBe('disk on fire: /dev/sdz\nsecond line of the reason')
    expect(within(details).getByRole('status').textContent).toBe('Copied.')

    await engine.api.invoke('queue.pause', {})
    await user.click(within(details).getByRole('button', { name: 'Retry task' }))
    await waitFor(() => expect(rowsOf(/^Pending/)).toHaveLength(1))
    const [failBatch] = (await batches()).filter((b) => b.label === 'Failures')
    expect((await tasks(failBatch!.id)).map((t) => t.status).sort()).toEqual(['fail', 'pending'])
    // The details follow the task: now pending, it can be cancelled or moved instead.
    expect(await within(details).findByRole('button', { name: 'Cancel task' })).toBeTruthy()
    await user.click(within(details).getByRole('button', { name: 'Close the details' }))
    expect(screen.queryByRole('complementary')).toBeNull()
  })

  it('is worked by keyboard: arrows select, Enter opens, Escape closes, Delete cancels, Alt+arrows reprioritise', async () => {
    const later = await engine.api.invoke('queue.enqueue', { mode: 'echo', count: 4, label: 'Later' })
    render(<QueueView />)
    await waitFor(() => expect(screen.getByRole('row', { name: 'Later, 4 pending' })).toBeTruthy())
    await waitFor(() => expect(rowsOf(/echo task/)).toHaveLength(4))
    const ids = (await tasks(later.batchId)).map((t) => t.id)

    act(() => grid().focus())
    // Focus selects the first row: the newest batch's header.
    await waitFor(() => expect(grid().getAttribute('aria-activedescendant')).toBe('q-row-0'))
    expect(screen.getByRole('row', { name: 'Later, 4 pending' }).getAttribute('aria-selected')).toBe('true')
    await user.keyboard('{ArrowDown}')
    const first = screen.getByRole('row', { name: new RegExp(`echo task ${ids[0]}\\b`) })
    expect(first.getAttribute('aria-selected')).toBe('true')
    expect(grid().getAttribute('aria-activedescendant')).toBe(first.id)

    await user.keyboard('{Enter}')
    const details = await screen.findByRole('complementary', { name: `echo task ${ids[0]}` })
    await waitFor(() => expect(document.activeElement).toBe(details))
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('complementary')).toBeNull()
    expect(document.activeElement).toBe(grid())

    await user.keyboard('{Delete}')
    await waitFor(async () =>
      expect((await engine.api.invoke('task.get', { taskId: ids[0]! })).status).toBe('cancelled'),
    )
    await waitFor(() =>
      expect(screen.getByRole('row', { name: new RegExp(`Cancelled.*echo task ${ids[0]}\\b`) })).toBeTruthy(),
    )

    // The selection went on to the next task; Alt+↑ runs it sooner (a lower priority number).
    await waitFor(() =>
      expect(
        screen.getByRole('row', { name: new RegExp(`echo task ${ids[1]}\\b`) }).getAttribute('aria-selected'),
      ).toBe('true'),
    )
    await user.keyboard('{Alt>}{ArrowUp}{/Alt}')
    await waitFor(async () =>
      expect((await engine.api.invoke('task.get', { taskId: ids[1]! })).priority).toBe(99),
    )
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}{Alt>}{ArrowDown}{/Alt}')
    await waitFor(async () =>
      expect((await engine.api.invoke('task.get', { taskId: ids[1]! })).priority).toBe(101),
    )

    // Home goes to the batch's header; Enter (or ←) folds it, → unfolds it.
    await user.keyboard('{Home}{Enter}')
    await waitFor(() => expect(rowsOf(/echo task/)).toHaveLength(0))
    await user.keyboard('{ArrowRight}')
    await waitFor(() => expect(rowsOf(/echo task/)).toHaveLength(4))
    await user.keyboard('{ArrowLeft}')
    await waitFor(() => expect(rowsOf(/echo task/)).toHaveLength(0))
    await user.click(screen.getByRole('button', { name: 'Show the tasks of Later' }))
    await waitFor(() => expect(rowsOf(/echo task/)).toHaveLength(4))
  })

  it('pauses and resumes one batch while the others run', async () => {
    render(<QueueView />)
    await user.click(await screen.findByRole('button', { name: 'Pause Later' }))
    await waitFor(() =>
      expect(screen.getByRole('row', { name: 'Later, 3 pending, 1 cancelled, paused' })).toBeTruthy(),
    )
    await waitFor(() => expect(rowsOf(/^Paused/)).toHaveLength(3))
    await engine.api.invoke('queue.resume')
    // The retried failure (another batch) runs; Later does not.
    const [failBatch] = (await batches()).filter((b) => b.label === 'Failures')
    await settle(engine, failBatch!.id)
    const later = (await batches()).find((b) => b.label === 'Later')!
    expect(later).toMatchObject({ paused: true, counts: { pending: 3 } })

    await user.click(screen.getByRole('button', { name: 'Resume Later' }))
    await settle(engine, later.id)
    await waitFor(() => expect(screen.getByRole('row', { name: 'Later, 3 done, 1 cancelled' })).toBeTruthy())
    expect((await batches()).find((b) => b.id === later.id)!.paused).toBe(false)
  })

  it('filters by state and searches paths, and says when nothing matches', async () => {
    render(<QueueView />)
    await user.click(await screen.findByRole('button', { name: /^Failed/ }))
    expect(screen.getByRole('button', { name: /^Failed/ }).getAttribute('aria-pressed')).toBe('true')
    await waitFor(() => {
      const rows = within(grid()).getAllByRole('row')
      expect(rows.map((r) => r.getAttribute('aria-label') ?? r.textContent!.slice(0, 6))).toEqual([
        'Failures, 2 failed',
        'Failed',
        'Failed',
      ])
    })
    await user.click(screen.getByRole('button', { name: /^All/ }))

    // Another drop, then a search for one album: only its tasks (in any batch) show.
    const bjork = await engine.api.invoke('queue.enqueue', {
      mode: 'copy',
      sources: [join(music, 'Björk')],
      destination: out,
      label: 'Drop: Björk',
    })
    await settle(engine, bjork.batchId)
    await user.type(screen.getByRole('searchbox', { name: 'Search paths' }), 'MOON safari')
    await waitFor(() => expect(rowsOf(/Track\.flac/)).toHaveLength(3))
    expect(screen.getAllByRole('row', { name: /^Drop/ }).map((r) => r.getAttribute('aria-label'))).toEqual([
      'Drop: Air, 3 done',
    ])
    for (const r of rowsOf(/Track\.flac/)) expect(r.textContent).toContain('Moon Safari')

    await user.clear(screen.getByRole('searchbox', { name: 'Search paths' }))
    await user.type(screen.getByRole('searchbox', { name: 'Search paths' }), 'no such album')
    expect(await screen.findByText('No task matches')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Show all tasks' }))
    await waitFor(() => expect(screen.getAllByRole('row', { name: /^Drop/ })).toHaveLength(2))
    expect((screen.getByRole('searchbox', { name: 'Search paths' }) as HTMLInputElement).value).toBe('')
  })

  it('clears finished tasks per batch and everywhere, and retries every failure', async () => {
    render(<QueueView />)
    await user.click(await screen.findByRole('button', { name: 'More actions for Drop: Björk' }))
    await user.click(await screen.findByRole('menuitem', { name: 'Clear finished (3)' }))
    await waitFor(async () => expect((await batches()).map((b) => b.label)).not.toContain('Drop: Björk'))
    await waitFor(() => expect(screen.queryByRole('row', { name: /^Drop: Björk/ })).toBeNull())

    // Retry failed: every failed and cancelled task runs again (and these fail again).
    const before = Date.now()
    await user.click(screen.getByRole('button', { name: /^Retry failed/ }))
    const failBatch = (await batches()).find((b) => b.label === 'Failures')!
    await waitFor(async () => {
      const again = await tasks(failBatch.id)
      expect(again.every((t) => t.status === 'fail' && t.finishedAt! >= before)).toBe(true)
    })
    const later = (await batches()).find((b) => b.label === 'Later')!
    await settle(engine, later.id)
    await waitFor(() => expect(screen.getByRole('row', { name: 'Later, 4 done' })).toBeTruthy())

    await user.click(screen.getByRole('button', { name: /^Clear finished/ }))
    await waitFor(async () => expect((await batches()).map((b) => b.label)).toEqual(['Failures']))
    await waitFor(() =>
      expect(screen.getAllByRole('row', { name: /,/ }).map((r) => r.getAttribute('aria-label'))).toEqual([
        'Failures, 2 failed',
      ]),
    )
  })
})
