// Background work in real Chromium against a real `ferry serve`: what the page says when work it did
// not start ends. Batches queued by the `ferry` command end in one toast each (never one per file): a
// convert with one corrupt file in a failure toast that stays, and its button opens the Queue at that
// batch. A card folder carrying a profile's marker appears under a mount root (FERRY_MOUNT_ROOTS):
// the engine syncs it without a click, and the profile's card says what fired and that it synced.
// Screenshots in light and dark at 1280×800 and 800×600.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeToneFlac } from '../helpers/audio'
import { launchChromium, openPage, SHOTS, shootAll } from '../helpers/browser'
import { ferryOk, type Served, startServe, tempDir } from '../helpers/ferry'

/** What the notification test reads and sets in the page (this file is typechecked without the DOM). */
interface PageGlobals {
  shown: { title: string; body?: string; click(): void }[]
  Notification: unknown
  document: { hasFocus(): boolean }
}

describe('background work in Chromium against ferry serve', () => {
  const dir = tempDir('ferry-e2e-background-')
  const data = join(dir.path, 'data')
  const music = join(dir.path, 'music')
  const out = join(dir.path, 'OUT')
  const mnt = join(dir.path, 'mnt')
  const away = join(dir.path, 'away')
  let served: Served
  let browser: Browser
  let page: Page
  let errors: string[] = []

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    for (const d of [out, mnt, away]) mkdirSync(d)
    for (const name of ['01 Sexy Boy', '02 Talisman']) await makeToneFlac(join(music, 'Air', `${name}.flac`))
    for (const name of ['01 Hunter', '02 Jóga']) await makeToneFlac(join(music, 'Homogenic', `${name}.flac`))
    // Not audio at all, whatever its name says: its convert fails.
    writeFileSync(join(music, 'Homogenic', '03 Unravel.flac'), Buffer.alloc(64 * 1024, 0x5a))
    served = await startServe(data, { FERRY_MOUNT_ROOTS: mnt })
    browser = await launchChromium()
    ;({ page, errors } = await openPage(browser))
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
    dir.remove()
  })

  const ferry = (...args: string[]) => ferryOk(data, ...args)
  const toasts = () => page.getByRole('region', { name: /^Notifications/ })
  const shoot = (name: string) => shootAll(page, name)

  it('one toast per batch: a copy that went well, a convert with one corrupt file that failed', async () => {
    await page.goto(served.url)
    await page.getByRole('button', { name: 'Sync', exact: true }).click()
    await expect.poll(() => page.getByRole('heading', { name: 'Sync', exact: true }).count()).toBe(1)

    await ferry('cp', '--enqueue-only', join(music, 'Air'), out)
    const ok = toasts().getByRole('status', { name: /^copy Air → .* finished$/ })
    await expect.poll(() => ok.count(), { timeout: 30_000 }).toBe(1)
    expect(await ok.textContent()).toContain('2 done')
    // A pointer resting on the toasts holds their timers (as a person reading one would): on a loaded
    // machine the convert below can take longer than the success toast's 6 s.
    await ok.hover()

    await ferry('convert', '--enqueue-only', join(music, 'Homogenic'), out)
    const bad = toasts().getByRole('alert', { name: /^convert Homogenic → .* finished with 1 failure$/ })
    await expect.poll(() => bad.count(), { timeout: 30_000 }).toBe(1)
    expect(await bad.textContent()).toContain('1 failed')
    // Five files, two batches: two toasts.
    expect(await toasts().locator('li').count()).toBe(2)
    await shoot('toast')

    // The pointer leaves: the success fades; the failure stays.
    await page.mouse.move(1, 1)
    await expect.poll(() => ok.count(), { timeout: 15_000 }).toBe(0)
    expect(await bad.count()).toBe(1)
  })

  it('the failure toast’s button opens the Queue at that batch, its failure in view', async () => {
    await toasts()
      .getByRole('alert', { name: /^convert Homogenic/ })
      .getByRole('button', { name: 'Show in Queue' })
      .click()
    await expect.poll(() => page.getByRole('heading', { name: 'Queue', exact: true }).count()).toBe(1)
    const grid = page.getByRole('grid', { name: 'Tasks by batch' })
    const header = grid.getByRole('row', { name: /^convert Homogenic → .*1 failed/ })
    await expect.poll(() => header.getAttribute('aria-selected')).toBe('true')
    await expect.poll(() => grid.getByRole('row', { name: /^Failed.*03 Unravel\.flac/ }).count()).toBe(1)
    await expect.poll(() => toasts().getByRole('alert').count()).toBe(0)
  })

  it('a card folder with the profile’s marker appears under a mount root: it syncs, and the card says so', async () => {
    // A first sync by hand leaves the marker on the card; the card is unplugged; the trigger is set.
    await ferry('profile', 'add', 'Card', '-s', join(music, 'Air'), '-d', join(mnt, 'CARD'))
    await ferry('profile', 'sync', 'Card', '--quiet')
    renameSync(join(mnt, 'CARD'), join(away, 'CARD'))
    await ferry('profile', 'set', 'Card', '--on-device', '--every', '30')
    await makeToneFlac(join(music, 'Air', '03 Playground Love.flac'))

    await page.getByRole('button', { name: 'Sync', exact: true }).click()
    const card = page.getByRole('listitem', { name: 'Card' })
    await expect
      .poll(() => card.getByTestId('sync-triggers').textContent(), { timeout: 15_000 })
      .toContain('Syncs by itself: when plugged in · every 30 min')
    // The card says it waits for the device (the engine has looked at what is plugged in already: a
    // card there before it looked is not "plugged in"; it says "Starting to watch…" until then).
    await expect
      .poll(() => card.getByTestId('sync-triggers').textContent(), { timeout: 15_000 })
      .toContain(`Waiting for the device under ${mnt}`)

    // Plugged in again, at another mount point.
    renameSync(join(away, 'CARD'), join(mnt, 'CARD2'))
    const fired = card.getByTestId('last-trigger')
    await expect
      .poll(() => fired.textContent(), { timeout: 30_000 })
      .toMatch(new RegExp(`^Device appeared at ${join(mnt, 'CARD2')} — synced · just now$`))
    const synced = toasts().getByRole('status', { name: 'Synced Card' })
    await expect.poll(() => synced.count(), { timeout: 15_000 }).toBe(1)
    await shoot('sync-triggers')

    // The editor says what each trigger does.
    await card.getByRole('button', { name: 'Edit Card' }).click()
    const editor = page.getByRole('dialog')
    const auto = editor.getByRole('heading', { name: 'Automatic syncs' })
    await auto.scrollIntoViewIfNeeded()
    expect(await editor.getByRole('checkbox', { name: 'When the device is plugged in' }).isChecked()).toBe(
      true,
    )
    expect(await editor.getByRole('spinbutton', { name: 'Minutes between syncs' }).inputValue()).toBe('30')
    await page.screenshot({ path: join(SHOTS, 'sync-editor-triggers-light-1280.png') })
    await editor.getByRole('button', { name: 'Cancel' }).click()
  })

  it('in a browser tab: system notifications once allowed in Settings, while the tab is in the background', async () => {
    await page.context().grantPermissions(['notifications'])
    await page.getByRole('button', { name: 'Settings', exact: true }).click()
    const box = page.getByRole('checkbox', { name: 'Desktop notifications from this browser tab' })
    expect(await box.isChecked()).toBe(false)
    await box.click()
    await expect.poll(() => box.isChecked()).toBe(true)
    await page.screenshot({ path: join(SHOTS, 'settings-notifications-light-1280.png'), fullPage: true })

    // The page records what it shows instead of the system, and is told it is not in front.
    await page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals
      const shown: PageGlobals['shown'] = []
      page.shown = shown
      class Recorded {
        static permission = 'granted'
        onclick: (() => void) | null = null
        constructor(title: string, opts?: { body?: string }) {
          shown.push({ title, body: opts?.body, click: () => this.onclick?.() })
        }
        close() {}
      }
      page.Notification = Recorded
      page.document.hasFocus = () => false
    })
    await ferry('cp', '--enqueue-only', join(music, 'Homogenic', '01 Hunter.flac'), out)
    const titles = () => page.evaluate(() => (globalThis as unknown as PageGlobals).shown.map((n) => n.title))
    await expect
      .poll(titles, { timeout: 30_000 })
      .toEqual([expect.stringMatching(/^copy 01 Hunter\.flac → .* finished$/)])
    // Clicking it opens the Queue at that batch.
    await page.evaluate(() => (globalThis as unknown as PageGlobals).shown[0]!.click())
    await expect.poll(() => page.getByRole('heading', { name: 'Queue', exact: true }).count()).toBe(1)
    const header = page
      .getByRole('grid', { name: 'Tasks by batch' })
      .getByRole('row', { name: /^copy 01 Hunter\.flac → / })
    await expect.poll(() => header.getAttribute('aria-selected')).toBe('true')
    expect(errors).toEqual([])
  })
})
