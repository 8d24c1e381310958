import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, openPage, SHOTS } from '../helpers/browser'
import { runFerry, type Served, startServe, tempDir } from '../helpers/ferry'

/** A port nothing listens on now, for a server that must come back at the same address. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

// The connection to the engine drops (ferry serve killed, as a crash or a NAS reboot would) and comes
// back (restarted at the same address with the same FERRY_TOKEN): the page says so while it is gone,
// keeps trying, and once it is back shows what happened meanwhile and goes on receiving live events.
describe('the web UI when the engine goes away and comes back', () => {
  const dir = tempDir('ferry-e2e-reconnect-')
  const data = join(dir.path, 'data')
  const token = randomBytes(24).toString('base64url')
  let port: number
  let served: Served
  let browser: Browser
  let page: Page
  let errors: string[] = []

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    for (const n of [1, 2, 3]) {
      mkdirSync(join(dir.path, `src${n}`), { recursive: true })
      writeFileSync(join(dir.path, `src${n}`, `track${n}.txt`), `file ${n}\n`)
    }
    port = await freePort()
    served = await startServe(data, { FERRY_TOKEN: token }, port)
    browser = await launchChromium()
    ;({ page, errors } = await openPage(browser))
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
    dir.remove()
  })

  const lost = () => page.getByRole('alert').filter({ hasText: 'Lost the connection to the Ferry engine' })
  const copy = async (n: number) => {
    const r = await runFerry([
      '--data-dir',
      data,
      'cp',
      '--enqueue-only',
      join(dir.path, `src${n}`),
      join(dir.path, 'out'),
    ])
    expect(r.code, r.stderr).toBe(0)
  }
  const batches = () =>
    page.getByRole('grid', { name: 'Tasks by batch' }).getByRole('row', { name: /^\w+ src\d → / })

  it('says the connection is lost, reconnects by itself, and catches up', async () => {
    expect(served.url).toBe(`http://127.0.0.1:${port}/#token=${token}`)
    await page.goto(served.url)
    await page.getByRole('button', { name: 'Queue', exact: true }).click()
    await copy(1)
    await expect.poll(() => batches().count()).toBe(1)
    expect(await lost().count()).toBe(0)

    served.child.kill('SIGKILL')
    await new Promise((r) => served.child.once('exit', r))
    await expect.poll(() => lost().count()).toBe(1)
    await expect.poll(() => page.getByRole('status').first().textContent()).not.toContain('connected')
    await page.screenshot({ path: join(SHOTS, 'connection-lost.png') })

    // Back at the same address with the same token; work queued while the page was away is shown.
    served = await startServe(data, { FERRY_TOKEN: token }, port)
    await copy(2)
    await expect.poll(() => lost().count(), { timeout: 20_000 }).toBe(0)
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('connected')
    await expect.poll(() => batches().count()).toBe(2)
    // Live events flow again: a batch added now appears without a reload.
    await copy(3)
    await expect.poll(() => batches().count()).toBe(3)
    // Chromium logs each refused attempt while the engine is away; nothing else may go wrong.
    expect(errors.filter((e) => !/^WebSocket connection to .*ERR_CONNECTION_REFUSED/.test(e))).toEqual([])
  })

  it('refuses a FERRY_TOKEN too easy to guess, with what to do, and serves nothing', async () => {
    const r = await runFerry(['--data-dir', join(dir.path, 'other'), 'serve', '--port', '0'], {
      FERRY_TOKEN: 'secret',
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('FERRY_TOKEN must be 32 to 256 letters')
    expect(r.stdout).not.toContain('http://')
  })
})
