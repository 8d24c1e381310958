// @vitest-environment happy-dom
// Toasts when background work ends, in the whole app against a real engine: one per batch (never one
// per file), a success that fades after about 6 s, a failure that stays until dismissed, and a
// button that opens the view showing it (the Queue at the batch, or the Sync card of a profile). The
// desktop shell's requests (window.ferry.onShell) open a view or the Add sheet.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import type { ShellRequest } from '../../src/shared/ipc'
import type { BatchFinished } from '../../src/shared/model'
import { openEngine, settle } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'
import { installBridge } from '../helpers/ui'
import { giveGridASize } from './grid-size'

const WAIT = { timeout: 15_000 }

describe('toasts and the shell’s requests', () => {
  const tmp = tempDir('ferry-ui-toasts-')
  const music = join(tmp.path, 'music')
  const card = join(tmp.path, 'CARD')
  let engine: Engine
  let restore: () => void
  const shellListeners = new Set<(r: ShellRequest) => void>()
  const fromShell = (r: ShellRequest) => act(() => shellListeners.forEach((l) => l(r)))
  const user = userEvent.setup()

  beforeAll(async () => {
    mkdirSync(join(music, 'Air'), { recursive: true })
    for (let i = 1; i <= 3; i++)
      writeFileSync(join(music, 'Air', `0${i} Track.mp3`), Buffer.alloc(1000 * i, i))
    mkdirSync(card)
    engine = await openEngine(join(tmp.path, 'data'))
    const bridge = installBridge(engine)
    bridge.onShell = (listener) => {
      shellListeners.add(listener)
      return () => shellListeners.delete(listener)
    }
    restore = giveGridASize()
    const { App } = await import('../../src/renderer/src/App')
    render(<App />)
  })
  afterAll(async () => {
    cleanup()
    restore?.()
    await engine?.close()
    tmp.remove()
  })

  /**
   * The batch's batch.finished, as the engine says it: its counts once it settled. Emitted here too
   * (the engine's own emitter may or may not have sent it already): a second one for the same batch
   * must not make a second toast.
   */
  async function finished(batchId: number, profile: string | null = null): Promise<BatchFinished> {
    await settle(engine, batchId)
    const batch = (await engine.api.invoke('queue.batches', {})).find((b) => b.id === batchId)!
    const payload: BatchFinished = {
      batchId,
      label: batch.label,
      profile,
      counts: {
        ok: batch.counts.ok,
        skip: batch.counts.skip,
        fail: batch.counts.fail,
        cancelled: batch.counts.cancelled,
      },
      at: Date.now(),
    }
    act(() => engine.events.emit('batch.finished', payload))
    return payload
  }

  const toasts = () => screen.getByRole('region', { name: /^Notifications/ })

  it('one toast per batch: a success fades after about 6 s, a failure stays', async () => {
    const copy = await engine.api.invoke('queue.enqueue', {
      mode: 'copy',
      sources: [join(music, 'Air')],
      destination: card,
      label: 'copy Air → /card',
    })
    const failing = await engine.api.invoke('queue.enqueue', {
      mode: 'fail',
      count: 2,
      message: 'disk on fire',
      label: 'Failures',
    })
    await finished(copy.batchId)
    await finished(failing.batchId)
    const shownAt = Date.now()
    const ok = await within(toasts()).findByRole('status', { name: 'copy Air → /card finished' }, WAIT)
    expect(ok.textContent).toContain('3 done')
    const bad = within(toasts()).getByRole('alert', { name: 'Failures finished with 2 failures' })
    expect(bad.textContent).toContain('2 failed')

    // The same batch finishing again (said twice) is still one toast; three files are not three toasts.
    await finished(copy.batchId)
    expect(within(toasts()).getAllByRole('status', { name: /copy Air/ })).toHaveLength(1)
    expect(toasts().querySelectorAll('li')).toHaveLength(2)

    await waitFor(() => expect(within(toasts()).queryByRole('status', { name: /copy Air/ })).toBeNull(), WAIT)
    const lasted = Date.now() - shownAt
    expect(lasted).toBeGreaterThan(5000)
    expect(lasted).toBeLessThan(12_000)
    // The failure is still there, well after the success faded.
    await new Promise((r) => setTimeout(r, 1000))
    expect(within(toasts()).getByRole('alert', { name: 'Failures finished with 2 failures' })).toBeTruthy()
  }, 40_000)

  it('the failure’s button opens the Queue at its batch, selected; the toast closes', async () => {
    await user.click(screen.getByRole('button', { name: 'Sync' }))
    expect(await screen.findByRole('heading', { name: 'Sync' })).toBeTruthy()
    const bad = within(toasts()).getByRole('alert', { name: /^Failures/ })
    await user.click(within(bad).getByRole('button', { name: 'Show in Queue' }))
    expect(await screen.findByRole('heading', { name: 'Queue' })).toBeTruthy()
    const header = await screen.findByRole('row', { name: 'Failures, 2 failed' }, WAIT)
    await waitFor(() => expect(header.getAttribute('aria-selected')).toBe('true'), WAIT)
    expect(document.activeElement).toBe(screen.getByRole('grid', { name: 'Tasks by batch' }))
    await waitFor(() => expect(within(toasts()).queryByRole('alert')).toBeNull(), WAIT)
  })

  it('a failure is dismissed with its close button', async () => {
    const failing = await engine.api.invoke('queue.enqueue', {
      mode: 'fail',
      count: 1,
      message: 'no',
      label: 'One more',
    })
    await finished(failing.batchId)
    const bad = await within(toasts()).findByRole('alert', { name: 'One more finished with 1 failure' }, WAIT)
    await user.click(within(bad).getByRole('button', { name: 'Dismiss' }))
    await waitFor(() => expect(within(toasts()).queryByRole('alert')).toBeNull(), WAIT)
  })

  it('a sync that went well says so, and its button brings the profile’s card into view', async () => {
    await engine.api.invoke('profiles.create', {
      name: 'Card',
      sources: [music],
      destination: join(card, 'Music'),
    })
    const run = await engine.api.invoke('sync.run', { profile: 'Card', limit: 0 })
    await finished(run.batchId!, 'Card')
    const ok = await within(toasts()).findByRole('status', { name: 'Synced Card' }, WAIT)
    expect(ok.textContent).toContain('3 done')
    await user.click(within(ok).getByRole('button', { name: 'Show in Sync' }))
    expect(await screen.findByRole('heading', { name: 'Sync' })).toBeTruthy()
    const cardEl = await screen.findByRole('listitem', { name: 'Card' }, WAIT)
    await waitFor(() => expect(document.activeElement).toBe(cardEl), WAIT)
  })

  it('the shell shows a view (and a batch in it), and hands paths to the Add sheet', async () => {
    const [batch] = await engine.api.invoke('queue.batches', {})
    fromShell({ kind: 'show', view: 'queue', batchId: batch!.id })
    expect(await screen.findByRole('heading', { name: 'Queue' })).toBeTruthy()
    const header = await screen.findByRole('row', { name: new RegExp(`^${batch!.label},`) }, WAIT)
    await waitFor(() => expect(header.getAttribute('aria-selected')).toBe('true'), WAIT)

    fromShell({ kind: 'show', view: 'settings' })
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeTruthy()
    // The desktop app notifies by itself: no browser-notification switch here.
    expect(screen.queryByRole('checkbox', { name: /this browser tab/ })).toBeNull()

    const album = join(music, 'Air')
    fromShell({ kind: 'add', paths: [album] })
    const sheet = await screen.findByRole('dialog', { name: 'Add to queue' }, WAIT)
    expect(within(sheet).getAllByText(album, { exact: false }).length).toBeGreaterThan(0)
  })
})
