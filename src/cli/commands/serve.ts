import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Engine } from '../../main/engine/engine'
import { startServer } from '../../main/server/server'

export interface ServeOptions {
  dataDir?: string
  port?: number
  /** Stop when standard input closes: a parent (test, supervisor) that dies takes the server with it. */
  stopWithStdin?: boolean
}

export async function serveCommand(opts: ServeOptions): Promise<number> {
  const engine = Engine.open({ kind: 'serve', dataDir: opts.dataDir })
  let server: Awaited<ReturnType<typeof startServer>>
  try {
    server = await startServer(engine, { port: opts.port ?? 0, rendererDir: rendererDir() })
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
