import { utilityProcess } from 'electron'
import type { FromWorker, SpawnWorker } from '../engine/api'

/** Worker processes in the desktop app: Electron's utilityProcess, behind the pool's one interface. */
export const utilityWorker: SpawnWorker = (script, name) => {
  const child = utilityProcess.fork(script, [], {
    serviceName: `Ferry ${name}`,
    stdio: 'inherit',
    env: { ...process.env, FERRY_WORKER: name },
  })
  let alive = true
  child.on('exit', () => {
    alive = false
  })
  return {
    get pid() {
      return child.pid
    },
    send: (msg) => {
      if (alive) child.postMessage(msg)
    },
    onMessage: (l) => child.on('message', (m) => l(m as FromWorker)),
    onExit: (l) => child.on('exit', (code) => l(code, null)),
    kill: () => {
      child.kill()
    },
  }
}
