import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeLongFlac, makeToneFlac } from '../helpers/audio'
import { launchChromium, openPage, SHOTS, shootAll } from '../helpers/browser'
import { ferryOk, type Served, startServe, tempDir } from '../helpers/ferry'

// The Queue view in real Chromium against a real `ferry serve`: work enqueued by the `ferry` command
// (which attaches to the running engine) appears and completes in the list; a corrupt file fails with
// ffmpeg's reason and, once replaced, succeeds on retry; a batch pauses and resumes; Delete cancels.
describe('the Queue view in Chromium against ferry serve', () => {
  const dir = tempDir('ferry-e2e-queue-')
  const data = join(dir.path, 'data')
  const music = join(dir.path, 'music')
  const card = join(dir.path, 'CARD')
  let served: Served
  let browser: Browser
  let page: Page
  let errors: string[] = []

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    mkdirSync(card)
    for (const name of ['01 Sexy Boy', '02 Kelly Watch the Stars', '03 Talisman'])
      await makeToneFlac(join(music, 'Air', 'Moon Safari', `${name}.flac`))
    for (const name of ['01 Hunter', '02 Jóga', '03 Unravel'])
      await makeToneFlac(join(music, 'Björk', 'Homogenic', `${name}.flac`))
    // Not audio at all, whatever its name says.
    mkdirSync(join(music, 'Broken'), { recursive: true })
    writeFileSync(join(music, 'Broken', 'Damaged.flac'), Buffer.alloc(64 * 1024, 0x5a))
    served = await startServe(data)
    browser = await launchChromium()
    ;({ page, errors } = await openPage(browser))
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
    dir.remove()
  })

  const ferry = (...args: string[]) => ferryOk(data, ...args)
  const grid = () => page.getByRole('grid', { name: 'Tasks by batch' })
  const header = (label: RegExp) => grid().getByRole('row', { name: label })
  const shoot = (name: string) => shootAll(page, name)

  it('shows what the ferry command enqueues, live, until it is done', async () => {
    await page.goto(served.url)
    await page.getByRole('button', { name: 'Queue', exact: true }).click()
    await expect.poll(() => page.getByText('Drop a folder here, or set up a sync.').count()).toBe(1)
    await page.screenshot({ path: join(SHOTS, 'queue-empty.png') })

    await ferry('cp', '--enqueue-only', join(music, 'Air'), card)
    await expect.poll(() => header(/^copy Air → .*, 3 done$/).count(), { timeout: 20_000 }).toBe(1)
    await expect.poll(() => grid().getByRole('row', { name: /^Done/ }).count()).toBe(3)
    expect(
      await grid()
        .getByRole('row', { name: /02 Kelly Watch the Stars\.flac/ })
        .textContent(),
    ).toContain('Moon Safari')
  })

  it('a corrupt file fails with its reason in full; replaced by a real one, it succeeds on retry', async () => {
    await ferry('convert', '--enqueue-only', join(music, 'Broken'), card)
    const failed = grid().getByRole('row', { name: /^Failed.*Damaged\.flac/ })
    await expect.poll(() => failed.count(), { timeout: 20_000 }).toBe(1)
    expect(await failed.textContent()).toContain('Not a readable audio file')
    await expect.poll(() => header(/^convert Broken → .*, 1 failed$/).count()).toBe(1)

    await failed.click()
    const details = page.getByRole('complementary', { name: 'Damaged.flac' })
    const error = (await details.getByTestId('task-error').textContent())!
    expect(error).toMatch(/^Not a readable audio file\. ffmpeg .* said: /)
    expect(error).toContain(join(music, 'Broken', 'Damaged.flac'))
    await shoot('queue')

    // The user puts a good copy in its place, and retries.
    await makeToneFlac(join(music, 'Broken', 'Damaged.tmp.flac'))
    renameSync(join(music, 'Broken', 'Damaged.tmp.flac'), join(music, 'Broken', 'Damaged.flac'))
    await details.getByRole('button', { name: 'Retry task' }).click()
    // Done: the encode, and the move of its result into place.
    await expect
      .poll(() => header(/^convert Broken → /).getAttribute('aria-label'), { timeout: 20_000 })
      .toMatch(/^convert Broken → [^,]*, 2 done$/)
    await expect.poll(() => details.getByText('Done', { exact: true }).count()).toBe(1)
    await details.getByRole('button', { name: 'Close the details' }).click()
  })

  it('pauses and resumes one batch; Delete cancels the selected task', async () => {
    await page.getByRole('button', { name: 'Pause the queue' }).click()
    await ferry('cp', '--enqueue-only', join(music, 'Björk'), card)
    const bjork = /^copy Björk → /
    await expect
      .poll(() => header(bjork).getAttribute('aria-label'), { timeout: 20_000 })
      .toMatch(/, 3 pending$/)
    const label = /^(.*?), \d/.exec((await header(bjork).getAttribute('aria-label'))!)![1]!
    await page.getByRole('button', { name: `Pause ${label}` }).click()
    await expect.poll(() => header(bjork).getAttribute('aria-label')).toMatch(/, 3 pending, paused$/)
    await expect
      .poll(() =>
        grid()
          .getByRole('row', { name: /^Paused/ })
          .count(),
      )
      .toBe(3)

    // The queue runs again, but not this batch.
    await page.getByRole('button', { name: 'Resume the queue' }).click()
    await page.waitForTimeout(1500)
    expect(await header(bjork).getAttribute('aria-label')).toMatch(/, 3 pending, paused$/)

    // Keyboard: Home selects the first row (this batch, the newest); ↓ its first task; Delete
    // cancels it.
    await grid().focus()
    await page.keyboard.press('Home')
    await page.keyboard.press('ArrowDown')
    const selected = grid().locator('[role="row"][aria-selected="true"]')
    await expect.poll(() => selected.getAttribute('aria-label').catch(() => null)).toBeNull()
    const name = (await selected.getAttribute('title'))!.split('/').pop()!
    await page.keyboard.press('Delete')
    await expect
      .poll(() =>
        grid()
          .getByRole('row', { name: new RegExp(`^Cancelled.*${name}`) })
          .count(),
      )
      .toBe(1)
    await expect
      .poll(() => header(bjork).getAttribute('aria-label'))
      .toMatch(/, 2 pending, 1 cancelled, paused$/)

    await page.getByRole('button', { name: `Resume ${label}` }).click()
    await expect
      .poll(() => header(bjork).getAttribute('aria-label'), { timeout: 20_000 })
      .toMatch(/, 2 done, 1 cancelled$/)
    const ls = JSON.parse((await ferry('queue', 'ls', '--json', '-s', 'cancelled')).stdout) as {
      tasks: { src: string }[]
    }
    expect(ls.tasks.map((t) => t.src.split('/').pop())).toEqual([name])
    await shoot('queue-done')
  })

  it('shows running conversions live in the workers panel and their rows; the batch menu cancels the rest', async () => {
    for (let i = 1; i <= 4; i++) await makeLongFlac(join(music, 'Long', `0${i} Noise.flac`), 150)
    await ferry('convert', '--enqueue-only', join(music, 'Long'), card)
    const long = /^convert Long → /
    // Both convert workers busy, each row with its file and a percentage that grows.
    const busy = page.getByRole('row', { name: /^Convert \d: convert 0\d Noise\.flac$/ })
    await expect.poll(() => busy.count(), { timeout: 20_000 }).toBe(2)
    const bar = page.getByRole('progressbar', { name: 'Convert 1 progress' })
    await expect
      .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 20_000, interval: 50 })
      .toBeGreaterThanOrEqual(15)
    await expect
      .poll(() =>
        grid()
          .getByRole('row', { name: /^Running/ })
          .count(),
      )
      .toBe(2)
    await shoot('queue-live')

    const label = /^(.*?), \d/.exec((await header(long).getAttribute('aria-label'))!)![1]!
    await page.getByRole('button', { name: `More actions for ${label}` }).click()
    await page.getByRole('menuitem', { name: /^Cancel the remaining/ }).click()
    await expect
      .poll(() => header(long).getAttribute('aria-label'), { timeout: 20_000 })
      .toMatch(/^convert Long → [^,]*, (\d+ done, )?\d+ cancelled$/)
    await expect.poll(() => page.getByRole('row', { name: /^Convert \d: idle$/ }).count()).toBe(2)
    expect(errors).toEqual([])
  })
})
