// Channel names of the Electron IPC transport, shared by the shell and the preload.
import type { ErrorShape } from './errors'

export const INVOKE_CHANNEL = 'ferry:invoke'
export const EVENT_CHANNEL = 'ferry:event'

/** What crosses IPC for one invoke: errors as data, because Electron flattens thrown errors. */
export type InvokeResult = { ok: true; value: unknown } | { ok: false; error: ErrorShape }

/** What the preload exposes as `window.ferry`. */
export interface FerryBridge {
  invoke(command: string, input?: unknown): Promise<InvokeResult>
  on(event: string, listener: (payload: unknown) => void): () => void
  /** The real path of a dropped File (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string
}
