// Drop anything, anywhere, in real Chromium against a real `ferry serve`, with real audio made by
// ffmpeg: a drop carrying file:// URIs (text/uri-list, as file managers send) opens the sheet, its
// preview, Add, the batch completes and the files are at the destination; an album converted to
// MP3 V0 through the sheet (outputs read back); a drop of File objects without paths (what Chromium
// gives a page) opens the folder browser where the album is; the "Add files…" button works without
// any drop. Screenshots of the sheet and the browser, light and dark, 1280×800 and 800×600.
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ffmpeg, readAudio } from '../helpers/audio'
import { launchChromium, SHOTS } from '../helpers/browser'
import { type Served, startServe, tempDir } from '../helpers/ferry'

/** Bytes as the UI writes them (src/renderer/src/components/format.ts, which node tests cannot import). */
function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let i = 0
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024
    i++
  }
  return `${i === 0 ? n : n.toFixed(n >= 100 ? 0 : 1)} ${units[i]}`
}

const uri = (path: string) => `file://${path.split('/').map(encodeURIComponent).join('/')}`

/** Files below a folder, relative and sorted, with their sizes. */
function tree(root: string): { path: string; size: number }[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const abs = join(e.parentPath, e.name)
      return { path: abs.slice(root.length + 1), size: statSync(abs).size }
    })
    .sort((a, b) => a.path.localeCompare(b.path))
}

/**
 * Dispatches dragenter, dragover and drop on the page with a DataTransfer made there: `fill` is the
 * source of a function (dt) => void run in the page (this file is compiled without the DOM's types).
 */
async function dispatchDrop(page: Page, fill: string): Promise<void> {
  await page.evaluate(`(() => {
    const dt = new DataTransfer()
    ;(${fill})(dt)
    for (const type of ['dragenter', 'dragover', 'drop'])
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }))
  })()`)
}

/** What a file manager's drop carries: text/uri-list with file:// URIs. */
const dropUris = (page: Page, uris: string[]) =>
  dispatchDrop(page, `(dt) => dt.setData('text/uri-list', ${JSON.stringify(uris.join('\r\n'))})`)

describe('drop anything, anywhere, in Chromium against ferry serve', () => {
  const dir = tempDir('ferry-e2e-drop-')
  const path = (...p: string[]) => join(dir.path, ...p)
  const album = path('Music', 'Nina Ö', 'First Album')
  let served: Served
  let browser: Browser
  let page: Page
  const errors: string[] = []

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    mkdirSync(album, { recursive: true })
    for (const [i, hz] of [440, 494, 523].entries())
      await ffmpeg([
        ...['-f', 'lavfi', '-i', `sine=frequency=${hz}:duration=3`, '-ac', '2'],
        ...['-metadata', `title=Song ${i + 1}`, '-metadata', 'artist=Nina Ö'],
        ...['-c:a', 'flac', join(album, `0${i + 1} Song ${i + 1}.flac`)],
      ])
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'color=c=teal:s=200x200:d=1',
      '-frames:v',
      '1',
      join(album, 'cover.jpg'),
    ])
    mkdirSync(path('Music', 'Miles', 'Kind of Blue'), { recursive: true })
    writeFileSync(path('Music', 'Miles', 'Kind of Blue', 'notes.txt'), 'liner notes')
    mkdirSync(path('card'))
    mkdirSync(path('player'))
    served = await startServe(path('data'))
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(served.url)
    await page.getByText('web UI · connected').waitFor()
  }, 60_000)
  // A test that failed halfway leaves no dialog open for the next one.
  afterEach(async () => {
    for (let i = 0; i < 3 && (await page.getByRole('dialog').count()) > 0; i++)
      await page.keyboard.press('Escape')
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
    dir.remove()
  })

  const sheet = () => page.getByRole('dialog', { name: 'Add to queue' })
  const preview = () => sheet().getByRole('region', { name: 'Preview' })
  /** The progress header's total of tasks. */
  const total = async () =>
    Number(/\/(\d+) tasks$/.exec((await page.getByTestId('progress-count').textContent()) ?? '')?.[1])
  /** Waits until the header counts more tasks than `before` and all of them are done. */
  const allDone = async (before: number) => {
    await expect
      .poll(
        async () => {
          const t = (await page.getByTestId('progress-count').textContent()) ?? ''
          const m = /^(\d+)\/(\d+) tasks$/.exec(t)
          return m && m[1] === m[2] && Number(m[2]) > before ? 'done' : t
        },
        { timeout: 30_000 },
      )
      .toBe('done')
  }

  it('a drop of file URIs: the sheet, its preview, Add; the batch completes and the files are at the destination', async () => {
    await dropUris(page, [uri(album)])
    await expect.poll(() => sheet().isVisible()).toBe(true)
    await expect.poll(() => sheet().getByRole('list', { name: 'What to add' }).textContent()).toContain(album)
    // Audio: convert with MP3 V0 preselected.
    await expect.poll(() => sheet().getByRole('radio', { name: 'Convert' }).isChecked()).toBe(true)
    expect(await sheet().getByLabel('Preset').inputValue()).toBe('mp3-v0')

    await sheet().getByRole('radio', { name: 'Copy' }).check()
    await sheet().getByRole('textbox', { name: 'Destination folder' }).fill(path('card'))
    await expect.poll(() => preview().getByTestId('preview-copy-files').textContent()).toBe('4 files')
    const bytes = tree(album).reduce((a, f) => a + f.size, 0)
    expect(await preview().getByTestId('preview-fits').textContent()).toMatch(/^Fits: /)
    const write = await preview().getByTestId('preview-write').textContent()
    expect(write).toBe(formatBytes(bytes))

    const before = await total()
    await sheet().getByRole('button', { name: 'Add to queue' }).click()
    await expect.poll(() => sheet().count()).toBe(0)
    await expect.poll(() => page.getByText(/^Added to the queue: 4 files/).count()).toBe(1)
    await allDone(before)
    expect(tree(path('card', 'First Album'))).toEqual(tree(album))
  })

  it('an album converted to MP3 V0 through the sheet: real MP3s at the destination, the cover copied', async () => {
    await dropUris(page, [uri(album)])
    await expect.poll(() => sheet().getByRole('radio', { name: 'Convert' }).isChecked()).toBe(true)
    await sheet().getByRole('textbox', { name: 'Destination folder' }).fill(path('player'))
    await expect.poll(() => preview().getByTestId('preview-convert-files').textContent()).toBe('3 files')
    expect(await preview().getByTestId('preview-copy-files').textContent()).toBe('1 file')
    const before = await total()
    await sheet().getByRole('button', { name: 'Add to queue' }).click()
    await expect.poll(() => sheet().count()).toBe(0)
    await allDone(before)
    const out = path('player', 'First Album')
    expect(readdirSync(out).sort()).toEqual(['01 Song 1.mp3', '02 Song 2.mp3', '03 Song 3.mp3', 'cover.jpg'])
    for (const i of [1, 2, 3]) {
      const a = await readAudio(join(out, `0${i} Song ${i}.mp3`))
      expect(a.codec).toMatch(/MPEG 1 Layer 3/)
      expect(Math.abs(a.duration - 3)).toBeLessThan(0.2)
      expect(a.tags.title).toBe(`Song ${i}`)
      expect(a.tags.artist).toBe('Nina Ö')
    }
    expect(statSync(join(out, 'cover.jpg')).size).toBe(statSync(join(album, 'cover.jpg')).size)
  })

  it('a drop of files without paths (what Chromium gives a page) says so and opens the folder browser where they are', async () => {
    // A File object, as Chromium hands a page a dropped folder: a name, and no path.
    await dispatchDrop(page, `(dt) => dt.items.add(new File(['not the album'], 'First Album'))`)
    const chooser = page.getByRole('dialog', { name: 'Choose what to add' })
    await expect.poll(() => chooser.isVisible()).toBe(true)
    // Found beside what was added before: the album's folder is shown, the album in it.
    await expect
      .poll(() => chooser.getByRole('textbox', { name: 'Folder path' }).inputValue())
      .toBe(path('Music', 'Nina Ö'))
    await chooser.getByRole('checkbox', { name: 'Select First Album' }).check()
    await chooser.getByRole('button', { name: 'Add 1 selected' }).click()
    await expect.poll(() => chooser.count()).toBe(0)
    expect(
      await sheet()
        .getByText(/handed over only the names of what you dropped \(“First Album”\)/)
        .count(),
    ).toBe(1)
    await expect.poll(() => sheet().getByRole('list', { name: 'What to add' }).textContent()).toContain(album)
    await sheet().getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => sheet().count()).toBe(0)
  })

  it('"Add files…" adds without any drop: browse to the album, browse to the destination, Add', async () => {
    await page.getByRole('button', { name: 'Add files…' }).click()
    const chooser = page.getByRole('dialog', { name: 'Choose what to add' })
    await expect.poll(() => chooser.isVisible()).toBe(true)
    const field = chooser.getByRole('textbox', { name: 'Folder path' })
    await field.fill(path('Music'))
    expect(await field.inputValue()).toBe(path('Music'))
    await field.press('Enter')
    await chooser.getByRole('button', { name: 'Nina Ö', exact: true }).click()
    await expect.poll(() => field.inputValue()).toBe(path('Music', 'Nina Ö'))
    await chooser.getByRole('button', { name: 'First Album', exact: true }).click()
    await expect.poll(() => chooser.getByText('4 files directly here', { exact: false }).count()).toBe(1)
    await chooser.getByRole('button', { name: 'Add this folder' }).click()
    await expect.poll(() => sheet().getByRole('list', { name: 'What to add' }).textContent()).toContain(album)

    // Audio: convert is preselected once the album is inspected; choosing Copy before that would be
    // undone by it (Copy is checked when the sheet opens, so checking it again changes nothing).
    await expect.poll(() => sheet().getByRole('radio', { name: 'Convert' }).isChecked()).toBe(true)
    await sheet().getByRole('radio', { name: 'Copy' }).check()
    // A destination typed that is not made yet: the chooser opens on it and says it is not there. It
    // shows nothing of the folder the chooser before it was left in (the album): not in its path
    // field, whose text was replaced under the selection being typed over as the listing arrived
    // (what was typed was appended to it, and Enter went nowhere), nor to choose.
    await sheet().getByRole('textbox', { name: 'Destination folder' }).fill(path('stick'))
    await sheet().getByRole('button', { name: 'Browse…' }).click()
    const dest = page.getByRole('dialog', { name: 'Choose the destination' })
    const destField = dest.getByRole('textbox', { name: 'Folder path' })
    expect(await destField.inputValue()).toBe(path('stick'))
    await expect
      .poll(() => dest.getByRole('alert').textContent())
      .toBe(`The folder ${path('stick')} is not there.`)
    expect(await destField.inputValue()).toBe(path('stick'))
    expect(await dest.getByRole('button', { name: 'Use this folder' }).isDisabled()).toBe(true)
    mkdirSync(path('usb'))
    await destField.fill(dir.path)
    expect(await destField.inputValue()).toBe(dir.path)
    await destField.press('Enter')
    await dest.getByRole('button', { name: 'usb', exact: true }).click()
    await expect.poll(() => destField.inputValue()).toBe(path('usb'))
    await dest.getByRole('button', { name: 'Use this folder' }).click()
    expect(await sheet().getByRole('textbox', { name: 'Destination folder' }).inputValue()).toBe(path('usb'))
    await expect.poll(() => preview().getByTestId('preview-copy-files').textContent()).toBe('4 files')
    const before = await total()
    await sheet().getByRole('button', { name: 'Add to queue' }).click()
    await expect.poll(() => sheet().count()).toBe(0)
    await allDone(before)
    expect(tree(path('usb', 'First Album'))).toEqual(tree(album))
  })

  it('a missing path and a destination under a file: specific words in the sheet, nothing queued', async () => {
    // Nothing queued: as many tasks as before (tasks queued earlier may still finish meanwhile).
    const before = await total()
    writeFileSync(path('a-file'), 'x')
    await dropUris(page, [uri(album), uri(path('Music', 'Gone'))])
    await expect
      .poll(() =>
        sheet()
          .getByText(`${path('Music', 'Gone')} is not there.`)
          .count(),
      )
      .toBe(1)
    await sheet().getByRole('textbox', { name: 'Destination folder' }).fill(path('card'))
    await expect
      .poll(() =>
        preview()
          .getByText(`The source does not exist: ${path('Music', 'Gone')}`)
          .count(),
      )
      .toBe(1)
    expect(await sheet().getByRole('button', { name: 'Add to queue' }).isDisabled()).toBe(true)
    await sheet()
      .getByRole('button', { name: `Remove ${path('Music', 'Gone')}` })
      .click()
    await sheet().getByRole('textbox', { name: 'Destination folder' }).fill(path('a-file', 'x'))
    await expect
      .poll(() => preview().getByRole('alert').textContent())
      .toBe(`A file stands where a folder is expected: ${path('a-file', 'x')}`)
    expect(await sheet().getByRole('button', { name: 'Add to queue' }).isDisabled()).toBe(true)
    await sheet().getByRole('button', { name: 'Cancel' }).click()
    expect(await total()).toBe(before)
    expect(errors).toEqual([])
  })

  it('screenshots: the sheet and the folder browser, light and dark, 1280×800 and 800×600', async () => {
    for (const colorScheme of ['light', 'dark'] as const)
      for (const [width, height] of [
        [1280, 800],
        [800, 600],
      ] as const) {
        const context = await browser.newContext({ viewport: { width, height }, colorScheme })
        const p = await context.newPage()
        await p.goto(served.url)
        await expect.poll(() => p.getByRole('status').first().textContent()).toContain('connected')
        await dropUris(p, [uri(album), uri(path('Music', 'Miles'))])
        const s = p.getByRole('dialog', { name: 'Add to queue' })
        await s.getByRole('textbox', { name: 'Destination folder' }).fill(path('card'))
        await expect
          .poll(() => s.getByRole('region', { name: 'Preview' }).getByTestId('preview-fits').count())
          .toBe(1)
        await p.mouse.move(0, height - 1)
        await p.screenshot({ path: join(SHOTS, `drop-sheet-${colorScheme}-${width}.png`) })
        await s.getByRole('button', { name: 'Add more…' }).click()
        const chooser = p.getByRole('dialog', { name: 'Choose what to add' })
        await expect.poll(() => chooser.getByRole('button', { name: 'Nina Ö', exact: true }).count()).toBe(1)
        await p.mouse.move(width - 1, height - 1)
        await p.screenshot({ path: join(SHOTS, `drop-browser-${colorScheme}-${width}.png`) })
        await context.close()
      }
  })
})
