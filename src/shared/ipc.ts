// Channel names of the Electron IPC transport, shared by the shell and the preload.
import type { ErrorShape } from './errors'
import type { FerrySettings } from './model'

export const INVOKE_CHANNEL = 'ferry:invoke'
export const EVENT_CHANNEL = 'ferry:event'
/** The desktop's trusted way to set ffmpegPath: a native picker and confirmation in the main process. */
export const CHOOSE_FFMPEG_CHANNEL = 'ferry:choose-ffmpeg'

/** The main process asks the page to do something a person asked of the shell (tray, notification, a second launch). */
export const SHELL_CHANNEL = 'ferry:shell'

/**
 * What the shell asks of the page: open the Add-to-queue sheet with paths handed over by a second
 * launch (`ferry-app PATH…`), or show the view a notification or the tray menu is about.
 */
export type ShellRequest =
  | { kind: 'add'; paths: string[] }
  | {
      kind: 'show'
      view: 'queue' | 'sync' | 'presets' | 'settings' | 'system'
      batchId?: number
      profile?: string
    }

/** What crosses IPC for one invoke: errors as data, because Electron flattens thrown errors. */
export type InvokeResult = { ok: true; value: unknown } | { ok: false; error: ErrorShape }

/** The settings after the user confirmed a program, null if they cancelled; errors as data. */
export type ChooseFfmpegResult = { ok: true; value: FerrySettings | null } | { ok: false; error: ErrorShape }

/** What the preload exposes as `window.ferry`. */
export interface FerryBridge {
  invoke(command: string, input?: unknown): Promise<InvokeResult>
  on(event: string, listener: (payload: unknown) => void): () => void
  /** The real path of a dropped File (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string
  /**
   * Desktop only: the main process asks the user to pick an ffmpeg program, shows the version line it
   * prints, and sets it only if the user confirms (a page may not name a program itself).
   */
  chooseFfmpeg?(): Promise<ChooseFfmpegResult>
  /** Desktop only: requests from the shell (see ShellRequest). Returns an unsubscribe function. */
  onShell?(listener: (request: ShellRequest) => void): () => void
}
