// The Sync view in real Chromium against a real `ferry serve`, with real audio made by ffmpeg: a
// profile for a "card" folder made through the editor, its preview, a sync (lossless files converted
// by ffmpeg, MP3s and the cover copied), the result and the capacity bar on the card, the files on the
// card; screenshots in light and dark at 1280×800 and 800×600.
import { mkdirSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ffmpeg } from '../helpers/audio'
import { launchChromium, SHOTS } from '../helpers/browser'
import { type Served, startServe, tempDir } from '../helpers/ferry'

/** Bytes as the UI writes them (src/renderer/src/components/format.ts, which the node tests cannot import). */
function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let i = 0
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024
    i++
  }
  return `${i === 0 ? n : n.toFixed(n >= 100 ? 0 : 1)} ${units[i]}`
}

/** Every file below a folder, relative, sorted, with its size (the marker left out). */
function tree(root: string): { path: string; size: number }[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== '.ferry-profile.json')
    .map((e) => {
      const abs = join(e.parentPath, e.name)
      return { path: abs.slice(root.length + 1), size: statSync(abs).size }
    })
    .sort((a, b) => a.path.localeCompare(b.path))
}

async function makeLibrary(lib: string): Promise<void> {
  const album = join(lib, 'Nina Ö', 'First Album')
  const live = join(lib, 'The Band', 'Live: 2019')
  mkdirSync(album, { recursive: true })
  mkdirSync(live, { recursive: true })
  const tone = (hz: number, s = 4) => ['-f', 'lavfi', '-i', `sine=frequency=${hz}:duration=${s}`, '-ac', '2']
  const tag = (title: string) => ['-metadata', `title=${title}`, '-metadata', 'artist=Nina Ö']
  for (const [i, hz] of [440, 494, 523].entries())
    await ffmpeg([
      ...tone(hz),
      ...tag(`Song ${i + 1}`),
      '-c:a',
      'flac',
      join(album, `0${i + 1} Song ${i + 1}.flac`),
    ])
  for (const [i, hz] of [330, 349].entries())
    await ffmpeg([...tone(hz), '-c:a', 'libmp3lame', '-q:a', '5', join(live, `0${i + 1} Live ${i + 1}.mp3`)])
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'color=c=teal:s=200x200:d=1',
    '-frames:v',
    '1',
    join(album, 'cover.jpg'),
  ])
}

describe('the Sync view in Chromium against ferry serve', () => {
  const dir = tempDir('ferry-e2e-sync-')
  const lib = join(dir.path, 'Music')
  const card = join(dir.path, 'media', 'CARD')
  const dst = join(card, 'Music')
  let served: Served
  let browser: Browser

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    mkdirSync(card, { recursive: true })
    await makeLibrary(lib)
    served = await startServe(join(dir.path, 'data'))
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
    dir.remove()
  })

  async function shoot(page: Page, name: string) {
    for (const scheme of ['light', 'dark'] as const)
      for (const [width, height] of [
        [1280, 800],
        [800, 600],
      ] as const) {
        await page.emulateMedia({ colorScheme: scheme })
        await page.setViewportSize({ width, height })
        await page.waitForTimeout(150)
        // Nothing spills sideways at either size.
        const spill = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')
        expect(spill, `${name} ${scheme} ${width}: page wider than the window`).toBeLessThanOrEqual(0)
        await page.screenshot({ path: join(SHOTS, `${name}-${scheme}-${width}.png`) })
      }
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 1280, height: 800 })
  }

  it('creates a profile, previews it, syncs it, and shows the result and the capacity bar', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(served.url)
    await page.getByRole('button', { name: 'Sync', exact: true }).click()
    await page.getByText("Set up a sync: pick your library folder and your device's folder.").waitFor()
    await shoot(page, 'sync-empty')

    // The editor, by keyboard where a user would type.
    await page.getByRole('button', { name: 'New profile' }).click()
    const editor = page.getByRole('dialog', { name: 'New sync profile' })
    await editor.getByRole('textbox', { name: 'Name' }).fill('Card')
    // The library folder through the engine's folder browser, the device's folder typed.
    await editor.getByRole('button', { name: 'Browse for library folders' }).click()
    const picker = page.getByRole('dialog', { name: 'Choose library folders' })
    await picker.getByRole('textbox', { name: 'Folder path' }).fill(dir.path)
    await picker.getByRole('textbox', { name: 'Folder path' }).press('Enter')
    await picker.getByRole('checkbox', { name: 'Select Music' }).check()
    await picker.getByRole('button', { name: 'Add 1 selected' }).click()
    await picker.waitFor({ state: 'detached' })
    expect(await editor.getByRole('textbox', { name: 'Library folder 1' }).inputValue()).toBe(lib)
    await editor.getByRole('textbox', { name: "Device's folder" }).fill(dst)
    await editor.getByRole('radio', { name: /Mirror/ }).check()
    await editor.getByRole('button', { name: 'Create profile' }).press('Enter')
    await editor.waitFor({ state: 'detached' })
    const cardEl = page.getByRole('listitem', { name: 'Card' })
    await cardEl.getByText('Ready: the first sync makes the folder').waitFor()
    await cardEl.getByText(/^Next sync:/).waitFor({ timeout: 15_000 })

    // Preview: totals first, then the entries.
    await cardEl.getByRole('button', { name: 'Preview Card' }).click()
    const preview = page.getByRole('dialog', { name: 'Preview: Card' })
    const totals = preview.getByRole('list', { name: 'Plan totals' })
    await totals.waitFor({ timeout: 15_000 })
    expect(await totals.getByRole('listitem').allTextContents()).toEqual([
      '3Convert',
      '3Copy',
      '0Delete',
      '0Conflicts',
      '0Up to date',
    ])
    const converts = preview.getByRole('list', { name: 'Convert entries' })
    await expect.poll(() => converts.getByRole('listitem').count()).toBe(3)
    expect(await converts.textContent()).toContain('Nina Ö/First Album/01 Song 1.mp3')
    await preview.getByRole('button', { name: /^Copy/ }).click()
    const copies = preview.getByRole('list', { name: 'Copy entries' })
    await expect.poll(() => copies.getByRole('listitem').count()).toBe(3)
    // FAT32 names: the colon of "Live: 2019" cannot be on the card.
    expect(await copies.textContent()).toContain('The Band/Live_ 2019/01 Live 1.mp3')
    await shoot(page, 'sync-preview')

    // Sync now, from the preview: ffmpeg converts, the card shows the result.
    await preview.getByRole('button', { name: 'Sync now' }).click()
    await preview.waitFor({ state: 'detached' })
    await cardEl.getByText('6 done').waitFor({ timeout: 60_000 })
    await cardEl.getByText('Device present').waitFor()
    expect(tree(dst).map((f) => f.path)).toEqual([
      'Nina Ö/First Album/01 Song 1.mp3',
      'Nina Ö/First Album/02 Song 2.mp3',
      'Nina Ö/First Album/03 Song 3.mp3',
      'Nina Ö/First Album/cover.jpg',
      'The Band/Live_ 2019/01 Live 1.mp3',
      'The Band/Live_ 2019/02 Live 2.mp3',
    ])
    // The capacity bar: Ferry's bytes are what is on the card.
    const written = tree(dst).reduce((sum, f) => sum + f.size, 0)
    const bar = cardEl.getByRole('img', { name: /^Ferry's files/ })
    await expect
      .poll(() => bar.getAttribute('aria-label'))
      .toContain(`Ferry's files ${formatBytes(written)},`)
    await expect
      .poll(() => cardEl.getByText(/^Next sync:/).textContent())
      .toBe('Next sync: nothing to write or free')

    // A new album in the library: the preview says what the next sync adds, and the bar shows it.
    await ffmpeg([
      ...['-f', 'lavfi', '-i', 'sine=frequency=600:duration=6', '-ac', '2'],
      ...['-c:a', 'flac', join(lib, 'Nina Ö', 'First Album', '04 Encore.flac')],
    ])
    await cardEl.getByRole('button', { name: 'Preview Card' }).click()
    await preview.getByRole('list', { name: 'Plan totals' }).waitFor({ timeout: 15_000 })
    await expect.poll(() => preview.getByRole('listitem').first().textContent()).toBe('1Convert')
    await preview.getByRole('button', { name: 'Close' }).click()
    await expect.poll(() => cardEl.getByText(/^Next sync:/).textContent()).toMatch(/^Next sync: \+[1-9]/)
    await shoot(page, 'sync')
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)
})
