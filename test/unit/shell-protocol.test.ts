// The app:// protocol handler serves the built renderer and nothing else, however a path is spelled.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { tempDir } from '../helpers/ferry'

vi.mock('electron', () => import('../helpers/fake-electron'))

const fake = await import('../helpers/fake-electron')
const { APP_SCHEME_PRIVILEGES, registerAppScheme, resolveAppUrl, serveRenderer } =
  await import('../../src/main/shell/protocol')
const { CONTENT_SECURITY_POLICY } = await import('../../src/shared/csp')

const SECRET = 'SECRET-OUTSIDE-THE-RENDERER'

describe('app:// serves only the renderer folder', () => {
  const dir = tempDir()
  const renderer = join(dir.path, 'renderer')
  let handle: (request: { url: string }) => Promise<Response>

  beforeAll(() => {
    mkdirSync(join(renderer, 'assets'), { recursive: true })
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Ferry</title>')
    writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)')
    // Files beside the renderer folder, one whose name starts like it, and a link leading out.
    writeFileSync(join(dir.path, 'x'), SECRET)
    writeFileSync(join(dir.path, 'secret.txt'), SECRET)
    mkdirSync(join(dir.path, 'renderer-evil'))
    writeFileSync(join(dir.path, 'renderer-evil', 'index.html'), SECRET)
    symlinkSync(join(dir.path, 'secret.txt'), join(renderer, 'link.txt'))
    fake.protocol.reset()
    serveRenderer(renderer)
    handle = fake.protocol.handlers.get('app')!
  })
  afterAll(() => dir.remove())

  it('serves index.html and assets with the Content-Security-Policy', async () => {
    for (const url of ['app://ferry/index.html', 'app://ferry/', 'app://ferry']) {
      const res = await handle({ url })
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('<title>Ferry</title>')
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    }
    const js = await handle({ url: 'app://ferry/assets/app.js' })
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect((await handle({ url: 'app://ferry/assets/%61pp.js' })).status).toBe(200) // plain escapes work
    expect((await handle({ url: 'app://ferry/nope.js' })).status).toBe(404)
    expect((await handle({ url: 'app://ferry/assets' })).status).toBe(404) // a folder is not a file
  })

  const hostile = [
    'app://ferry/../x',
    'app://ferry/../secret.txt',
    'app://ferry/..%2fsecret.txt',
    'app://ferry/%2e%2e/x',
    'app://ferry/%2e%2e/%2e%2e/etc/passwd',
    'app://ferry/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    'app://ferry/assets/..%2f..%2fsecret.txt',
    'app://ferry/%2fetc%2fpasswd',
    'app://ferry//etc/passwd',
    'app://ferry/..\\secret.txt',
    'app://ferry/..%5csecret.txt',
    'app://ferry/assets%5c..%5c..%5csecret.txt',
    'app://ferry/index.html%00.js',
    'app://ferry/%00',
    'app://ferry/%',
    'app://ferry/%zz/index.html',
    'app://ferry/%c0%ae%c0%ae/secret.txt', // overlong UTF-8 dots: a bad escape
    'app://ferry/..%252fsecret.txt', // double-encoded: a literal name, which does not exist
    'app://ferry/link.txt', // a link inside the folder leading out of it
    `app://ferry/${join(dir.path, 'secret.txt')}`,
    `app://ferry/${encodeURIComponent(join(dir.path, 'secret.txt'))}`,
    'app://ferry/C:/Windows/win.ini',
    'app://ferry/C%3a%5cWindows%5cwin.ini',
    'app://ferry/../renderer-evil/index.html',
    'app://evil/index.html',
    'app://ferry.evil/index.html',
    'app://ferry:8080/index.html',
    'app:///index.html',
    `app:///${join(dir.path, 'secret.txt')}`,
    `file://${join(dir.path, 'secret.txt')}`,
    'not a url',
  ]

  it.each(hostile)('refuses %s', async (url) => {
    const res = await handle({ url })
    expect([400, 403, 404]).toContain(res.status)
    const body = await res.text()
    expect(body).not.toContain(SECRET)
    expect(body).not.toContain('root:')
    expect(body).not.toContain('<title>Ferry</title>')
  })

  it('never resolves a hostile URL to a file outside the folder', () => {
    for (const url of hostile) {
      const r = resolveAppUrl(renderer, url)
      if ('file' in r) expect(r.file.startsWith(`${renderer}/`)).toBe(true)
    }
    // What the checks refuse, and with which status.
    expect(resolveAppUrl(renderer, 'app://evil/index.html')).toEqual({ status: 403 })
    expect(resolveAppUrl(renderer, 'app://ferry/..%2fx')).toEqual({ status: 403 })
    expect(resolveAppUrl(renderer, 'app://ferry/a%00b')).toEqual({ status: 403 })
    expect(resolveAppUrl(renderer, 'app://ferry/%')).toEqual({ status: 400 })
    expect(resolveAppUrl(renderer, 'app://ferry/assets/app.js')).toEqual({
      file: join(renderer, 'assets', 'app.js'),
    })
  })

  it('registers app:// as standard and secure, without bypassing CSP', () => {
    fake.protocol.reset()
    registerAppScheme()
    expect(fake.protocol.privileged).toEqual([{ scheme: 'app', privileges: { ...APP_SCHEME_PRIVILEGES } }])
    expect(fake.protocol.privileged[0]!.privileges).toEqual({
      standard: true,
      secure: true,
      supportFetchAPI: true,
    })
  })
})
