// The Presets and Settings views in real Chromium against a real `ferry serve`: a preset made through
// the form (refused first, as the engine would), then a real FLAC converted with it and read back.
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ffmpeg, makeTaggedFlac, mp3RateMode, readAudio } from '../helpers/audio'
import { launchChromium, SHOTS } from '../helpers/browser'
import { runFerry, type Served, startServe, tempDir } from '../helpers/ferry'

describe('the Presets and Settings views in Chromium against ferry serve', () => {
  const dir = tempDir('ferry-e2e-presets-')
  const data = join(dir.path, 'data')
  let served: Served
  let browser: Browser

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    const cover = join(dir.path, 'cover.png')
    await ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x3366cc:s=300x300', '-frames:v', '1', cover])
    await makeTaggedFlac(join(dir.path, 'music', 'Album', '01 Song.flac'), cover, 6)
    ;[served, browser] = await Promise.all([startServe(data), launchChromium()])
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
    dir.remove()
  })

  async function open(view: string, opts: { width?: number; height?: number; dark?: boolean } = {}) {
    const page = await browser.newPage({
      viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
      colorScheme: opts.dark ? 'dark' : 'light',
    })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(served.url)
    await page.getByRole('button', { name: view, exact: true }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(view)
    return { page, errors }
  }

  /** Light and dark, 1280×800 and 800×600, as a user would see the view. */
  async function shoot(view: string, ready: (page: Page) => Promise<void>) {
    for (const dark of [false, true])
      for (const [width, height] of [
        [1280, 800],
        [800, 600],
      ] as const) {
        const { page, errors } = await open(view, { width, height, dark })
        await ready(page)
        await page.screenshot({
          path: join(SHOTS, `${view.toLowerCase()}-${dark ? 'dark' : 'light'}-${width}.png`),
        })
        expect(errors).toEqual([])
        await page.close()
      }
  }

  it('makes a preset through the form, refused until valid, and converts a real FLAC with it', async () => {
    const { page, errors } = await open('Presets')
    await page.getByRole('button', { name: 'New preset' }).click()
    const dialog = page.getByRole('dialog', { name: 'New preset' })
    const name = dialog.getByLabel('Name')
    await name.fill('Car Stereo')
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true')
    expect(await dialog.getByText(/^A preset name is 1–40 lower-case letters/).isVisible()).toBe(true)
    await dialog.getByRole('button', { name: 'Create preset' }).click()
    expect(await dialog.isVisible()).toBe(true)

    await name.fill('car-mp3')
    await dialog.getByLabel('Description').fill('For the car: small CBR files, no covers')
    await dialog.getByLabel('Bitrate mode').selectOption('cbr')
    await dialog.getByLabel('Bitrate', { exact: true }).selectOption('192')
    await dialog.getByLabel('Cover art').selectOption('remove')
    await dialog.getByLabel('Sample rate').selectOption('44100')
    expect(
      await dialog.getByText(/MP3, CBR 192 kbit\/s, resampled to 44\.1 kHz, ID3v2\.3, cover removed/).count(),
    ).toBe(1)
    await page.screenshot({ path: join(SHOTS, 'preset-editor-light-1280.png') })
    await dialog.getByRole('button', { name: 'Create preset' }).click()
    await expect.poll(() => dialog.count()).toBe(0)
    const card = page.getByRole('listitem', { name: 'car-mp3' })
    expect(await card.getByText(/^MP3, CBR 192 kbit\/s/).isVisible()).toBe(true)
    expect(errors).toEqual([])
    await page.close()

    // The engine converts with the preset the page made.
    const out = join(dir.path, 'car')
    const r = await runFerry([
      '--data-dir',
      data,
      'convert',
      '-q',
      '-p',
      'car-mp3',
      join(dir.path, 'music'),
      out,
    ])
    expect(r.code, r.stderr).toBe(0)
    const file = join(out, 'music', 'Album', '01 Song.mp3')
    expect(existsSync(file)).toBe(true)
    const audio = await readAudio(file)
    expect(audio.codec).toBe('MPEG 1 Layer 3')
    expect(audio.art).toBe(false)
    expect(audio.tagTypes).toContain('ID3v2.3')
    expect(audio.tags.title).toBeTruthy()
    expect(await mp3RateMode(file)).toBe('cbr')
    expect(Math.round(audio.bitrate / 1000)).toBe(192)
    expect(audio.duration).toBeGreaterThan(5.5)
  })

  it('changes settings from the page, and looks right in both themes at both sizes', async () => {
    const { page, errors } = await open('Settings')
    const convert = page.getByLabel('Conversions')
    await convert.fill('3')
    await convert.press('Enter')
    await expect
      .poll(async () => (await runFerry(['--data-dir', data, 'settings', '--json'])).stdout)
      .toMatch(/"workers.convert": 3/)
    // A path the engine did not find is refused, with what to run instead.
    await page.getByLabel('Another ffmpeg').fill('/opt/elsewhere/ffmpeg')
    await page.getByRole('button', { name: 'Use this path' }).click()
    expect(await page.getByRole('alert').textContent()).toContain(
      'ferry settings set ffmpegPath "/opt/elsewhere/ffmpeg"',
    )
    await page.getByLabel('Another ffmpeg').fill('')
    // The theme follows the setting over the OS's.
    await page.getByRole('radio', { name: 'Dark' }).check()
    const html = page.locator('html')
    await expect.poll(() => html.getAttribute('data-theme')).toBe('dark')
    // This page's OS says light; the dark colours apply all the same.
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(22, 24, 29)')
    await page.getByRole('radio', { name: 'Follow the system' }).check()
    await expect.poll(() => html.getAttribute('data-theme')).toBe(null)
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(246, 247, 249)')
    expect(errors).toEqual([])
    await page.close()

    await shoot('Settings', (p) => p.getByTestId('settings-ffmpeg-version').waitFor())
    await shoot('Presets', (p) => p.getByRole('listitem', { name: 'car-mp3' }).waitFor())
  })
})
