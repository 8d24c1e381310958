import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, SHOTS } from '../helpers/browser'
import { type Served, startServe, tempDir } from '../helpers/ferry'

describe('the web UI in real Chromium against ferry serve', () => {
  const dir = tempDir()
  let served: Served
  let browser: Browser

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    served = await startServe(dir.path)
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
    dir.remove()
  })

  it('opens the printed URL and fills the System view with the engine’s real data', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 720 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))

    await page.goto(served.url)
    expect(new URL(page.url()).searchParams.has('token')).toBe(false) // token moved to a cookie
    await page.getByRole('button', { name: 'System' }).click()
    await expect
      .poll(() => page.getByTestId('ffmpeg-version').textContent(), { timeout: 15_000 })
      .toBeTruthy()

    const ffmpegPath = (await page.getByTestId('ffmpeg-path').textContent())!
    const ffmpeg = execFileSync(ffmpegPath, ['-version'], { encoding: 'utf8' })
    const shown = await page.getByTestId('ffmpeg-version').textContent()
    expect(ffmpeg.split('\n')[0]).toContain(`ffmpeg version ${shown} `)
    expect(await page.getByTestId('database-path').textContent()).toBe(join(dir.path, 'ferry.db'))
    const encoders = await page.getByTestId('encoders').locator('tbody tr').count()
    expect(encoders).toBeGreaterThan(5)
    await expect.poll(() => page.getByRole('status').textContent()).toContain('connected')
    await page.screenshot({ path: join(SHOTS, 'system.png'), fullPage: false })

    // Navigation reaches the other views, and the hash keeps the view across a reload.
    await page.getByRole('button', { name: 'Queue' }).click()
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Queue')
    await page.reload()
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Queue')
    expect(errors).toEqual([])
  })
})
