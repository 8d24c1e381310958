// Messages on the WebSocket transport. The same names and values as the contract; nothing else.
import type { ErrorShape } from './errors'

export type ClientMessage = { type: 'invoke'; id: number; command: string; input?: unknown }

export type ServerMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ErrorShape }
  | { type: 'event'; name: string; payload: unknown }

/** Path of the WebSocket endpoint on the server. */
export const WS_PATH = '/ws'
/** Cookie that carries the token after the first visit with `?token=`. */
export const TOKEN_COOKIE = 'ferry_token'
