// A ferry command talking to a running `ferry serve` follows its batch by the engine's events, as it
// does with an engine of its own: the same live display and summary, the same exit codes; and it stops
// with a plain sentence, not a hang, when that engine goes away.
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { RpcClient } from '../../src/shared/rpc-client'
import { WS_PATH } from '../../src/shared/wire'
import { waitFor } from '../helpers/engine'
import { FERRY_BIN, runFerry, type Served, startServe, tempDir } from '../helpers/ferry'

describe('ferry commands against a running ferry serve', () => {
  const dir = tempDir('ferry-remote-')
  const path = (...p: string[]) => join(dir.path, ...p)
  const data = path('data')
  let served: Served

  beforeAll(async () => {
    mkdirSync(path('lib/Album'), { recursive: true })
    for (let i = 0; i < 5; i++) writeFileSync(path('lib/Album', `0${i}.mp3`), `track ${i}`)
    served = await startServe(data)
  })
  afterAll(async () => {
    await served.stop()
    dir.remove()
  })

  it('cp attaches to it and shows the live display and the summary, exit 0', async () => {
    const r = await runFerry(['--data-dir', data, 'cp', path('lib'), path('card')])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/^batch \d+: 5 files/m)
    expect(r.stderr).toMatch(/\] 5\/5 tasks/) // the display's last line: every task done
    expect(r.stderr).toMatch(/^5 copied, 0 skipped$/m)
    expect(readdirSync(path('card/lib/Album'))).toHaveLength(5)
  })

  it('queue wait fails with a plain sentence when the engine it follows goes away', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${served.port}${WS_PATH}`, {
      headers: { authorization: `Bearer ${served.token}` },
    })
    const client = new RpcClient(ws)
    ws.on('message', (d) => client.receive(String(d)))
    await new Promise((resolve) => ws.once('open', resolve))
    const { batchId } = await client.invoke('queue.enqueue', { mode: 'sleep', count: 1, ms: 60_000 })
    ws.close()

    const child = spawn(
      process.execPath,
      [FERRY_BIN, '--data-dir', data, 'queue', 'wait', '-b', String(batchId)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    await waitFor('the live display of the waiting batch', () => /0\/1 tasks/.test(err))
    await served.stop()
    const code = await exited
    expect(code).not.toBe(0)
    expect(err).toMatch(/connection to the Ferry engine was closed/)
  }, 30_000)
})
