import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'
import { toErrorShape } from '../../shared/errors'
import {
  type ClientMessage,
  HELLO_TIMEOUT_MS,
  type ServerMessage,
  TOKEN_FRAGMENT,
  WS_PATH,
  WS_UNAUTHORIZED,
} from '../../shared/wire'
import type { Caller, InvokeTarget, ServedEngine } from '../engine/api'
import { bearerOf, hostAllowed, newToken, originAllowed, tokensMatch } from './auth'
import { serveStatic } from './static'

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
  /** The URL to open: the token rides in its fragment, which no browser sends over the network. */
  url: string
  /** How many WebSocket clients are connected now. */
  clients(): number
  /** Settles when no WebSocket client is connected (at once if none is). */
  idle(): Promise<void>
  close(): Promise<void>
}

/**
 * The engine's contract over HTTP + WebSocket, on 127.0.0.1 only. Static files hold no secret and
 * are served to any page of our own host; the contract needs the token, which a program (the CLI)
 * presents on the upgrade and a page in its socket's first message. Nothing a client sends can stop
 * the server: every parse of request data is guarded, and a bad request gets 400 or its socket closed.
 */
export async function startServer(engine: ServedEngine, opts: ServerOptions = {}): Promise<RunningServer> {
  const token = opts.token ?? newToken()
  let port = opts.port ?? 0
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 })
  const idle = watchIdle(wss)
  const served: Served = { engine, wss, token, gone: idle.gone }

  // The handlers read `port` as each request comes, so they check against the port listen picked.
  const http = createServer((req, res) => answer(req, res, port, opts.rendererDir))
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) =>
    upgrade(req, socket, head, port, served),
  )
  guardHttp(http)

  port = await listen(http, port)
  const url = `http://127.0.0.1:${port}/#${TOKEN_FRAGMENT}=${token}`
  engine.advertise({ port, token, url })

  return {
    port,
    token,
    url,
    clients: () => wss.clients.size,
    idle: idle.wait,
    close: () => closeServer(http, wss),
  }
}

/** What an upgrade needs to hand its socket on to serveClient. */
interface Served {
  engine: InvokeTarget
  wss: WebSocketServer
  token: string
  /** Called when a client's socket closes. */
  gone: () => void
}

/** Waiting for no client to be connected, and `gone`, which settles the waiters when the last one goes. */
function watchIdle(wss: WebSocketServer): { gone: () => void; wait: () => Promise<void> } {
  const waiters: (() => void)[] = []
  return {
    /** A client went: whoever waits for none hears it when it was the last. */
    gone: () => {
      if (wss.clients.size === 0) for (const settle of waiters.splice(0)) settle()
    },
    wait: () =>
      wss.clients.size === 0 ? Promise.resolve() : new Promise<void>((settle) => waiters.push(settle)),
  }
}

/**
 * An HTTP request: a file of the web UI, or an error. A throw while answering gets 400, or the response
 * destroyed when its headers are already out.
 */
function answer(
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
  rendererDir: string | undefined,
): void {
  try {
    handleRequest(req, res, port, rendererDir)
  } catch {
    if (!res.headersSent) deny(res, 400, 'Bad request.')
    else res.destroy()
  }
}

function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
  rendererDir: string | undefined,
): void {
  if (!hostAllowed(req.headers.host, port)) return deny(res, 403, 'Forbidden host.')
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed.')
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY)
  res.setHeader('x-content-type-options', 'nosniff')
  res.setHeader('referrer-policy', 'no-referrer')
  res.setHeader('x-frame-options', 'DENY')
  if (!rendererDir) return deny(res, 404, 'This engine serves no web UI.')
  serveStatic(rendererDir, url.pathname, res)
}

/** A WebSocket upgrade: checked (path, host, origin, and the token when one is presented), then served. */
function upgrade(req: IncomingMessage, socket: Socket, head: Buffer, port: number, served: Served): void {
  socket.on('error', () => socket.destroy())
  const refuse = (status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  }
  try {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== WS_PATH) return refuse(404, 'Not Found')
    if (!hostAllowed(req.headers.host, port)) return refuse(403, 'Forbidden')
    if (!originAllowed(req.headers.origin, port)) return refuse(403, 'Forbidden')
    const bearer = bearerOf(req)
    if (bearer !== undefined && !tokensMatch(bearer, served.token)) return refuse(401, 'Unauthorized')
    // A browser always sends Origin; a local program (the CLI) holding the token sends none.
    const caller: Caller = req.headers.origin ? 'page' : 'trusted'
    served.wss.handleUpgrade(req, socket, head, (ws) =>
      serveClient(served.engine, ws, caller, bearer !== undefined, served.token, served.gone),
    )
  } catch {
    refuse(400, 'Bad Request')
  }
}

/**
 * Malformed HTTP (bad request lines, oversized headers, half-open sockets) gets 400 and is closed; a
 * request has 10 s to send its headers and 30 s for the whole of it.
 */
function guardHttp(http: Server): void {
  http.on('clientError', (_err, socket: Socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
    else socket.destroy()
  })
  http.headersTimeout = 10_000
  http.requestTimeout = 30_000
}

/** Listens on 127.0.0.1 only; settles with the port (the one picked, when asked for 0). */
async function listen(http: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(port, '127.0.0.1', () => resolve())
  })
  return (http.address() as AddressInfo).port
}

/** Ends every client, stops listening and drops open connections; settles once the server has closed. */
function closeServer(http: Server, wss: WebSocketServer): Promise<void> {
  return new Promise<void>((resolve) => {
    for (const client of wss.clients) client.terminate()
    wss.close()
    http.close(() => resolve())
    http.closeAllConnections()
  })
}

function deny(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
  res.end(text)
}

/** Parses a frame: a JSON object with a known `type`, or undefined. */
function parse(data: RawData, isBinary: boolean): ClientMessage | undefined {
  if (isBinary) return undefined
  try {
    const msg = JSON.parse(String(data)) as ClientMessage
    return msg && typeof msg === 'object' && (msg.type === 'invoke' || msg.type === 'hello') ? msg : undefined
  } catch {
    return undefined
  }
}

function serveClient(
  engine: InvokeTarget,
  ws: WebSocket,
  caller: Caller,
  authenticated: boolean,
  token: string,
  gone: () => void,
): void {
  const send = (msg: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg))
  }
  let unsubscribe: (() => void) | undefined
  const admit = () => {
    authenticated = true
    unsubscribe = engine.subscribe((name, payload) => send({ type: 'event', name, payload }))
  }
  if (authenticated) admit()
  // A page has a few seconds to present its token, or the socket is closed.
  const helloTimer = authenticated
    ? undefined
    : setTimeout(() => ws.close(WS_UNAUTHORIZED, 'No token.'), HELLO_TIMEOUT_MS)
  ws.on('error', () => ws.terminate())
  ws.on('close', () => {
    clearTimeout(helloTimer)
    unsubscribe?.()
    gone()
  })
  ws.on('message', async (data, isBinary) => {
    const msg = parse(data, isBinary)
    if (!msg) return ws.close(1003, 'Messages must be JSON objects of a known type.')
    if (!authenticated) {
      clearTimeout(helloTimer)
      if (msg.type !== 'hello' || typeof msg.token !== 'string' || !tokensMatch(msg.token, token))
        return ws.close(WS_UNAUTHORIZED, 'Wrong or missing token.')
      return admit()
    }
    if (msg.type !== 'invoke' || typeof msg.id !== 'number') return ws.close(1003, 'Unknown message.')
    try {
      const value = await engine.invoke(msg.command, msg.input, caller)
      send({ type: 'result', id: msg.id, ok: true, value })
    } catch (err) {
      send({ type: 'result', id: msg.id, ok: false, error: toErrorShape(err) })
    }
  })
}
