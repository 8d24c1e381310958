// The server never dies of input: thousands of malformed HTTP requests and WebSocket frames,
// authenticated and not, half-open connections and 1,000 parallel ones; the server answers each
// (a status line, or a close), still serves a real client afterwards, and its memory comes back.
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type Served, startServe, tempDir } from '../helpers/ferry'

/** Sends raw bytes on a fresh TCP connection; resolves with the status line, 'closed' or 'timeout'. */
function raw(port: number, bytes: Buffer | string, opts: { halfOpen?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let got = ''
    const done = (what: string) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(what)
    }
    const timer = setTimeout(() => done(got ? got.split('\r\n')[0]! : 'timeout'), 3000)
    socket.on('data', (d) => {
      got += d.toString('latin1')
      if (got.includes('\r\n')) done(got.split('\r\n')[0]!)
    })
    socket.on('error', () => done(got ? got.split('\r\n')[0]! : 'closed'))
    socket.on('close', () => done(got ? got.split('\r\n')[0]! : 'closed'))
    socket.write(bytes)
    if (opts.halfOpen) socket.end() // half-close: we send no more, the server must still cope
  })
}

/** Opens a WebSocket, sends one frame, resolves with how the exchange ended. */
function frame(
  port: number,
  data: Buffer | string,
  opts: { token?: string; origin?: string; binary?: boolean },
): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, {
      origin: opts.origin,
      headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
      maxPayload: 64 * 1024 * 1024,
    })
    const timer = setTimeout(() => {
      ws.terminate()
      resolve('quiet') // no answer is owed to a frame the server ignores; the socket stayed usable
    }, 1500)
    ws.on('open', () => ws.send(data, { binary: opts.binary === true }))
    ws.on('message', () => {
      clearTimeout(timer)
      ws.close()
      resolve('answered')
    })
    ws.on('close', (code) => {
      clearTimeout(timer)
      resolve(`closed ${code}`)
    })
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer)
      resolve(`refused ${res.statusCode}`)
    })
    ws.on('error', () => {
      clearTimeout(timer)
      resolve('error')
    })
  })
}

/** RSS once it has stopped falling (the server frees what a storm took over a few moments). */
/** The server's RSS once it stops falling for a second (sockets closing, GC), at most 15 s. */
async function settledRss(pid: number): Promise<number> {
  let last = rssKiB(pid)
  for (let i = 0; i < 15; i++) {
    await new Promise((r) => setTimeout(r, 1000))
    const now = rssKiB(pid)
    if (now >= last) return Math.min(now, last)
    last = now
  }
  return last
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(m![1])
}

/** Runs tasks with at most `n` at once. */
async function pool<T>(items: T[], n: number, run: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await run(items[next++]!)
    }),
  )
}

async function realClientWorks(s: Served): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws`, {
      headers: { authorization: `Bearer ${s.token}` },
    })
    ws.on('open', () => ws.send(JSON.stringify({ type: 'invoke', id: 1, command: 'system.info' })))
    ws.on('message', (d) => {
      const msg = JSON.parse(String(d))
      if (msg.type !== 'result') return
      ws.close()
      resolve(msg.ok === true && typeof msg.value.appVersion === 'string')
    })
    ws.on('error', () => resolve(false))
  })
}

describe('the server under malformed input', () => {
  const dir = tempDir('ferry-fuzz-')
  let s: Served
  beforeAll(async () => {
    s = await startServe(dir.path)
  })
  afterAll(async () => {
    await s?.stop()
    dir.remove()
  })

  it('answers ≥ 2,000 malformed requests and frames, keeps serving, and its memory comes back', async () => {
    const host = `127.0.0.1:${s.port}`
    // Warm up, then take the baseline.
    for (let i = 0; i < 50; i++) await raw(s.port, `GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`)
    const baseline = rssKiB(s.child.pid!)

    const paths = [
      '/%',
      '/%zz',
      '/%E0%A4%A',
      '/%00',
      '/..%2f..%2fetc%2fpasswd',
      '/\\..\\..',
      '/a?%',
      '/ws?x=%',
      '//',
      '/' + 'a'.repeat(8000),
    ]
    const cookies = [
      'ferry_token=%',
      'ferry_token=%E0%A4%A',
      '%%%',
      '=;=;=',
      'a'.repeat(9000),
      '\u00ff\u00fe',
    ]
    const headers = [
      `Host: ${host}`,
      'Host: evil.example',
      'Host:',
      `Host: ${host}\r\nHost: other`,
      `Host: ${host}\r\nAuthorization: Bearer %`,
      `Host: ${host}\r\nAuthorization: Bearer ${'x'.repeat(5000)}`,
      `Host: ${host}\r\nX-Big: ${'y'.repeat(20_000)}`, // over Node's header limit: 431
      `Host: ${host}\r\n${Array.from({ length: 300 }, (_, i) => `X-H${i}: v`).join('\r\n')}`,
    ]
    const requests: { bytes: string | Buffer; halfOpen?: boolean }[] = []
    for (const p of paths)
      for (const h of headers)
        for (const c of cookies) requests.push({ bytes: `GET ${p} HTTP/1.1\r\n${h}\r\nCookie: ${c}\r\n\r\n` })
    const junk = [
      'GARBAGE\r\n\r\n',
      'GET\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      'GET http://[::1 HTTP/1.1\r\n\r\n',
      `POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 5\r\n\r\nhello`,
      `GET / HTTP/1.1\r\nHost: ${host}\r\nContent-Length: -1\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      `GET /ws HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
      `GET /ws HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %%%\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      `GET /%ws HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
    ]
    for (let i = 0; i < 30; i++) for (const j of junk) requests.push({ bytes: j })
    for (let i = 0; i < 100; i++) {
      requests.push({ bytes: Buffer.from(Array.from({ length: 200 }, (_, k) => (k * 31 + i * 7) % 256)) })
      requests.push({ bytes: `GET / HTTP/1.1\r\nHost: ${host}\r\n`, halfOpen: true }) // never finished
      requests.push({ bytes: 'GET /', halfOpen: true })
    }
    const storm = async () => {
      const httpOutcomes = new Map<string, number>()
      await pool(requests, 50, async (r) => {
        const what = await raw(s.port, r.bytes, { halfOpen: r.halfOpen })
        const key = what.startsWith('HTTP/1.1') ? what.slice(0, 12) : what
        httpOutcomes.set(key, (httpOutcomes.get(key) ?? 0) + 1)
      })
      console.log(`${requests.length} malformed HTTP requests:`, Object.fromEntries(httpOutcomes))
      expect(httpOutcomes.get('timeout') ?? 0).toBe(0) // every one answered or closed
      expect(httpOutcomes.has('HTTP/1.1 500')).toBe(false)

      const origin = `http://127.0.0.1:${s.port}`
      const frames: Buffer[] = [
        Buffer.from([0xff, 0xfe, 0xfd]), // invalid UTF-8
        Buffer.from('not json'),
        Buffer.from('[]'),
        Buffer.from('null'),
        Buffer.from('{"type":"invoke"}'),
        Buffer.from('{"type":"invoke","id":"1","command":"system.info"}'),
        Buffer.from('{"type":"invoke","id":1,"command":{"x":1}}'),
        Buffer.from('{"type":"invoke","id":1,"command":"queue.list","input":{"limit":"%"}}'),
        Buffer.from(`{"type":"invoke","id":1,"command":"${'x'.repeat(100_000)}"}`),
        Buffer.from('{"type":"hello","token":"%"}'),
        Buffer.from('{"type":"hello","token":{"a":1}}'),
        Buffer.from(`{"type":"hello","token":"${s.token}x"}`),
        Buffer.from('{"__proto__":{"type":"invoke"},"id":1}'),
        Buffer.from('{"type":"invoke","id":1e400,"command":"system.info"}'),
        Buffer.alloc(2 * 1024 * 1024, 0x7b), // 2 MB of '{'
      ]
      const wsCases: { data: Buffer; token?: string; origin?: string; binary?: boolean }[] = []
      for (let i = 0; i < 25; i++)
        for (const f of frames) {
          wsCases.push({ data: f, token: s.token }) // the CLI's kind of socket
          wsCases.push({ data: f, origin }) // a page's, before its hello
          wsCases.push({ data: f, token: s.token, binary: true })
        }
      wsCases.push({ data: Buffer.alloc(17 * 1024 * 1024, 0x20), token: s.token }) // over the frame limit
      const wsOutcomes = new Map<string, number>()
      await pool(wsCases, 20, async (c) => {
        const what = await frame(s.port, c.data, c)
        wsOutcomes.set(what, (wsOutcomes.get(what) ?? 0) + 1)
      })
      console.log(`${wsCases.length} malformed WebSocket frames:`, Object.fromEntries(wsOutcomes))
      expect(wsOutcomes.get('error') ?? 0).toBe(0)
      expect(requests.length + wsCases.length).toBeGreaterThanOrEqual(2000)

      // 1,000 connections at once, each a real request.
      const parallel = await Promise.all(
        Array.from({ length: 1000 }, () =>
          raw(s.port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
        ),
      )
      expect(parallel.filter((p) => p === 'HTTP/1.1 200 OK').length).toBe(1000)
    }
    // Memory levels off: storm after storm, the server's RSS grows less each time and the last of
    // four adds little (V8 and the allocator keep some of what a storm took; nothing piles up).
    const rss: number[] = []
    for (let round = 0; round < 4; round++) {
      await storm()
      rss.push(await settledRss(s.child.pid!))
    }
    expect(s.child.exitCode).toBeNull() // still running
    expect(await realClientWorks(s)).toBe(true)
    console.log(
      `server RSS: ${Math.round(baseline / 1024)} MiB before, after each storm: ${rss.map((r) => Math.round(r / 1024)).join(', ')} MiB`,
    )
    // The last storm adds less than the first did (or next to nothing), and the total stays bounded.
    // On a loaded machine V8 collects later, so the bounds are about levelling off, not exact bytes.
    expect(rss[3]! - rss[2]!).toBeLessThan(Math.max(12 * 1024, rss[0]! - baseline))
    expect(rss[3]!).toBeLessThan(baseline + 160 * 1024)
  }, 180_000)

  it('the static server gives nothing outside the renderer folder, however the path is spelled', async () => {
    const host = `127.0.0.1:${s.port}`
    const secret = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!
    const index = await rawBody(s.port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)
    for (const path of [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e%5c%2e%2e%5cetc%5cpasswd',
      '/assets/../../../../../etc/passwd',
      '/%00/etc/passwd',
      '/etc/passwd%00.js',
      '/%',
      '//etc/passwd',
      '/..\\..\\etc\\passwd',
    ]) {
      const body = await rawBody(s.port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)
      expect(body, path).not.toContain(secret)
      // Either refused, or the app's own page (which routes itself): never another file.
      if (body.startsWith('HTTP/1.1 200')) expect(body.split('\r\n\r\n')[1]).toBe(index.split('\r\n\r\n')[1])
    }
  })
})

/** A whole raw HTTP exchange (the server closes after one response). */
function rawBody(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let got = ''
    socket.on('data', (d) => (got += d.toString('utf8')))
    socket.on('close', () => resolve(got))
    socket.on('error', () => resolve(got))
    socket.write(request)
  })
}
