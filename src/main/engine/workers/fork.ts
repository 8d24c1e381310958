import { fork } from 'node:child_process'
import type { FromWorker, SpawnWorker } from './protocol'

/** Worker processes under plain Node (`ferry serve`, the CLI, tests). */
export const forkWorker: SpawnWorker = (script, name) => {
  const child = fork(script, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, FERRY_WORKER: name },
    serialization: 'advanced',
  })
  return {
    pid: child.pid,
    send: (msg) => {
      if (child.connected) child.send(msg)
    },
    onMessage: (l) => child.on('message', (m) => l(m as FromWorker)),
    onExit: (l) => child.on('exit', (code, signal) => l(code, signal)),
    kill: () => child.kill('SIGKILL'),
  }
}
