import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { tempDir, runFerry, startServe } from '../helpers/ferry'
import { connectRemote } from '../../src/cli/connect'
import type { SystemInfo } from '../../src/shared/model'

vi.mock('electron', () => import('../helpers/fake-electron'))

const fake = await import('../helpers/fake-electron')
const { Engine } = await import('../../src/main/engine/engine')
const { registerIpc } = await import('../../src/main/shell/ipc')
const { ipcClient } = await import('../../src/renderer/src/api/ipc-client')

/** What must be equal whichever transport carried it (the engine kind says who answered). */
const comparable = ({ engineKind: _kind, ...rest }: SystemInfo) => rest

describe('system.info is the same real data through all three transports', () => {
  const dir = tempDir()
  const results: Record<string, SystemInfo> = {}
  afterAll(() => dir.remove())

  beforeAll(async () => {
    // 1. In-process.
    const engine = Engine.open({ kind: 'test', dataDir: dir.path })
    results.inProcess = await engine.api.invoke('system.info')
    await engine.close()

    // 2. WebSocket, against a real `ferry serve` process.
    const served = await startServe(dir.path)
    const remote = await connectRemote({ pid: 0, kind: 'serve', startedAt: 0, dataDir: dir.path, ...served })
    results.websocket = await remote.api.invoke('system.info')
    await remote.close()
    await served.stop()

    // 3. Electron IPC: the shell's handler and the real preload, over the (fake) electron module.
    const ipcEngine = Engine.open({ kind: 'test', dataDir: dir.path })
    const win = new fake.BrowserWindow({})
    const stop = registerIpc(ipcEngine, win as never, 'app://ferry/index.html')
    fake.fakeSender.contents = win.webContents
    fake.fakeSender.frame = { url: 'app://ferry/index.html', parent: null }
    await import('../../src/preload/index')
    const bridge = fake.exposed.ferry as Parameters<typeof ipcClient>[0]
    results.ipc = await ipcClient(bridge).invoke('system.info')
    stop()
    await ipcEngine.close()
  })

  it('returns equal answers', () => {
    expect(comparable(results.websocket!)).toEqual(comparable(results.inProcess!))
    expect(comparable(results.ipc!)).toEqual(comparable(results.inProcess!))
    expect(results.websocket!.engineKind).toBe('serve')
  })

  it('reports the ffmpeg version printed by running the real binary', () => {
    const info = results.inProcess!
    if (!info.ffmpeg.ok) throw new Error(`no ffmpeg: ${info.ffmpeg.error}`)
    const printed = execFileSync(info.ffmpeg.path, ['-hide_banner', '-version'], { encoding: 'utf8' })
    expect(printed.split('\n')[0]).toContain(`ffmpeg version ${info.ffmpeg.version} `)
    expect(info.ffmpeg.encoders.map((e) => e.name)).toContain('libmp3lame')
    expect(info.ffmpeg.encoders.find((e) => e.name === 'libmp3lame')?.codec).toBe('mp3')
    expect(info.databasePath).toBe(`${dir.path}/ferry.db`)
  })

  it('`ferry info` prints the same ffmpeg version and folders', async () => {
    const r = await runFerry(['--data-dir', dir.path, 'info', '--json'])
    expect(r.code).toBe(0)
    expect(comparable(JSON.parse(r.stdout) as SystemInfo)).toEqual(comparable(results.inProcess!))
  })

  it('the IPC bridge refuses a command name that is not in the contract', async () => {
    const bridge = fake.exposed.ferry as Parameters<typeof ipcClient>[0]
    await expect(ipcClient(bridge).invoke('queue.nope' as 'system.info')).rejects.toThrow(/Unknown command/)
  })
})
