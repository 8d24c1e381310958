// What a page may ask of the desktop app's main process, through the real preload bridge and the
// shell's IPC handlers, against a real engine; only the electron module is fake (dialogs scripted).
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Engine as EngineType } from '../../src/main/engine/engine'
import { tempDir } from '../helpers/ferry'
import { fakeFfmpeg } from '../helpers/fake-ffmpeg'
import type { ChooseFfmpegResult, FerryBridge, InvokeResult } from '../../src/shared/ipc'

vi.mock('electron', () => import('../helpers/fake-electron'))

const fake = await import('../helpers/fake-electron')
const { Engine } = await import('../../src/main/engine/engine')
const { registerIpc } = await import('../../src/main/shell/ipc')
const { probeVersion } = await import('../../src/main/shell/choose-ffmpeg')

const START = 'app://ferry/index.html'
const TOP = { url: START, parent: null }

describe('choosing ffmpeg in the desktop app', () => {
  const dir = tempDir()
  let engine: EngineType
  let win: InstanceType<typeof fake.BrowserWindow>
  let bridge: Required<FerryBridge>
  let stop: () => void
  let program: string

  const ffmpegPath = async () => (await engine.api.invoke('settings.get')).ffmpegPath

  beforeAll(async () => {
    engine = Engine.open({ kind: 'test', dataDir: join(dir.path, 'data'), work: false })
    win = new fake.BrowserWindow({})
    stop = registerIpc(engine, win as never, START, { versionTimeoutMs: 500 })
    await import('../../src/preload/index')
    bridge = fake.exposed.ferry as Required<FerryBridge>
    program = fakeFfmpeg(dir.path, { version: '9.9-ferry-test' }).path
  })
  afterAll(async () => {
    stop()
    await engine.close()
    dir.remove()
  })
  beforeEach(async () => {
    fake.dialog.reset()
    fake.fakeSender.contents = win.webContents
    fake.fakeSender.frame = TOP
    await engine.api.invoke('settings.set', { ffmpegPath: null })
  })

  it('sets the program after the user picks it and confirms what it printed', async () => {
    fake.dialog.openAnswers.push({ canceled: false, filePaths: [program] })
    fake.dialog.messageAnswers.push(0) // Use
    const r = await bridge.chooseFfmpeg()
    expect(r).toMatchObject({ ok: true, value: { ffmpegPath: program } })
    expect(await ffmpegPath()).toBe(program)
    expect(fake.dialog.opened[0]).toMatchObject({ properties: expect.arrayContaining(['openFile']) })
    const box = fake.dialog.messages[0]!
    expect(box.buttons).toEqual(['Use', 'Cancel'])
    expect(box.cancelId).toBe(1)
    expect(box.detail).toBe(
      `${program}\n\nffmpeg version 9.9-ferry-test Copyright (c) 2000-2024 the FFmpeg developers`,
    )
  })

  it('changes nothing when the user cancels the confirmation', async () => {
    fake.dialog.openAnswers.push({ canceled: false, filePaths: [program] })
    fake.dialog.messageAnswers.push(1) // Cancel
    expect(await bridge.chooseFfmpeg()).toEqual({ ok: true, value: null })
    expect(fake.dialog.messages).toHaveLength(1)
    expect(await ffmpegPath()).toBeNull()
  })

  it('changes nothing, and asks nothing more, when the user cancels the picker', async () => {
    fake.dialog.openAnswers.push({ canceled: true, filePaths: [] })
    expect(await bridge.chooseFfmpeg()).toEqual({ ok: true, value: null })
    expect(fake.dialog.messages).toHaveLength(0)
    expect(await ffmpegPath()).toBeNull()
  })

  it('shows why a program did not answer, with Cancel as the default', async () => {
    const broken = fakeFfmpeg(dir.path, { broken: true }).path
    fake.dialog.openAnswers.push({ canceled: false, filePaths: [broken] })
    fake.dialog.messageAnswers.push(1)
    expect(await bridge.chooseFfmpeg()).toEqual({ ok: true, value: null })
    const box = fake.dialog.messages[0]!
    expect(box.detail).toBe(`${broken}\n\nIt exited with code 1: Segmentation fault`)
    expect(box.defaultId).toBe(1)
    expect(box.type).toBe('warning')
    expect(await ffmpegPath()).toBeNull()
  })

  it('gives up on a program that does not answer in time, and on one that cannot run', async () => {
    const hangs = join(dir.path, 'hangs')
    writeFileSync(hangs, '#!/bin/sh\nexec sleep 30\n')
    chmodSync(hangs, 0o755)
    const t0 = Date.now()
    expect(await probeVersion(hangs, 300)).toEqual({ ok: false, error: 'It did not answer within 0.3 s.' })
    expect(Date.now() - t0).toBeLessThan(5000)
    const notExecutable = join(dir.path, 'plain.txt')
    writeFileSync(notExecutable, 'ffmpeg version 1\n')
    expect(await probeVersion(notExecutable)).toMatchObject({ ok: false, error: /could not be run.*EACCES/ })
    expect(await probeVersion(join(dir.path, 'missing'))).toMatchObject({ ok: false, error: /ENOENT/ })
  })

  it('opens one chooser at a time', async () => {
    fake.dialog.openAnswers.push({ canceled: false, filePaths: [program] })
    fake.dialog.messageAnswers.push(0)
    const [a, b] = await Promise.all([bridge.chooseFfmpeg(), bridge.chooseFfmpeg()])
    expect(a).toEqual(b)
    expect(fake.dialog.opened).toHaveLength(1)
    expect(await ffmpegPath()).toBe(program)
  })

  it('refuses the chooser to another window, an iframe and a page of another origin', async () => {
    const other = new fake.BrowserWindow({})
    const senders = [
      { contents: other.webContents, frame: TOP },
      { contents: win.webContents, frame: { url: START, parent: TOP } },
      { contents: win.webContents, frame: { url: 'https://evil.example/', parent: null } },
    ]
    for (const s of senders) {
      Object.assign(fake.fakeSender, s)
      const r = (await bridge.chooseFfmpeg()) as Extract<ChooseFfmpegResult, { ok: false }>
      expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    }
    expect(fake.dialog.opened).toHaveLength(0)
  })

  it('a page cannot set a free ffmpeg path over the contract channel', async () => {
    const r = (await bridge.invoke('settings.set', { ffmpegPath: program })) as Extract<
      InvokeResult,
      { ok: false }
    >
    expect(r.ok).toBe(false)
    expect(r.error.code).toBe('unauthorized')
    expect(r.error.message).toMatch(/^A page cannot choose the program Ferry runs\./)
    expect(await ffmpegPath()).toBeNull()
    // The same page may go back to automatic.
    expect((await bridge.invoke('settings.set', { ffmpegPath: null })).ok).toBe(true)
  })

  it('a page cannot delete outside the destinations Ferry was given', async () => {
    const root = join(dir.path, 'card')
    const victim = join(dir.path, 'keep.txt')
    writeFileSync(victim, 'keep')
    mkdirSync(join(dir.path, 'album'), { recursive: true })
    for (const r of [root, '/', dir.path]) {
      const refused = (await bridge.invoke('queue.enqueue', {
        mode: 'delete',
        root: r,
        paths: [victim],
      })) as Extract<InvokeResult, { ok: false }>
      expect(refused.ok).toBe(false)
      expect(refused.error.message).toMatch(/is not a destination Ferry was given/)
    }
    // Inside a root Ferry was given (a copy's destination), still nothing outside it.
    const copy = await bridge.invoke('queue.enqueue', {
      mode: 'copy',
      sources: [join(dir.path, 'album')],
      destination: root,
    })
    expect(copy.ok).toBe(true)
    for (const paths of [[victim], [`${root}/../keep.txt`], [root]]) {
      const r = (await bridge.invoke('queue.enqueue', { mode: 'delete', root, paths })) as Extract<
        InvokeResult,
        { ok: false }
      >
      expect(r.ok).toBe(false)
      expect(r.error.message).toMatch(/Refused: .* is not inside/)
    }
    expect(existsSync(victim)).toBe(true)
  })
})
