import { type BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron'
import { toErrorShape } from '../../shared/errors'
import {
  CHOOSE_FFMPEG_CHANNEL,
  type ChooseFfmpegResult,
  EVENT_CHANNEL,
  INVOKE_CHANNEL,
  type InvokeResult,
} from '../../shared/ipc'
import type { FerrySettings } from '../../shared/model'
import type { InvokeTarget } from '../engine/api'
import { chooseFfmpeg } from './choose-ffmpeg'
import { sameOrigin } from './window'

export interface IpcOptions {
  /** How long a chosen ffmpeg may take to print its version (tests shorten it). */
  versionTimeoutMs?: number
  /** After the page changed settings (the shell applies what is its own: start at login). */
  onSettings?: (settings: FerrySettings) => void
}

/** Only our own window, showing our own page, may call the engine. */
export function isTrustedSender(event: IpcMainInvokeEvent, win: BrowserWindow, startUrl: string): boolean {
  if (win.isDestroyed() || event.sender.id !== win.webContents.id) return false
  const frame = event.senderFrame
  if (!frame || frame.parent !== null) return false // top frame only, never an iframe
  return sameOrigin(frame.url, startUrl)
}

const UNKNOWN_SENDER = {
  ok: false,
  error: { name: 'FerryError', code: 'unauthorized', message: 'IPC from an unknown sender.' },
} as const

/** Carries the contract over Electron IPC. Returns a function that removes it. */
export function registerIpc(
  engine: InvokeTarget,
  win: BrowserWindow,
  startUrl: string,
  opts: IpcOptions = {},
): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, command: unknown, input: unknown): Promise<InvokeResult> => {
    if (!isTrustedSender(event, win, startUrl)) return UNKNOWN_SENDER
    try {
      // The renderer is a page: it may not choose a program the engine runs.
      const value = await engine.invoke(command, input, 'page')
      if (command === 'settings.set') opts.onSettings?.(value as FerrySettings)
      return { ok: true, value }
    } catch (err) {
      return { ok: false, error: toErrorShape(err) }
    }
  })

  // The page may only ask; the user picks and confirms in native dialogs. One chooser at a time: a
  // second ask while one is open gets the same answer.
  let choosing: Promise<ChooseFfmpegResult> | undefined
  ipcMain.handle(CHOOSE_FFMPEG_CHANNEL, (event): Promise<ChooseFfmpegResult> | ChooseFfmpegResult => {
    if (!isTrustedSender(event, win, startUrl)) return UNKNOWN_SENDER
    choosing ??= chooseFfmpeg(engine, win, opts.versionTimeoutMs)
      .then((value): ChooseFfmpegResult => ({ ok: true, value }))
      .catch((err: unknown): ChooseFfmpegResult => ({ ok: false, error: toErrorShape(err) }))
      .finally(() => (choosing = undefined))
    return choosing
  })

  const unsubscribe = engine.subscribe((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, name, payload)
  })
  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL)
    ipcMain.removeHandler(CHOOSE_FFMPEG_CHANNEL)
    unsubscribe()
  }
}
