// The renderer's one bridge to the engine: window.ferry inside the desktop app, the WebSocket in a
// browser. Views and stores import `api` from here and nothing else, so tests swap one thing.
import type { FerryApi } from '../../../shared/contract'
import type { ShellRequest } from '../../../shared/ipc'
import { useConnection } from '../store/connection'
import { ipcClient } from './ipc-client'
import { wsClient } from './ws-client'

export const transport: 'ipc' | 'websocket' = window.ferry ? 'ipc' : 'websocket'

export const api: FerryApi = window.ferry
  ? ipcClient(window.ferry)
  : wsClient((state) => useConnection.getState().api.set(state))

/**
 * Desktop only: what the shell asks of the page (the tray, a clicked notification, a second launch).
 * Undefined in a browser, and in a desktop build whose preload does not offer it.
 */
export const shell: { on(listener: (request: ShellRequest) => void): () => void } | undefined =
  typeof window.ferry?.onShell === 'function'
    ? { on: (listener) => window.ferry!.onShell!(listener) }
    : undefined
