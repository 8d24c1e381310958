import { type ChildProcess, fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { FromWorker, SpawnWorker, WorkerChannel } from './protocol'

/**
 * The built worker entry: out/main/worker.js, beside or above the bundle this code runs from (a
 * chunk in out/main/chunks), or, run from the sources (tests), the built one.
 */
export function findWorkerScript(): string {
  const candidates = [
    join(__dirname, 'worker.js'),
    join(__dirname, '..', 'worker.js'),
    join(__dirname, '../../../../out/main/worker.js'),
  ]
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!
}

function forkChild(script: string, name: string): ChildProcess {
  return fork(script, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, FERRY_WORKER: name },
    serialization: 'advanced',
  })
}

/**
 * A forked worker as the pool sees it. What the worker says before the pool listens (its 'ready',
 * when it was forked ahead of the engine) is kept and handed over when the pool does, and so is its
 * exit.
 */
function channelOf(child: ChildProcess): WorkerChannel {
  const early: FromWorker[] = []
  const listeners: ((msg: FromWorker) => void)[] = []
  const exitListeners: ((code: number | null, signal: string | null) => void)[] = []
  let exited: [number | null, string | null] | undefined
  child.on('message', (m) => {
    if (listeners.length) for (const l of listeners) l(m as FromWorker)
    else early.push(m as FromWorker)
  })
  child.on('exit', (code, signal) => {
    exited = [code, signal]
    for (const l of exitListeners) l(code, signal)
  })
  return {
    pid: child.pid,
    send: (msg) => {
      if (child.connected) child.send(msg)
    },
    onMessage: (l) => {
      listeners.push(l)
      for (const m of early.splice(0)) l(m)
    },
    onExit: (l) => (exited ? l(...exited) : exitListeners.push(l)),
    kill: () => child.kill('SIGKILL'),
  }
}

/** Worker processes under plain Node (`ferry serve`, the CLI, tests). */
export const forkWorker: SpawnWorker = (script, name) => channelOf(forkChild(script, name))

/**
 * Forks the named workers now, before the engine that will use them has loaded: a one-shot `ferry
 * cp` starts its worker while its engine's modules load and its database opens (the two overlap on
 * two cores instead of following each other). The engine's pool takes them through `spawn` when it
 * starts those slots; `dispose` kills any it never took.
 */
export function forkAhead(names: string[]): { spawn: SpawnWorker; dispose(): void } {
  const script = findWorkerScript()
  const ready = new Map(names.map((name) => [name, forkWorker(script, name)]))
  return {
    spawn: (s, name) => {
      const early = s === script ? ready.get(name) : undefined
      ready.delete(name)
      return early ?? forkWorker(s, name)
    },
    dispose: () => {
      for (const channel of ready.values()) channel.kill()
      ready.clear()
    },
  }
}
