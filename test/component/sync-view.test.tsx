// @vitest-environment happy-dom
// The Sync view against a real engine: the editor shows the engine's refusal (a library folder that is
// not there), then creates the profile; the card's capacity bar says what sync.status says; the preview
// shows the plan's totals and pages its entries; Sync now runs the batch and the card shows its result;
// a device that lost its marker is synced only after the user confirms it is the right one.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import { formatBytes } from '../../src/renderer/src/components/format'
import { openEngine } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'
import { installBridge } from '../helpers/ui'

const TRACKS = 130
const WAIT = { timeout: 15_000 }

describe('the Sync view', () => {
  const tmp = tempDir('ferry-ui-sync-')
  const lib = join(tmp.path, 'library')
  const card = join(tmp.path, 'CARD')
  const dst = join(card, 'Music')
  let engine: Engine

  beforeAll(async () => {
    mkdirSync(join(lib, 'Album'), { recursive: true })
    for (let i = 0; i < TRACKS; i++)
      writeFileSync(join(lib, 'Album', `${String(i).padStart(3, '0')} Track.mp3`), randomBytes(2048 + i))
    writeFileSync(join(lib, 'Album', 'cover.jpg'), randomBytes(4096))
    mkdirSync(card)
    engine = await openEngine(join(tmp.path, 'data'))
    installBridge(engine)
  })
  afterAll(async () => {
    cleanup()
    await engine?.close()
    tmp.remove()
  })

  const status = async () => (await engine.api.invoke('sync.status'))[0]!

  /**
   * The capacity bar says what the engine says. Free space on a shared disk moves, so the view is asked
   * to look again (as when the window regains focus) until both read the same moment.
   */
  async function capacityMatches() {
    await waitFor(async () => {
      act(() => void window.dispatchEvent(new Event('focus')))
      const c = (await status()).capacity!
      const bar = screen.getByRole('img', { name: /^Ferry's files/ })
      expect(bar.getAttribute('aria-label')).toContain(
        `Ferry's files ${formatBytes(c.ferryBytes)}, other files ${formatBytes(c.otherBytes)}, free ${formatBytes(c.freeBytes)} of ${formatBytes(c.totalBytes)}`,
      )
    }, WAIT)
  }

  it('creates a profile in the editor, showing the engine’s refusal of a missing library first', async () => {
    const user = userEvent.setup()
    const { SyncView } = await import('../../src/renderer/src/views/Sync/SyncView')
    render(<SyncView />)
    expect(
      await screen.findByText("Set up a sync: pick your library folder and your device's folder.", {}, WAIT),
    ).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'New profile' }))
    const dialog = await screen.findByRole('dialog', { name: 'New sync profile' })
    // Saving with nothing filled in: the form says what is missing, and nothing reaches the engine.
    await user.click(within(dialog).getByRole('button', { name: 'Create profile' }))
    expect(within(dialog).getByText(/Give the profile a name/)).toBeTruthy()
    expect(await engine.api.invoke('profiles.list')).toEqual([])

    const missing = join(tmp.path, 'unmounted-disk', 'Music')
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Card')
    await user.type(within(dialog).getByRole('textbox', { name: 'Library folder 1' }), missing)
    await user.type(within(dialog).getByRole('textbox', { name: "Device's folder" }), dst)
    await user.click(within(dialog).getByRole('radio', { name: /Mirror/ }))
    await user.click(within(dialog).getByRole('checkbox', { name: 'When the device is plugged in' }))
    await user.click(within(dialog).getByRole('button', { name: 'Create profile' }))
    const alert = await within(dialog).findByRole('alert', {}, WAIT)
    expect(alert.textContent).toBe(
      `The source folder ${missing} is not there (is its disk mounted?). Nothing was planned or saved, so nothing will be deleted.`,
    )
    expect(await engine.api.invoke('profiles.list')).toEqual([])

    const source = within(dialog).getByRole('textbox', { name: 'Library folder 1' })
    await user.clear(source)
    await user.type(source, lib)
    await user.click(within(dialog).getByRole('button', { name: 'Create profile' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull(), WAIT)
    const [profile] = await engine.api.invoke('profiles.list')
    expect(profile).toMatchObject({
      name: 'Card',
      sources: [lib],
      destination: dst,
      delete: 'mirror',
      triggers: { intervalMinutes: null, onLibraryChange: false, onDevicePlugged: true },
    })
    const cardEl = await screen.findByRole('listitem', { name: 'Card' }, WAIT)
    expect(within(cardEl).getByText('Ready: the first sync makes the folder')).toBeTruthy()
    expect(within(cardEl).getByText('Never synced.')).toBeTruthy()
    await capacityMatches()
    // The next sync's bytes, from a plan, on the bar.
    const plan = await engine.api.invoke('sync.plan', { profile: 'Card', limit: 0 })
    await waitFor(
      () =>
        expect(
          within(cardEl)
            .getByRole('img', { name: /Ferry's files/ })
            .getAttribute('aria-label'),
        ).toContain(`the next sync writes ${formatBytes(plan.totals.bytesToWrite)}`),
      WAIT,
    )
  })

  it('previews the plan: totals first, then the entries by kind, a page at a time', async () => {
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Preview Card' }))
    const dialog = await screen.findByRole('dialog', { name: 'Preview: Card' })
    const totals = await within(dialog).findByRole('list', { name: 'Plan totals' }, WAIT)
    const plan = await engine.api.invoke('sync.plan', { profile: 'Card', limit: 0 })
    expect(plan.totals.counts.copy).toBe(TRACKS + 1)
    const tile = (label: string) => within(totals).getByText(label).parentElement!.textContent
    expect(tile('Copy')).toBe(`${(TRACKS + 1).toLocaleString()}Copy`)
    expect(tile('Convert')).toBe('0Convert')
    expect(tile('Delete')).toBe('0Delete')
    expect(within(dialog).getByText(formatBytes(plan.totals.bytesToWrite))).toBeTruthy()

    const entries = await within(dialog).findByRole('list', { name: 'Copy entries' })
    await waitFor(() => expect(within(entries).getAllByRole('listitem')).toHaveLength(100), WAIT)
    expect(within(entries).getAllByRole('listitem')[0]!.textContent).toContain('Album/000 Track.mp3')
    expect(within(dialog).getByText(`1–100 of ${TRACKS + 1}`)).toBeTruthy()
    await user.click(within(dialog).getByRole('button', { name: 'Next page' }))
    await waitFor(() => expect(within(entries).getAllByRole('listitem')).toHaveLength(TRACKS + 1 - 100), WAIT)
    expect(within(dialog).getByText(`101–${TRACKS + 1} of ${TRACKS + 1}`)).toBeTruthy()
    expect(entries.textContent).toContain(`Album/${TRACKS - 1} Track.mp3`)
    expect(within(dialog).getByRole('button', { name: 'Next page' }).hasAttribute('disabled')).toBe(true)
    // Another kind: nothing is up to date yet, so that tab cannot be chosen.
    expect(
      within(dialog)
        .getByRole('button', { name: /Up to date/ })
        .hasAttribute('disabled'),
    ).toBe(true)
    await user.click(within(dialog).getByRole('button', { name: 'Close' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(existsSync(dst)).toBe(false)
  })

  it('syncs now: the card shows the run, then its result, the files are on the card, the bar adds up', async () => {
    const user = userEvent.setup()
    const cardEl = screen.getByRole('listitem', { name: 'Card' })
    // Held by a paused queue first: the card shows the batch, its state and its progress.
    await engine.api.invoke('queue.pause', { now: false })
    await user.click(within(cardEl).getByRole('button', { name: 'Sync Card now' }))
    const bar = await within(cardEl).findByRole('progressbar', { name: 'Sync of Card' }, WAIT)
    expect(bar.getAttribute('aria-valuenow')).toBe('0')
    expect(within(cardEl).getByTestId('sync-state').textContent).toBe('Paused')
    expect(await within(cardEl).findByText(`0/${TRACKS + 1} files`, {}, WAIT)).toBeTruthy()
    expect(within(cardEl).getByRole('button', { name: 'Sync Card now' }).hasAttribute('disabled')).toBe(true)
    await engine.api.invoke('queue.resume')
    const last = await within(cardEl).findByText(`${TRACKS + 1} done`, {}, { timeout: 30_000 })
    expect(last).toBeTruthy()
    expect(within(cardEl).getByTestId('sync-state').textContent).toBe('Idle')
    expect(within(cardEl).getByText('Device present')).toBeTruthy()
    const s = await status()
    expect(s.lastRun!.counts.ok).toBe(TRACKS + 1)
    expect(readdirSync(join(dst, 'Album'))).toHaveLength(TRACKS + 1)
    await capacityMatches()
    expect(s.capacity!.ferryBytes).toBe(TRACKS * 2048 + (TRACKS * (TRACKS - 1)) / 2 + 4096)

    // Nothing changed: a second sync says so and starts nothing.
    await user.click(within(cardEl).getByRole('button', { name: 'Sync Card now' }))
    expect(await within(cardEl).findByText(/Already up to date/, {}, WAIT)).toBeTruthy()
    expect((await status()).lastRun!.batchId).toBe(s.lastRun!.batchId)
  })

  it('a device without its marker is synced only once the user says it is the right one', async () => {
    const user = userEvent.setup()
    rmSync(join(dst, '.ferry-profile.json'))
    writeFileSync(join(lib, 'Album', 'new.mp3'), randomBytes(5000))
    const cardEl = screen.getByRole('listitem', { name: 'Card' })
    // The window regains focus (the user looked elsewhere while the card was changed): the card looks again.
    act(() => void window.dispatchEvent(new Event('focus')))
    expect(await within(cardEl).findByText('Not recognised: marker missing', {}, WAIT)).toBeTruthy()
    await user.click(within(cardEl).getByRole('button', { name: 'Sync Card now' }))
    const alert = await within(cardEl).findByRole('alert', {}, WAIT)
    expect(alert.textContent).toContain(`The destination ${dst} does not hold this profile's marker`)
    expect(existsSync(join(dst, 'Album', 'new.mp3'))).toBe(false)

    await user.click(within(cardEl).getByRole('button', { name: 'It is the right device…' }))
    const ask = await screen.findByRole('dialog', { name: 'Is this the right device?' })
    // Cancel changes nothing.
    await user.click(within(ask).getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(existsSync(join(dst, '.ferry-profile.json'))).toBe(false)

    await user.click(within(cardEl).getByRole('button', { name: 'It is the right device…' }))
    const again = await screen.findByRole('dialog', { name: 'Is this the right device?' })
    expect(again.textContent).toContain(dst)
    await user.click(within(again).getByRole('button', { name: 'Yes, it is the right device: sync' }))
    await waitFor(() => expect(existsSync(join(dst, 'Album', 'new.mp3'))).toBe(true), { timeout: 30_000 })
    expect(existsSync(join(dst, '.ferry-profile.json'))).toBe(true)
    expect(await within(cardEl).findByText('Device present', {}, WAIT)).toBeTruthy()
    expect(await within(cardEl).findByText(/^1 done/, {}, WAIT)).toBeTruthy()
  })
})
