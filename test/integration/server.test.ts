import { request } from 'node:http'
import { networkInterfaces } from 'node:os'
import { statSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type Served, startServe, tempDir } from '../helpers/ferry'

/** A raw HTTP GET with full control of the headers (fetch would fix Host for us). */
function get(port: number, path: string, headers: Record<string, string> = {}, host = '127.0.0.1') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host, port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
        let body = ''
        res.on('data', (d) => {
          body += d
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      })
      req.on('error', reject)
      req.end()
    },
  )
}

/** Tries a WebSocket handshake; resolves to 'open' or the HTTP status it was refused with. */
function wsAttempt(port: number, opts: { token?: string; origin?: string; host?: string }) {
  return new Promise<string | number>((resolve) => {
    const headers: Record<string, string> = {}
    if (opts.token) headers.authorization = `Bearer ${opts.token}`
    if (opts.host) headers.host = opts.host
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers, origin: opts.origin })
    ws.on('open', () => {
      ws.close()
      resolve('open')
    })
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('error', () => resolve('error'))
  })
}

describe('ferry serve', () => {
  const dir = tempDir()
  let s: Served
  beforeAll(async () => {
    s = await startServe(dir.path)
  })
  afterAll(async () => {
    await s.stop()
    dir.remove()
  })

  it('answers 401 without the token, and with a wrong one', async () => {
    expect((await get(s.port, '/')).status).toBe(401)
    expect((await get(s.port, '/', { authorization: 'Bearer nope' })).status).toBe(401)
    expect((await get(s.port, '/', { cookie: 'ferry_token=nope' })).status).toBe(401)
    expect((await get(s.port, '/?token=nope')).status).toBe(401)
  })

  it('trades the token in the URL for an HttpOnly cookie, then serves the UI with a CSP', async () => {
    const first = await get(s.port, `/?token=${s.token}`)
    expect(first.status).toBe(303)
    expect(first.headers.location).toBe('/')
    const cookie = String(first.headers['set-cookie'])
    expect(cookie).toMatch(/ferry_token=.+; HttpOnly; SameSite=Strict/)
    const page = await get(s.port, '/', { cookie: cookie.split(';')[0]! })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<div id="root">')
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'")
  })

  it('refuses a foreign Host (DNS rebinding) even with the token', async () => {
    const auth = { authorization: `Bearer ${s.token}` }
    expect((await get(s.port, '/', { ...auth, host: 'evil.example' })).status).toBe(403)
    expect((await get(s.port, '/', { ...auth, host: `evil.example:${s.port}` })).status).toBe(403)
    expect((await get(s.port, '/', { ...auth, host: `localhost:${s.port}` })).status).toBe(200)
  })

  it('refuses a WebSocket from a foreign Origin, without token, or with a foreign Host', async () => {
    expect(await wsAttempt(s.port, { token: s.token, origin: 'http://evil.example' })).toBe(403)
    expect(await wsAttempt(s.port, { token: s.token, origin: `http://127.0.0.1:${s.port + 1}` })).toBe(403)
    expect(await wsAttempt(s.port, {})).toBe(401)
    expect(await wsAttempt(s.port, { origin: `http://127.0.0.1:${s.port}` })).toBe(401)
    expect(await wsAttempt(s.port, { token: s.token, host: 'attacker.test' })).toBe(403)
    expect(await wsAttempt(s.port, { token: s.token, origin: `http://127.0.0.1:${s.port}` })).toBe('open')
    expect(await wsAttempt(s.port, { token: s.token })).toBe('open') // the CLI sends no Origin
  })

  it('listens on 127.0.0.1 only', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address)
    for (const address of others) {
      await expect(get(s.port, '/', {}, address)).rejects.toThrow(/ECONNREFUSED/)
    }
    await expect(get(s.port, '/', {}, '::1')).rejects.toThrow(/ECONNREFUSED|EADDRNOTAVAIL/)
    expect((await get(s.port, '/', {}, '127.0.0.1')).status).toBe(401)
  })

  it('keeps its runtime file (with the token) readable by the user only', () => {
    expect(statSync(`${dir.path}/run`).mode & 0o777).toBe(0o700)
    expect(statSync(`${dir.path}/run/engine.json`).mode & 0o777).toBe(0o600)
  })
})
