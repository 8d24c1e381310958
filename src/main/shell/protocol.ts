import { readFile, realpath } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import { protocol } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../../shared/csp'
import { contentTypeOf } from '../../shared/content-types'

export const APP_SCHEME = 'app'
/** The one host app:// answers for: the renderer's origin is app://ferry. */
export const APP_HOST = 'ferry'

/** Privileges of app://: a standard, secure origin that may fetch. Never bypassCSP. */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }])
}

/**
 * The file under `rendererDir` an app:// URL names, or the status refusing it. Each path segment is
 * decoded on its own and refused if it could mean anything but a plain name ("..", an encoded slash
 * or backslash, NUL, a bad escape), whatever the platform's separators; the joined path is checked
 * against the folder again all the same.
 */
export function resolveAppUrl(rendererDir: string, url: string): { file: string } | { status: number } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { status: 400 }
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return { status: 403 }
  const names: string[] = []
  for (const raw of parsed.pathname.split('/')) {
    let name: string
    try {
      name = decodeURIComponent(raw)
    } catch {
      return { status: 400 }
    }
    if (name === '' || name === '.') continue
    if (name === '..' || /[/\\\0:]/.test(name)) return { status: 403 }
    names.push(name)
  }
  const root = resolve(rendererDir)
  const file = join(root, ...(names.length ? names : ['index.html']))
  return file.startsWith(root + sep) ? { file } : { status: 403 }
}

function refuse(status: number): Response {
  const text = status === 404 ? 'Not found' : status === 400 ? 'Bad request' : 'Forbidden'
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } })
}

/** Answers one app:// request from the files of `rendererDir`, and only from them. */
export async function answerAppRequest(rendererDir: string, url: string): Promise<Response> {
  const target = resolveAppUrl(rendererDir, url)
  if ('status' in target) return refuse(target.status)
  try {
    // A link inside the folder must not lead out of it either.
    const [real, root] = await Promise.all([realpath(target.file), realpath(rendererDir)])
    if (!real.startsWith(root + sep)) return refuse(403)
    const body = await readFile(real)
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': contentTypeOf(extname(real)),
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      },
    })
  } catch {
    return refuse(404)
  }
}

/** Serves the built renderer at app://ferry/…, refusing any path that leaves its folder. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => answerAppRequest(rendererDir, request.url))
}
