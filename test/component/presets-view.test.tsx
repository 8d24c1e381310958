// @vitest-environment happy-dom
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanup, configure, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import { openEngine } from '../helpers/engine'
import { fakeFfmpeg } from '../helpers/fake-ffmpeg'
import { tempDir } from '../helpers/ferry'
import { installBridge } from '../helpers/ui'

// The engine runs every ffmpeg it finds when asked what it has: slow on a busy machine.
configure({ asyncUtilTimeout: 10_000 })

describe('the Presets view', () => {
  const tmp = tempDir('ferry-ui-presets-')
  let engine: Engine
  beforeAll(async () => {
    engine = await openEngine(join(tmp.path, 'data'))
    installBridge(engine)
    // The ffmpeg in use has no Opus or Vorbis encoder: the form must not offer them.
    const ffmpeg = fakeFfmpeg(tmp.path, { version: '7.1', lacking: ['libopus', 'libvorbis'] })
    await engine.api.invoke('settings.set', { ffmpegPath: ffmpeg.path })
    await engine.api.invoke('system.info') // looked at once, before the view asks
  })
  afterAll(async () => {
    cleanup()
    await engine?.close()
    tmp.remove()
  })

  async function view() {
    const { PresetsView } = await import('../../src/renderer/src/views/Presets/PresetsView')
    cleanup()
    render(<PresetsView />)
    await screen.findByRole('heading', { name: 'mp3-v0' })
    return userEvent.setup()
  }

  it('creates a preset: a validation error as the user types, nothing sent, then saved in the engine', async () => {
    const user = await view()
    expect(screen.getByText('No presets of your own yet')).toBeTruthy()
    // The card of a preset this ffmpeg cannot make says so.
    const opus = screen.getByRole('listitem', { name: 'opus-128' })
    expect(await within(opus).findByText(/has no libopus encoder/)).toBeTruthy()

    await user.click(screen.getByRole('button', { name: 'New preset' }))
    const dialog = await screen.findByRole('dialog', { name: 'New preset' })
    const name = within(dialog).getByLabelText('Name')
    expect(document.activeElement).toBe(name)
    await user.type(name, 'Car Stereo')
    expect(name.getAttribute('aria-invalid')).toBe('true')
    expect(within(dialog).getByText(/^A preset name is 1–40 lower-case letters/)).toBeTruthy()
    await user.click(within(dialog).getByRole('button', { name: 'Create preset' }))
    expect(document.activeElement).toBe(name)
    expect((await engine.api.invoke('presets.list')).map((p) => p.name)).not.toContain('Car Stereo')

    const codecs = [...within(dialog).getByLabelText('Codec').querySelectorAll('option')].map((o) => o.value)
    expect(codecs).toEqual(['mp3', 'aac', 'flac', 'alac', 'copy'])

    await user.clear(name)
    await user.type(name, 'car-stereo')
    expect(name.getAttribute('aria-invalid')).toBeNull()
    await user.type(within(dialog).getByLabelText('Description'), 'For the car')
    await user.selectOptions(within(dialog).getByLabelText('Bitrate mode'), 'cbr')
    await user.selectOptions(within(dialog).getByLabelText('Bitrate'), '192')
    await user.selectOptions(within(dialog).getByLabelText('Cover art'), 'remove')
    expect(
      within(dialog).getByText(
        'MP3, CBR 192 kbit/s, ID3v2.3, cover removed, lossy sources copied as they are',
      ),
    ).toBeTruthy()
    await user.click(within(dialog).getByRole('button', { name: 'Create preset' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())

    const saved = await engine.api.invoke('presets.get', { name: 'car-stereo' })
    expect(saved.description).toBe('For the car')
    expect(saved.spec).toMatchObject({ codec: 'mp3', mode: 'cbr', bitrate: 192, art: 'remove' })
    expect(saved.spec.quality).toBeUndefined()
    expect(await screen.findByRole('listitem', { name: 'car-stereo' })).toBeTruthy()
  })

  it('shows the engine’s own refusal when it still refuses', async () => {
    const user = await view()
    await user.click(screen.getByRole('button', { name: 'New preset' }))
    const dialog = await screen.findByRole('dialog', { name: 'New preset' })
    await user.type(within(dialog).getByLabelText('Name'), 'late')
    // Another client takes the name while the form is open.
    await engine.api.invoke('presets.create', { name: 'late', spec: { codec: 'flac' } })
    await user.click(within(dialog).getByRole('button', { name: 'Create preset' }))
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'A preset named "late" already exists.',
    )
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    await engine.api.invoke('presets.delete', { name: 'late' })
  })

  it('duplicates a built-in preset into an editable one with the same settings', async () => {
    const user = await view()
    expect(screen.queryByRole('button', { name: 'Edit mp3-v0' })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Delete mp3-v0' })).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Duplicate mp3-v0' }))
    const dialog = await screen.findByRole('dialog', { name: 'Duplicate mp3-v0' })
    expect((within(dialog).getByLabelText('Name') as HTMLInputElement).value).toBe('mp3-v0-copy')
    await user.click(within(dialog).getByRole('button', { name: 'Create preset' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    const original = await engine.api.invoke('presets.get', { name: 'mp3-v0' })
    const copy = await engine.api.invoke('presets.get', { name: 'mp3-v0-copy' })
    expect(copy.builtin).toBe(false)
    expect(copy.spec).toEqual(original.spec)
    expect(copy.hash).toBe(original.hash)
    expect(copy.description).toMatch(/^Based on mp3-v0: /)
    expect(await screen.findByRole('button', { name: 'Edit mp3-v0-copy' })).toBeTruthy()
  })

  it('edits a preset from CBR to VBR: the old bitrate does not linger', async () => {
    const user = await view()
    await user.click(await screen.findByRole('button', { name: 'Edit car-stereo' }))
    const dialog = await screen.findByRole('dialog', { name: 'Edit car-stereo' })
    await user.selectOptions(within(dialog).getByLabelText('Bitrate mode'), 'vbr')
    await user.selectOptions(within(dialog).getByLabelText('Quality'), '2')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    const saved = await engine.api.invoke('presets.get', { name: 'car-stereo' })
    expect(saved.spec).toMatchObject({ codec: 'mp3', mode: 'vbr', quality: 2, art: 'remove' })
    expect(saved.spec.bitrate).toBeUndefined()
    expect(saved.description).toBe('For the car')
    expect(
      await screen.findByText(
        'MP3, VBR V2 ≈ 190 kbit/s, ID3v2.3, cover removed, lossy sources copied as they are',
      ),
    ).toBeTruthy()
  })

  it('will not delete a preset a sync profile uses, and names the profile; queued tasks need "anyway"', async () => {
    const music = join(tmp.path, 'music')
    mkdirSync(music, { recursive: true })
    writeFileSync(join(music, 'a.flac'), 'not really audio')
    await engine.api.invoke('profiles.create', {
      name: 'Car',
      sources: [music],
      destination: join(tmp.path, 'card'),
      preset: 'car-stereo',
    })
    const user = await view()
    await user.click(await screen.findByRole('button', { name: 'Delete car-stereo' }))
    const dialog = await screen.findByRole('dialog', { name: '“car-stereo” cannot be deleted' })
    expect(within(dialog).getByRole('alert').textContent).toBe(
      'The sync profile “Car” uses this preset. Give it another preset in Sync first; then this one can be deleted.',
    )
    expect(within(dialog).queryByRole('button', { name: /Delete/ })).toBeNull()
    await user.click(within(dialog).getByRole('button', { name: 'Close' }))
    expect((await engine.api.invoke('presets.get', { name: 'car-stereo' })).name).toBe('car-stereo')

    // A preset that a queued (paused) task uses: deleted only when the user says "anyway".
    await engine.api.invoke('queue.pause', { now: false })
    await engine.api.invoke('queue.enqueue', {
      mode: 'convert',
      sources: [music],
      destination: join(tmp.path, 'out'),
      preset: 'mp3-v0-copy',
    })
    await user.click(screen.getByRole('button', { name: 'Delete mp3-v0-copy' }))
    const confirm = await screen.findByRole('dialog', { name: 'Delete the preset “mp3-v0-copy”?' })
    await user.click(await within(confirm).findByRole('button', { name: 'Delete' }))
    expect((await within(confirm).findByRole('alert')).textContent).toMatch(
      /^The preset "mp3-v0-copy" is used by 1 queued task\(s\)/,
    )
    expect((await engine.api.invoke('presets.list')).map((p) => p.name)).toContain('mp3-v0-copy')
    await user.click(within(confirm).getByRole('button', { name: 'Delete anyway' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect((await engine.api.invoke('presets.list')).map((p) => p.name)).not.toContain('mp3-v0-copy')
    expect(screen.queryByRole('listitem', { name: 'mp3-v0-copy' })).toBeNull()
    await engine.api.invoke('task.cancel', { all: true })
  })
})
