import { request } from 'node:http'
import { networkInterfaces } from 'node:os'
import { mkdirSync, statSync } from 'node:fs'
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

/** A WebSocket client that can call commands and reports how the server closed it. */
function socket(port: number, origin?: string, token?: string) {
  return new Promise<{
    ws: WebSocket
    closed: Promise<number>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    call(command: string, input?: unknown): Promise<any>
  }>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, {
      origin,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)))
    let next = 1
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const waiting = new Map<number, (v: any) => void>()
    ws.on('message', (d) => {
      const msg = JSON.parse(String(d))
      if (msg.type === 'result') waiting.get(msg.id)?.(msg)
    })
    ws.on('error', reject)
    ws.on('open', () =>
      resolve({
        ws,
        closed,
        call: (command, input) =>
          new Promise((r) => {
            const id = next++
            waiting.set(id, r)
            ws.send(JSON.stringify({ type: 'invoke', id, command, input }))
          }),
      }),
    )
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

  it('serves the page (which holds no secret) without a token, with a CSP; no cookie is ever set', async () => {
    const page = await get(s.port, '/')
    expect(page.status).toBe(200)
    expect(page.body).toContain('<div id="root">')
    expect(page.body).not.toContain(s.token)
    expect(page.headers['set-cookie']).toBeUndefined()
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'")
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/#token=${s.token}`)
  })

  it('refuses a foreign Host (DNS rebinding)', async () => {
    expect((await get(s.port, '/', { host: 'evil.example' })).status).toBe(403)
    expect((await get(s.port, '/', { host: `evil.example:${s.port}` })).status).toBe(403)
    expect((await get(s.port, '/', { host: `localhost:${s.port}` })).status).toBe(200)
  })

  it('refuses a WebSocket from a foreign Origin, with a wrong token, or with a foreign Host', async () => {
    expect(await wsAttempt(s.port, { token: s.token, origin: 'http://evil.example' })).toBe(403)
    expect(await wsAttempt(s.port, { token: s.token, origin: `http://127.0.0.1:${s.port + 1}` })).toBe(403)
    expect(await wsAttempt(s.port, { token: 'nope' })).toBe(401)
    expect(await wsAttempt(s.port, { token: s.token, host: 'attacker.test' })).toBe(403)
    expect(await wsAttempt(s.port, { token: s.token })).toBe('open') // the CLI sends no Origin
  })

  it('a socket without the token can do nothing until its first message presents it', async () => {
    const page = await socket(s.port, `http://127.0.0.1:${s.port}`)
    // Invoking before the hello: the socket is closed as unauthorized, nothing answered.
    page.ws.send(JSON.stringify({ type: 'invoke', id: 1, command: 'system.info' }))
    expect(await page.closed).toBe(4401)
    const wrong = await socket(s.port, `http://127.0.0.1:${s.port}`)
    wrong.ws.send(JSON.stringify({ type: 'hello', token: 'nope' }))
    expect(await wrong.closed).toBe(4401)
    const good = await socket(s.port, `http://127.0.0.1:${s.port}`)
    good.ws.send(JSON.stringify({ type: 'hello', token: s.token }))
    const info = await good.call('system.info')
    expect(info.ok).toBe(true)
    good.ws.close()
  })

  it('a page cannot choose the program the engine runs; the CLI can', async () => {
    const page = await socket(s.port, `http://127.0.0.1:${s.port}`)
    page.ws.send(JSON.stringify({ type: 'hello', token: s.token }))
    const refused = await page.call('settings.set', { ffmpegPath: '/tmp/evil.sh' })
    expect(refused.ok).toBe(false)
    expect(refused.error.code).toBe('unauthorized')
    expect(refused.error.message).toMatch(
      /A page cannot choose the program Ferry runs.*ferry settings set ffmpegPath/,
    )
    // One of the builds the engine found itself is fine, and so is going back to automatic.
    const info = await page.call('system.info')
    const found = info.value.ffmpeg.candidates.find((c: { version: string | null }) => c.version)
    expect((await page.call('settings.set', { ffmpegPath: found.path })).ok).toBe(true)
    expect((await page.call('settings.set', { ffmpegPath: null })).ok).toBe(true)
    page.ws.close()
    const cli = await socket(s.port, undefined, s.token)
    const set = await cli.call('settings.set', { ffmpegPath: '/opt/ffmpeg/bin/ffmpeg' })
    expect(set.ok).toBe(true)
    expect((await cli.call('settings.set', { ffmpegPath: null })).ok).toBe(true)
    cli.ws.close()
  })

  it('deletes nothing outside the root a delete names, whoever asks', async () => {
    const page = await socket(s.port, `http://127.0.0.1:${s.port}`)
    page.ws.send(JSON.stringify({ type: 'hello', token: s.token }))
    const root = `${dir.path}/card`
    mkdirSync(`${dir.path}/album`, { recursive: true })
    // A root Ferry was never given is refused outright, "/" included…
    for (const r of [root, '/', dir.path]) {
      const refused = await page.call('queue.enqueue', {
        mode: 'delete',
        root: r,
        paths: [`${dir.path}/ferry.db`],
      })
      expect(refused.error.message).toMatch(/is not a destination Ferry was given/)
    }
    // …and inside one it was given, nothing outside it.
    const copy = await page.call('queue.enqueue', {
      mode: 'copy',
      sources: [`${dir.path}/album`],
      destination: root,
    })
    expect(copy.ok).toBe(true)
    for (const paths of [[`${dir.path}/ferry.db`], [`${root}/../ferry.db`], [root]]) {
      const r = await page.call('queue.enqueue', { mode: 'delete', root, paths })
      expect(r.ok).toBe(false)
      expect(r.error.message).toMatch(/Refused: .* is not inside/)
    }
    page.ws.close()
    expect(statSync(`${dir.path}/ferry.db`).isFile()).toBe(true)
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
    expect((await get(s.port, '/', {}, '127.0.0.1')).status).toBe(200)
  })

  it('keeps its runtime file (with the token) readable by the user only', () => {
    expect(statSync(`${dir.path}/run`).mode & 0o777).toBe(0o700)
    expect(statSync(`${dir.path}/run/engine.json`).mode & 0o777).toBe(0o600)
  })
})
