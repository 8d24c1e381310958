// Special files in a source (FIFOs, sockets, links to devices, links to nothing) are never copied and
// never left out silently: `cp -v`, `queue ls`, `scan` and a sync's plan name each one, with why.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runFerry, tempDir } from '../helpers/ferry'

describe('special files in a source', () => {
  const dir = tempDir('ferry-special-')
  const path = (...p: string[]) => join(dir.path, ...p)
  const ferry = (...args: string[]) => runFerry(['--data-dir', path('data'), ...args])
  const server = createServer()
  beforeAll(async () => {
    mkdirSync(path('lib/Album'), { recursive: true })
    writeFileSync(path('lib/Album/01 One.mp3'), 'one')
    execFileSync('mkfifo', [path('lib/Album/pipe')])
    symlinkSync('/dev/null', path('lib/Album/null.mp3'))
    symlinkSync(path('lib/Album/gone.mp3'), path('lib/Album/dangling.mp3'))
    await new Promise<void>((r) => server.listen(path('lib/Album/sock'), r))
  })
  afterAll(() => {
    server.close()
    dir.remove()
  })

  it('cp copies the files, lists what it left out with -v, and queue ls shows each as skipped with why', async () => {
    const r = await ferry('cp', '-v', '-q', path('lib/Album'), path('card'))
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('1 files, 3 B, 4 left out (not files: FIFOs, sockets, devices)')
    expect(r.stderr).toContain(`left out: ${path('lib/Album/pipe')}: a FIFO (named pipe), not a file`)
    expect(r.stderr).toContain(`left out: ${path('lib/Album/sock')}: a socket, not a file`)
    expect(r.stderr).toContain(
      `left out: ${path('lib/Album/null.mp3')}: a link to a character device, not a file`,
    )
    expect(r.stderr).toContain(`left out: ${path('lib/Album/dangling.mp3')}: a link to nothing`)
    expect(readdirSync(path('card/Album'))).toEqual(['01 One.mp3'])
    const ls = await ferry('queue', 'ls', '--status', 'skip')
    expect(ls.stdout).toContain('Left out: a FIFO (named pipe), not a file.')
    expect(ls.stdout).toContain('Left out: a link to a character device, not a file.')
    const quiet = await ferry('cp', '-q', path('lib/Album'), path('card-b'))
    expect(quiet.stderr).toContain('4 left out (not files: FIFOs, sockets, devices; -v lists them)')
  })

  it('scan and a sync plan name them too', async () => {
    const scan = await ferry('scan', path('lib'))
    expect(scan.stdout).toContain('4 left out (not files)')
    expect(scan.stdout).toContain(`left out: ${path('lib/Album/pipe')}: a FIFO (named pipe), not a file`)
    const plan = await ferry('sync', '-n', '-v', '--preset', 'copy', path('lib'), path('device'))
    expect(plan.code).toBe(0)
    expect(plan.stdout).toContain('left out: 4 entries that are not files')
    expect(plan.stdout).toContain(`${path('lib/Album/sock')}: a socket, not a file`)
  })
})
