// Messages on the WebSocket transport. The same names and values as the contract; nothing else.
import type { ErrorShape } from './errors'

export type ClientMessage =
  | { type: 'invoke'; id: number; command: string; input?: unknown }
  /** A browser's first message: the token it was given in the URL's fragment (never sent over HTTP). */
  | { type: 'hello'; token: string }

export type ServerMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ErrorShape }
  | { type: 'event'; name: string; payload: unknown }

/** Path of the WebSocket endpoint on the server. */
export const WS_PATH = '/ws'
/**
 * The printed URL carries the token in its fragment (`#token=…`): a browser never sends a fragment
 * over the network, so no request to any server (ours or another on 127.0.0.1) carries it; the page
 * keeps it in sessionStorage and presents it in its WebSocket's first message.
 */
export const TOKEN_FRAGMENT = 'token'
/** Close codes of the WebSocket: the token was missing or wrong; the hello came too late. */
export const WS_UNAUTHORIZED = 4401
export const HELLO_TIMEOUT_MS = 5000
