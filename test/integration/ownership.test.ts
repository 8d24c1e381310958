import { existsSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { Engine } from '../../src/main/engine/engine'
import { runFerry, startServe, tempDir } from '../helpers/ferry'

describe('one engine per database', () => {
  const dir = tempDir()
  afterAll(() => dir.remove())

  it('a second engine refuses, naming the running one; the CLI talks to the running one instead', async () => {
    const first = await startServe(dir.path)
    try {
      const second = await runFerry(['--data-dir', dir.path, 'serve', '--port', '0'])
      expect(second.code).toBe(1)
      expect(second.stderr).toContain(`is in use by ferry serve (pid ${first.child.pid}`)
      expect(second.stderr).toContain(`http://127.0.0.1:${first.port}`)
      expect(second.stderr).not.toContain(first.token) // the message never leaks the token

      expect(() => Engine.open({ kind: 'test', dataDir: dir.path })).toThrow(/in use by ferry serve/)

      const info = await runFerry(['--data-dir', dir.path, 'info'])
      expect(info.code).toBe(0)
      expect(info.stdout).toContain('engine:    serve (the running engine)')
    } finally {
      await first.stop()
    }
    expect(existsSync(`${dir.path}/run/engine.json`)).toBe(false)
  })

  it('a killed engine leaves no stale lock: the next one starts', async () => {
    const first = await startServe(dir.path)
    const exited = new Promise((r) => first.child.once('exit', r))
    first.child.kill('SIGKILL')
    await exited
    const engine = Engine.open({ kind: 'test', dataDir: dir.path })
    expect((await engine.api.invoke('system.info')).engineKind).toBe('test')
    await engine.close()
  })
})
