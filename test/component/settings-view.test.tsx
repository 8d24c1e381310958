// @vitest-environment happy-dom
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanup, configure, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/main/engine/engine'
import type { FerrySettings } from '../../src/shared/model'
import { openEngine } from '../helpers/engine'
import { fakeFfmpeg } from '../helpers/fake-ffmpeg'
import { tempDir } from '../helpers/ferry'
import { installBridge } from '../helpers/ui'

// The engine runs every ffmpeg it finds when asked what it has: slow on a busy machine.
configure({ asyncUtilTimeout: 10_000 })

describe('the Settings view', () => {
  const tmp = tempDir('ferry-ui-settings-')
  let engine: Engine
  let broken: string
  beforeAll(async () => {
    // A candidate that does not run: listed with why, and not offered.
    broken = fakeFfmpeg(tmp.path, { broken: true }).path
    process.env.FFMPEG_PATH = broken
    engine = await openEngine(join(tmp.path, 'data'))
    installBridge(engine)
    const { startSettings } = await import('../../src/renderer/src/store/settings')
    startSettings()
  })
  afterAll(async () => {
    cleanup()
    await engine?.close()
    tmp.remove()
  })

  const settings = () => engine.api.invoke('settings.get')
  // Each test starts from Automatic, whatever the one before it did.
  afterEach(() => engine.api.invoke('settings.set', { ffmpegPath: null }))

  async function view() {
    const { SettingsView } = await import('../../src/renderer/src/views/Settings/SettingsView')
    cleanup()
    render(<SettingsView />)
    await screen.findByRole('heading', { name: 'Workers' })
    return userEvent.setup()
  }

  it('changes the workers per lane, refusing what the engine would refuse before sending it', async () => {
    const user = await view()
    const convert = screen.getByLabelText('Conversions')
    await user.clear(convert)
    await user.type(convert, '0')
    expect(convert.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByText('From 1 to 64, not 0.')).toBeTruthy()
    await user.tab()
    expect((await settings())['workers.convert']).not.toBe(0)

    await user.clear(convert)
    await user.type(convert, '3{Enter}')
    await waitFor(async () => expect((await settings())['workers.convert']).toBe(3))
    expect(convert.getAttribute('aria-invalid')).toBeNull()
    expect(await screen.findByText('Saved')).toBeTruthy()

    const transfer = screen.getByLabelText('Copy, move and delete')
    await user.clear(transfer)
    await user.type(transfer, '2')
    await user.tab()
    await waitFor(async () => expect((await settings())['workers.transfer']).toBe(2))

    await user.clear(screen.getByLabelText('Size limit'))
    await user.type(screen.getByLabelText('Size limit'), '500M{Enter}')
    await waitFor(async () => expect((await settings())['cache.maxBytes']).toBe(500 * 1024 ** 2))
  })

  it('shows every ffmpeg found with why, picks a detected one, and goes back to Automatic', async () => {
    const user = await view()
    const info = await engine.api.invoke('system.info')
    expect(info.ffmpeg.ok).toBe(true)
    const automatic = await screen.findByRole('radio', { name: /^Automatic/ })
    expect((automatic as HTMLInputElement).checked).toBe(true)
    // The one that does not run is listed with its reason and cannot be picked.
    const bad = screen.getByRole('radio', { name: new RegExp(broken) })
    expect((bad as HTMLInputElement).disabled).toBe(true)
    expect(bad.closest('label')!.textContent).toMatch(/Not used: /)

    const pick = info.ffmpeg.candidates.find((c) => c.version !== null && c.verdict !== 'duplicate')!
    await user.click(screen.getByRole('radio', { name: new RegExp(`^${pick.path}`) }))
    await waitFor(async () => expect((await settings()).ffmpegPath).toBe(pick.path))
    expect(await screen.findByText(`Ferry now uses ${pick.path}.`)).toBeTruthy()
    // The engine looked again: the one set in Settings is the one in use.
    const now = await engine.api.invoke('system.info')
    expect(now.ffmpeg.ok && now.ffmpeg.source).toBe('setting')
    await waitFor(() =>
      expect(
        (screen.getAllByRole('radio', { name: new RegExp(`^${pick.path}`) }) as HTMLInputElement[]).some(
          (r) => r.checked,
        ),
      ).toBe(true),
    )

    await user.click(screen.getByRole('radio', { name: /^Automatic/ }))
    await waitFor(async () => expect((await settings()).ffmpegPath).toBeNull())

    // Test asks the engine to look again: the build that did not run has been mended meanwhile.
    copyFileSync(fakeFfmpeg(tmp.path, { version: '7.1', avutil: '59. 39.100' }).path, broken)
    const test = screen.getByRole('button', { name: 'Test' }) as HTMLButtonElement
    await waitFor(() => expect(test.disabled).toBe(false))
    await user.click(test)
    expect(await screen.findByText(/^Tested: ffmpeg .* works\.$/)).toBeTruthy()
    await waitFor(() =>
      expect((screen.getByRole('radio', { name: new RegExp(broken) }) as HTMLInputElement).disabled).toBe(
        false,
      ),
    )
    expect(screen.getByRole('radio', { name: new RegExp(broken) }).closest('label')!.textContent).toContain(
      'ffmpeg 7.1',
    )
  })

  it('refuses a free path typed in the page, with the engine’s message saying what to run instead', async () => {
    const user = await view()
    await user.type(screen.getByLabelText('Another ffmpeg'), '/tmp/somewhere/ffmpeg')
    await user.click(screen.getByRole('button', { name: 'Use this path' }))
    const alert = await screen.findByText(/^A page cannot choose the program Ferry runs/)
    expect(alert.getAttribute('role')).toBe('alert')
    expect(alert.textContent).toContain('ferry settings set ffmpegPath "/tmp/somewhere/ffmpeg"')
    expect((await settings()).ffmpegPath).toBeNull()
    // A browser has no native picker.
    expect(screen.queryByRole('button', { name: 'Choose…' })).toBeNull()
  })

  it('offers the desktop app’s own picker when the bridge has one', async () => {
    const chosen = fakeFfmpeg(tmp.path, { version: '7.1', avutil: '59. 39.100' }).path
    // What the main process does once the user confirms: set it as a trusted caller.
    const bridge = window.ferry as unknown as { chooseFfmpeg?: () => Promise<unknown> }
    bridge.chooseFfmpeg = async () => ({
      ok: true,
      value: (await engine.api.invoke('settings.set', { ffmpegPath: chosen })) as FerrySettings,
    })
    try {
      const user = await view()
      await user.click(screen.getByRole('button', { name: 'Choose…' }))
      expect(await screen.findByText(`Ferry now uses ${chosen}.`)).toBeTruthy()
      expect((await settings()).ffmpegPath).toBe(chosen)
      await waitFor(() =>
        expect(
          (screen.getAllByRole('radio', { name: new RegExp(`^${chosen}`) }) as HTMLInputElement[]).some(
            (r) => r.checked,
          ),
        ).toBe(true),
      )
    } finally {
      delete bridge.chooseFfmpeg
      await engine.api.invoke('settings.set', { ffmpegPath: null })
    }
  })

  it('applies the theme to <html> and keeps it in the engine; the desktop switches persist', async () => {
    const user = await view()
    const theme = screen.getByRole('group', { name: 'Theme' })
    expect(
      (within(theme).getByRole('radio', { name: 'Follow the system' }) as HTMLInputElement).checked,
    ).toBe(true)
    expect(document.documentElement.dataset.theme).toBeUndefined()
    await user.click(within(theme).getByRole('radio', { name: 'Dark' }))
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'))
    expect((await settings())['ui.theme']).toBe('dark')
    await user.click(within(theme).getByRole('radio', { name: 'Light' }))
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('light'))
    await user.click(within(theme).getByRole('radio', { name: 'Follow the system' }))
    await waitFor(() => expect(document.documentElement.dataset.theme).toBeUndefined())
    expect((await settings())['ui.theme']).toBe('system')

    const login = screen.getByRole('checkbox', { name: 'Start at login' })
    expect((login as HTMLInputElement).checked).toBe(false)
    await user.click(login)
    await waitFor(async () => expect((await settings())['ui.startAtLogin']).toBe(true))
    await user.click(screen.getByRole('checkbox', { name: /Keep running in the tray/ }))
    await waitFor(async () => expect((await settings())['ui.closeToTray']).toBe(false))
    expect(screen.getByText(/desktop app/)).toBeTruthy()
  })
})
