// @vitest-environment happy-dom
// The Sync card's automatic syncs against a real engine running its triggers: which are on, and the
// newest firing as sync.status records it. A card folder carrying the profile's marker appears under
// a mount root (FERRY_MOUNT_ROOTS): the engine syncs it, and the card says what fired, where, and
// that it synced.
import { randomBytes } from 'node:crypto'
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import { openEngine, settle } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'
import { installBridge } from '../helpers/ui'

const WAIT = { timeout: 20_000 }

describe('the Sync card’s triggers', () => {
  const tmp = tempDir('ferry-ui-triggers-')
  const lib = join(tmp.path, 'library')
  const mnt = join(tmp.path, 'mnt')
  const away = join(tmp.path, 'away')
  let engine: Engine
  const saved = process.env.FERRY_MOUNT_ROOTS

  beforeAll(async () => {
    mkdirSync(join(lib, 'Album'), { recursive: true })
    for (let i = 0; i < 3; i++) writeFileSync(join(lib, 'Album', `0${i} Track.mp3`), randomBytes(3000 + i))
    mkdirSync(join(mnt, 'CARD'), { recursive: true })
    mkdirSync(away)
    process.env.FERRY_MOUNT_ROOTS = mnt
    engine = await openEngine(join(tmp.path, 'data'), { triggers: { rescanMs: 2000 } })
    installBridge(engine)
    // A first sync by hand leaves the profile's marker on the card; then the card is unplugged.
    await engine.api.invoke('profiles.create', {
      name: 'Card',
      sources: [lib],
      destination: join(mnt, 'CARD'),
    })
    const first = await engine.api.invoke('sync.run', { profile: 'Card', limit: 0 })
    await settle(engine, first.batchId!)
    renameSync(join(mnt, 'CARD'), join(away, 'CARD'))
    writeFileSync(join(lib, 'Album', '09 New.mp3'), randomBytes(5000))
  })
  afterAll(async () => {
    cleanup()
    await engine?.close()
    if (saved === undefined) delete process.env.FERRY_MOUNT_ROOTS
    else process.env.FERRY_MOUNT_ROOTS = saved
    tmp.remove()
  })

  it('shows the triggers that are on, and no firing before the first', async () => {
    await engine.api.invoke('profiles.update', {
      name: 'Card',
      triggers: { onDevicePlugged: true, onLibraryChange: false, intervalMinutes: 30 },
    })
    const { SyncView } = await import('../../src/renderer/src/views/Sync/SyncView')
    render(<SyncView />)
    const card = await screen.findByRole('listitem', { name: 'Card' }, WAIT)
    const triggers = await within(card).findByTestId('sync-triggers', {}, WAIT)
    expect(triggers.textContent).toContain('Syncs by itself: when plugged in · every 30 min')
    expect(within(card).queryByTestId('last-trigger')).toBeNull()
    // The engine's note on what it watches.
    await waitFor(() => expect(triggers.textContent).toContain(`Waiting for the device under ${mnt}`), WAIT)
  })

  it('a card with the marker appears under another name: the card says it fired, where, and that it synced', async () => {
    renameSync(join(away, 'CARD'), join(mnt, 'CARD2'))
    const card = screen.getByRole('listitem', { name: 'Card' })
    const fired = await within(card).findByTestId('last-trigger', {}, WAIT)
    expect(fired.textContent).toMatch(
      new RegExp(
        `^Device appeared at ${join(mnt, 'CARD2').replace(/[/\\]/g, '.')} — (sync started|syncing|synced)`,
      ),
    )
    await waitFor(
      () => expect(within(card).getByTestId('last-trigger').textContent).toMatch(/— synced · just now$/),
      WAIT,
    )
    const [status] = await engine.api.invoke('sync.status')
    expect(status!.triggers.recent[0]).toMatchObject({ trigger: 'device', outcome: 'started' })
    // The card shows the device where it is now, with its capacity, not "not found" at the old path.
    await waitFor(
      () =>
        expect(
          within(card).getByText(`Device present at ${join(mnt, 'CARD2')} (recognised by its marker)`),
        ).toBeTruthy(),
      WAIT,
    )
    expect(within(card).getByText(join(mnt, 'CARD2'))).toBeTruthy()
    expect(within(card).getByRole('group', { name: "Capacity of Card's device" })).toBeTruthy()
  })
})
