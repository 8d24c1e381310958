import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'
import { toErrorShape } from '../../shared/errors'
import { type ClientMessage, type ServerMessage, TOKEN_COOKIE, WS_PATH } from '../../shared/wire'
import type { Caller } from '../engine/caller-policy'
import type { Engine } from '../engine/engine'
import { hostAllowed, newToken, originAllowed, tokenOf, tokensMatch } from './auth'
import { CONTENT_SECURITY_POLICY, serveStatic } from './static'

export interface ServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number
  /** Folder of the built renderer; without it only the WebSocket is served. */
  rendererDir?: string
  token?: string
}

export interface RunningServer {
  port: number
  token: string
  /** The URL to open once: it carries the token, which then lives in a cookie. */
  url: string
  /** How many WebSocket clients are connected now. */
  clients(): number
  close(): Promise<void>
}

/** The engine's contract over HTTP + WebSocket, on 127.0.0.1 only. */
export async function startServer(engine: Engine, opts: ServerOptions = {}): Promise<RunningServer> {
  const token = opts.token ?? newToken()
  let port = opts.port ?? 0
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 })

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (!hostAllowed(req.headers.host, port)) return deny(res, 403, 'Forbidden host.')
    const given = tokenOf(req, url)
    if (!tokensMatch(given, token)) {
      return deny(res, 401, 'Ferry needs its access token: open the URL that `ferry serve` printed.')
    }
    if (url.searchParams.has('token')) {
      // Trade the token in the URL for a cookie, and drop it from the address bar and history.
      url.searchParams.delete('token')
      res.writeHead(303, {
        location: url.pathname + url.search,
        'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
      })
      return res.end()
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed.')
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY)
    res.setHeader('x-content-type-options', 'nosniff')
    res.setHeader('referrer-policy', 'no-referrer')
    if (!opts.rendererDir) return deny(res, 404, 'This engine serves no web UI.')
    serveStatic(opts.rendererDir, url.pathname, res)
  })

  http.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    if (url.pathname !== WS_PATH) return refuse(404, 'Not Found')
    if (!hostAllowed(req.headers.host, port)) return refuse(403, 'Forbidden')
    if (!originAllowed(req.headers.origin, port)) return refuse(403, 'Forbidden')
    if (!tokensMatch(tokenOf(req, url), token)) return refuse(401, 'Unauthorized')
    // A browser always sends Origin; a local program (the CLI) holding the token sends none.
    const caller = req.headers.origin ? 'page' : 'trusted'
    wss.handleUpgrade(req, socket, head, (ws) => serveClient(engine, ws, caller))
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(port, '127.0.0.1', () => resolve())
  })
  port = (http.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}/?token=${token}`
  engine.advertise({ port, token, url })

  return {
    port,
    token,
    url,
    clients: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        http.close(() => resolve())
        http.closeAllConnections()
      }),
  }
}

function deny(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
  res.end(text)
}

function serveClient(engine: Engine, ws: WebSocket, caller: Caller): void {
  const send = (msg: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg))
  }
  const unsubscribe = engine.subscribe((name, payload) => send({ type: 'event', name, payload }))
  ws.on('close', unsubscribe)
  ws.on('message', async (data) => {
    let msg: ClientMessage
    try {
      msg = JSON.parse(String(data)) as ClientMessage
    } catch {
      return ws.close(1003, 'Messages must be JSON.')
    }
    if (msg?.type !== 'invoke' || typeof msg.id !== 'number') return ws.close(1003, 'Unknown message.')
    try {
      const value = await engine.invoke(msg.command, msg.input, caller)
      send({ type: 'result', id: msg.id, ok: true, value })
    } catch (err) {
      send({ type: 'result', id: msg.id, ok: false, error: toErrorShape(err) })
    }
  })
}
