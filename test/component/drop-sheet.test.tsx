// @vitest-environment happy-dom
// The drop zone, the "Add to queue" sheet and the folder browser, against a real engine and real
// folders: what a drop opens, what the sheet preselects, that the preview is the engine's, that a
// refusal is shown and nothing is queued, and that the browser walks real folders.
import { mkdirSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import { openEngine, settle } from '../helpers/engine'
import { tempDir } from '../helpers/ferry'
import { installBridge } from '../helpers/ui'

const T = { timeout: 5000 }

/** What a browser's drop carries: file URIs (text/uri-list), or File objects with names only. */
function dataTransfer(opts: { uris?: string[]; files?: File[] }) {
  const types = [...(opts.uris ? ['text/uri-list'] : []), ...(opts.files ? ['Files'] : [])]
  return {
    types,
    files: opts.files ?? [],
    dropEffect: 'none',
    getData: (type: string) => (type === 'text/uri-list' && opts.uris ? opts.uris.join('\r\n') : ''),
  }
}

const uri = (path: string) => `file://${path.split('/').map(encodeURIComponent).join('/')}`

function drop(opts: { uris?: string[]; files?: File[] }) {
  const dt = dataTransfer(opts)
  act(() => {
    fireEvent.dragEnter(document.body, { dataTransfer: dt })
    fireEvent.dragOver(document.body, { dataTransfer: dt })
  })
  expect(screen.getByText('Drop to add to the queue')).toBeTruthy()
  act(() => {
    fireEvent.drop(document.body, { dataTransfer: dt })
  })
  expect(screen.queryByText('Drop to add to the queue')).toBeNull()
}

describe('drop anything, anywhere: the Add to queue sheet', () => {
  const tmp = tempDir('ferry-ui-drop-')
  const path = (...p: string[]) => join(tmp.path, ...p)
  let engine: Engine

  beforeAll(async () => {
    engine = await openEngine(path('data'))
    installBridge(engine)
    mkdirSync(path('lib/Album'), { recursive: true })
    writeFileSync(path('lib/Album/01 One.flac'), Buffer.alloc(3000, 1))
    writeFileSync(path('lib/Album/02 Two.flac'), Buffer.alloc(5000, 2))
    writeFileSync(path('lib/Album/cover.jpg'), Buffer.alloc(700, 3))
    mkdirSync(path('lib/Docs'))
    writeFileSync(path('lib/Docs/readme.txt'), 'read me')
    mkdirSync(path('card/Album'), { recursive: true })
    writeFileSync(path('card/Album/cover.jpg'), 'a different cover')
    const { DropView, AddFilesButton } = await import('../../src/renderer/src/views/Drop/DropView')
    // The word that a batch was added is a toast.
    const { Toasts } = await import('../../src/renderer/src/components/Toasts')
    render(
      <>
        <AddFilesButton />
        <DropView />
        <Toasts />
      </>,
    )
  })
  afterAll(async () => {
    cleanup()
    await engine?.close()
    tmp.remove()
  })

  const sheet = () => screen.findByRole('dialog', { name: 'Add to queue' }, T)
  const closeSheet = async () => {
    await userEvent.click(within(await sheet()).getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add to queue' })).toBeNull())
  }

  it('a drop carrying file URIs opens the sheet with those paths; audio preselects Convert with MP3 V0', async () => {
    drop({ uris: [uri(path('lib/Album')), uri(path('lib/Docs')), '# a comment', 'https://example.com/x'] })
    const s = await sheet()
    const what = within(s).getByRole('list', { name: 'What to add' })
    const rows = within(what).getAllByRole('listitem')
    expect(rows.map((r) => r.querySelector('.path')!.textContent)).toEqual([
      path('lib/Album'),
      path('lib/Docs'),
    ])
    // The engine found audio in the album: convert, with the default preset.
    await waitFor(
      () => expect(within(s).getByRole('radio', { name: 'Convert' })).toHaveProperty('checked', true),
      T,
    )
    expect((within(s).getByLabelText('Preset') as HTMLSelectElement).value).toBe('mp3-v0')
    expect(within(rows[0]!).getByText('audio')).toBeTruthy()
    await closeSheet()

    // A drop without audio stays a copy.
    drop({ uris: [uri(path('lib/Docs'))] })
    const s2 = await sheet()
    await within(s2).findByText('folder', {}, T)
    expect(within(s2).getByRole('radio', { name: 'Copy' })).toHaveProperty('checked', true)
    expect(within(s2).queryByLabelText('Preset')).toBeNull()
    await closeSheet()
  })

  it('the preview shows the engine’s numbers; Add queues exactly that and the files arrive', async () => {
    const user = userEvent.setup()
    drop({ uris: [uri(path('lib/Album'))] })
    const s = await sheet()
    await user.type(within(s).getByRole('textbox', { name: 'Destination folder' }), path('card'))
    const preview = within(s).getByRole('region', { name: 'Preview' })
    const expected = await engine.api.invoke('queue.preview', {
      mode: 'convert',
      preset: 'mp3-v0',
      sources: [path('lib/Album')],
      destination: path('card'),
    })
    expect([expected.convert.files, expected.conflict.files]).toEqual([2, 1])
    await waitFor(
      () => expect(within(preview).getByTestId('preview-convert-files').textContent).toBe('2 files'),
      T,
    )
    expect(within(preview).getByTestId('preview-convert-bytes').textContent).toBe('7.8 KiB')
    expect(within(preview).getByTestId('preview-conflict-files').textContent).toBe('1 file')
    expect(within(preview).getByText('left as they are (skipped)')).toBeTruthy()
    expect(within(preview).getByTestId('preview-write').textContent).toBe(
      `${(expected.bytesToWrite / 1024).toFixed(1)} KiB`,
    )
    expect(within(preview).getByTestId('preview-fits').textContent).toMatch(/^Fits: .* free$/)

    // Copy instead, overwriting what differs: the preview follows, then Add queues it.
    await user.click(within(s).getByRole('radio', { name: 'Copy' }))
    await user.selectOptions(within(s).getByLabelText('If a different file is there'), 'overwrite')
    await waitFor(
      () => expect(within(preview).getByTestId('preview-copy-files').textContent).toBe('2 files'),
      T,
    )
    expect(within(preview).getByText('overwritten')).toBeTruthy()
    expect(within(preview).getByTestId('preview-write').textContent).toBe('8.5 KiB') // 3000 + 5000 + 700 − 17
    const add = within(s).getByRole('button', { name: 'Add to queue' })
    await waitFor(() => expect(add).toHaveProperty('disabled', false), T)
    await user.click(add)
    expect(await screen.findByText(/^Added to the queue: 3 files →/, {}, T)).toBeTruthy()
    expect(screen.queryByRole('dialog', { name: 'Add to queue' })).toBeNull()
    await settle(engine)
    expect(readFileSync(path('card/Album/02 Two.flac')).length).toBe(5000)
    expect(readFileSync(path('card/Album/cover.jpg')).length).toBe(700)
  })

  it('a missing path: the sheet says so in the engine’s words and Add queues nothing', async () => {
    const user = userEvent.setup()
    const before = (await engine.api.invoke('queue.list', {})).total
    drop({ uris: [uri(path('lib/Album')), uri(path('lib/Gone'))] })
    const s = await sheet()
    expect(await within(s).findByText(`${path('lib/Gone')} is not there.`, {}, T)).toBeTruthy()
    const preview = within(s).getByRole('region', { name: 'Preview' })
    // The destination is remembered from the last add.
    expect((within(s).getByRole('textbox', { name: 'Destination folder' }) as HTMLInputElement).value).toBe(
      path('card'),
    )
    expect(
      await within(preview).findByText(`The source does not exist: ${path('lib/Gone')}`, {}, T),
    ).toBeTruthy()
    const add = within(s).getByRole('button', { name: 'Add to queue' })
    expect(add).toHaveProperty('disabled', true)
    await user.click(add)

    // A source that vanishes after its preview: Add itself is refused, with the engine's words.
    await user.click(within(s).getByRole('button', { name: `Remove ${path('lib/Gone')}` }))
    mkdirSync(path('lib/Vanishing'))
    writeFileSync(path('lib/Vanishing/a.txt'), 'a')
    await user.click(within(s).getByRole('button', { name: `Remove ${path('lib/Album')}` }))
    drop({ uris: [uri(path('lib/Vanishing'))] })
    await waitFor(() => expect(add).toHaveProperty('disabled', false), T)
    rmSync(path('lib/Vanishing'), { recursive: true })
    await user.click(add)
    const alert = await within(s).findByText(`The source does not exist: ${path('lib/Vanishing')}`, {}, T)
    expect(alert.closest('.sheet-foot')).toBeTruthy()
    expect((await engine.api.invoke('queue.list', {})).total).toBe(before)
    expect(existsSync(path('card/Vanishing'))).toBe(false)
    await closeSheet()
  })

  it('"Add files…" opens the folder browser: it walks real folders, picks several, and picks the destination', async () => {
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Add files…' }))
    const browser = await screen.findByRole('dialog', { name: 'Choose what to add' }, T)
    const field = within(browser).getByRole('textbox', { name: 'Folder path' })
    // Opened beside what was added before.
    await waitFor(() => expect((field as HTMLInputElement).value).toBe(path('lib')), T)
    expect(await within(browser).findByRole('button', { name: 'Album' }, T)).toBeTruthy()
    expect(within(browser).getByRole('button', { name: 'Docs' })).toBeTruthy()

    await user.click(within(browser).getByRole('button', { name: 'Album' }))
    await waitFor(() => expect((field as HTMLInputElement).value).toBe(path('lib/Album')), T)
    expect(within(browser).getByText('3 files directly here · 8.5 KiB · 2 audio')).toBeTruthy()
    expect(within(browser).getByText('No folders in here.')).toBeTruthy()
    await user.click(within(browser).getByRole('button', { name: 'Up to the folder above' }))
    await waitFor(() => expect((field as HTMLInputElement).value).toBe(path('lib')), T)

    // A typed path that is not there: the engine's words, and the folder shown stays.
    await user.clear(field)
    await user.type(field, `${path('nope')}{Enter}`)
    expect(await within(browser).findByText(`The folder ${path('nope')} is not there.`, {}, T)).toBeTruthy()
    expect(within(browser).getByRole('button', { name: 'Album' })).toBeTruthy()

    await user.click(within(browser).getByRole('checkbox', { name: 'Select Album' }))
    await user.click(within(browser).getByRole('checkbox', { name: 'Select Docs' }))
    await user.click(within(browser).getByRole('button', { name: 'Add 2 selected' }))
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Choose what to add' })).toBeNull())
    const s = await sheet()
    const rows = within(within(s).getByRole('list', { name: 'What to add' })).getAllByRole('listitem')
    expect(rows.map((r) => r.querySelector('.path')!.textContent)).toEqual([
      path('lib/Album'),
      path('lib/Docs'),
    ])

    // The destination, by browsing: a new folder there, chosen with "Use this folder".
    mkdirSync(path('card/Other'))
    await user.click(within(s).getByRole('button', { name: 'Browse…' }))
    const dest = await screen.findByRole('dialog', { name: 'Choose the destination' }, T)
    await user.click(await within(dest).findByRole('button', { name: 'Other' }, T))
    const destField = within(dest).getByRole('textbox', { name: 'Folder path' }) as HTMLInputElement
    await waitFor(() => expect(destField.value).toBe(path('card/Other')), T)
    await user.click(within(dest).getByRole('button', { name: 'Use this folder' }))
    expect((within(s).getByRole('textbox', { name: 'Destination folder' }) as HTMLInputElement).value).toBe(
      path('card/Other'),
    )
    const preview = within(s).getByRole('region', { name: 'Preview' })
    await waitFor(
      () => expect(within(preview).getByTestId('preview-convert-files').textContent).toBe('2 files'),
      T,
    )
    await closeSheet()
  })

  it('a drop of names only says so, shows where they were found, and opens the browser there', async () => {
    const user = userEvent.setup()
    // The bridge's pathForFile gives no path for these (as a browser gives none).
    drop({ files: [new File(['x'], 'Docs'), new File(['y'], 'Nowhere.flac')] })
    const browser = await screen.findByRole('dialog', { name: 'Choose what to add' }, T)
    const field = within(browser).getByRole('textbox', { name: 'Folder path' }) as HTMLInputElement
    await waitFor(() => expect(field.value).toBe(path('lib')), T)
    await user.click(within(browser).getByRole('button', { name: 'Cancel' }))
    const s = await sheet()
    expect(
      within(s).getByText(/handed over only the names of what you dropped \(“Docs”, “Nowhere.flac”\)/),
    ).toBeTruthy()
    expect(await within(s).findByText(path('lib/Docs'), {}, T)).toBeTruthy()
    await user.click(await within(s).findByRole('button', { name: 'Add “Docs”' }, T))
    const rows = within(within(s).getByRole('list', { name: 'What to add' })).getAllByRole('listitem')
    expect(rows.map((r) => r.querySelector('.path')!.textContent)).toEqual([path('lib/Docs')])
    await closeSheet()
  })
  it('an empty destination gets the last one used, but never while the user is in the field', async () => {
    const user = userEvent.setup()
    // A batch went to the card in the tests above: it is the most recent destination.
    expect((await engine.api.invoke('fs.places', {})).recentDestinations[0]).toBe(path('card'))
    const emptied = async () => {
      drop({ uris: [uri(path('lib/Docs'))] })
      const field = within(await sheet()).getByRole('textbox', {
        name: 'Destination folder',
      }) as HTMLInputElement
      await waitFor(() => expect(field.value).not.toBe(''), T)
      await user.clear(field)
      await closeSheet()
    }
    // Left alone, the empty field is given the recent destination.
    await emptied()
    drop({ uris: [uri(path('lib/Docs'))] })
    const alone = within(await sheet()).getByRole('textbox', {
      name: 'Destination folder',
    }) as HTMLInputElement
    await waitFor(() => expect(alone.value).toBe(path('card')), T)
    await user.clear(alone)
    await closeSheet()
    // Gone into before the places arrive (about to type): it stays as the user leaves it.
    drop({ uris: [uri(path('lib/Docs'))] })
    const s = await sheet()
    const field = within(s).getByRole('textbox', { name: 'Destination folder' }) as HTMLInputElement
    act(() => field.focus())
    await engine.api.invoke('fs.places', {}) // the sheet's own request has been answered by now too
    await new Promise((r) => setTimeout(r, 100))
    expect(field.value).toBe('')
    await user.type(field, path('player'))
    expect(field.value).toBe(path('player'))
    await closeSheet()
  })
})
