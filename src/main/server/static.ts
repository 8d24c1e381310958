import { createReadStream, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { contentTypeOf } from '../../shared/content-types'

/** Serves the built renderer; unknown paths get index.html (the app routes itself). */
export function serveStatic(root: string, pathname: string, res: ServerResponse): void {
  let file = resolveInside(root, pathname)
  if (!file || !isFile(file)) file = join(root, 'index.html')
  if (!isFile(file)) {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(`The web UI is not built (no ${file}). Run: npm run build`)
    return
  }
  const type = contentTypeOf(extname(file))
  res.writeHead(200, {
    'content-type': type,
    'cache-control': type.startsWith('text/html') ? 'no-store' : 'private, max-age=3600',
  })
  createReadStream(file).pipe(res)
}

function resolveInside(root: string, pathname: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const file = normalize(join(root, decoded))
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : undefined
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}
