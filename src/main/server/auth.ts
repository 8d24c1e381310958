import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

/** Constant-time comparison, whatever the lengths (both sides are hashed first). */
export function tokensMatch(given: string | undefined, expected: string): boolean {
  if (!given) return false
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

/** The token a program (the CLI) presents on its WebSocket upgrade: `Authorization: Bearer …`. */
export function bearerOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization
  return typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : undefined
}

/** Only our own names for our own port: a foreign Host is a DNS-rebinding attempt. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}

/** Browsers always send Origin on a WebSocket; only pages we served may connect. No Origin: a CLI. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
}
