import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { startServer } from '../../main/server/server'
import { FerryError } from '../../shared/errors'
import { openEngine } from '../connect'

export interface ServeOptions {
  dataDir?: string
  port?: number
  /** Stop when standard input closes: a parent (test, supervisor) that dies takes the server with it. */
  stopWithStdin?: boolean
}

/**
 * FERRY_TOKEN keeps the web UI's address the same across restarts (a supervisor restarting
 * `ferry serve` on a NAS, say), so an open page reconnects by itself; as JUPYTER_TOKEN does. It must
 * be at least as hard to guess as the token Ferry makes (32 characters of base64url).
 */
export function tokenFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const token = env.FERRY_TOKEN
  if (token === undefined || token === '') return undefined
  if (!/^[\w-]{32,256}$/.test(token))
    throw new FerryError(
      'invalid_input',
      'FERRY_TOKEN must be 32 to 256 letters, digits, "-" or "_" (for example: openssl rand -base64 24 | tr "+/" "-_"); unset it and Ferry makes a new token each start.',
    )
  return token
}

export async function serveCommand(opts: ServeOptions): Promise<number> {
  const token = tokenFromEnv(process.env)
  const engine = await openEngine({ kind: 'serve', dataDir: opts.dataDir })
  let server: Awaited<ReturnType<typeof startServer>>
  try {
    server = await startServer(engine, { port: opts.port ?? 0, rendererDir: rendererDir(), token })
  } catch (err) {
    await engine.close()
    throw err
  }
  // Last resort: a fault that escaped every guard is logged, and the engine goes on serving. Each
  // request is handled in its own guarded scope, so nothing shared is left half-changed by one.
  const lastResort = (err: unknown) =>
    process.stderr.write(
      `ferry serve: an unexpected error was caught; still serving. ${String((err as Error)?.stack ?? err)}\n`,
    )
  process.on('uncaughtException', lastResort)
  process.on('unhandledRejection', lastResort)
  process.stdout.write(`Ferry is serving the web UI on 127.0.0.1 only. Open:\n${server.url}\n`)
  process.stdout.write(`data: ${engine.dataDir}   (Ctrl+C stops it)\n`)
  return new Promise((resolve) => {
    let stopping = false
    const stop = async () => {
      if (stopping) return
      stopping = true
      if (opts.stopWithStdin) process.stdin.destroy()
      await server.close()
      await engine.close()
      resolve(0)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    if (opts.stopWithStdin) {
      process.stdin.on('end', stop).on('close', stop).resume()
    }
  })
}

/** out/renderer, beside out/main (this code runs from out/main or one of its chunk folders). */
function rendererDir(): string {
  const candidates = [join(__dirname, '../renderer'), join(__dirname, '../../renderer')]
  return candidates.find((c) => existsSync(join(c, 'index.html'))) ?? candidates[0]!
}
