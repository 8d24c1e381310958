import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
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
    // The token leaves the address bar (kept in this tab's sessionStorage).
    await expect.poll(() => page.url()).toBe(`http://127.0.0.1:${served.port}/`)
    await page.getByRole('button', { name: 'System', exact: true }).click()
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
    await page.getByRole('button', { name: 'Queue', exact: true }).click()
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Queue')
    await page.reload()
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Queue')
    expect(errors).toEqual([])
  })

  it('no request to another server on 127.0.0.1 carries a Ferry secret; a reload keeps working', async () => {
    // Another local web server, as a user might have (a dev server, a NAS admin page).
    const seen: string[] = []
    const other = createServer((req, res) => {
      seen.push(JSON.stringify({ url: req.url, headers: req.headers }))
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<p>other</p>')
    })
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
    const otherPort = (other.address() as AddressInfo).port
    try {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.goto(served.url)
      await expect.poll(() => page.getByRole('status').textContent()).toContain('connected')
      // Ferry's page cannot even reach another server (its CSP allows only its own origin)…
      const blocked = await page.evaluate(
        (port) =>
          fetch(`http://127.0.0.1:${port}/fetch`, { credentials: 'include', mode: 'no-cors' }).then(
            () => false,
            () => true,
          ),
        otherPort,
      )
      expect(blocked).toBe(true)
      // …and what the same browser sends to that server, visiting and fetching, holds no Ferry secret.
      const neighbour = await context.newPage()
      await neighbour.goto(`http://127.0.0.1:${otherPort}/neighbour`)
      await neighbour.evaluate(() => fetch('/fetch', { credentials: 'include' }))
      await page.goto(`http://127.0.0.1:${otherPort}/visit`)
      expect(seen.length).toBeGreaterThanOrEqual(3)
      for (const request of seen) expect(request).not.toContain(served.token)
      expect((await context.cookies()).length).toBe(0)
      // Back to Ferry without the token in the address: this tab still has it, after a reload too.
      await page.goto(`http://127.0.0.1:${served.port}/#/queue`)
      await expect.poll(() => page.getByRole('status').textContent()).toContain('connected')
      await page.reload()
      await expect.poll(() => page.getByRole('status').textContent()).toContain('connected')
      await context.close()

      // A tab that never had the token says what to do.
      const fresh = await browser.newContext()
      const stranger = await fresh.newPage()
      await stranger.goto(`http://127.0.0.1:${served.port}/`)
      await expect
        .poll(() => stranger.getByRole('heading', { level: 1 }).textContent())
        .toBe('Open the address Ferry printed')
      await fresh.close()
    } finally {
      other.close()
    }
  })
})
