import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import type { EngineKind } from '../../shared/model'
import { runDir, runtimeFile } from './paths'

/** What a running engine tells other processes about itself: who it is and how to reach it. */
export interface RuntimeInfo {
  pid: number
  kind: EngineKind
  startedAt: number
  dataDir: string
  /** Present when the engine serves the contract over WebSocket (desktop app, `ferry serve`). */
  port?: number
  token?: string
  url?: string
}

const KIND_NAMES: Record<EngineKind, string> = {
  desktop: 'the Ferry desktop app',
  serve: 'ferry serve',
  cli: 'a ferry command',
  test: 'a test engine',
}

/** Written atomically, readable by the user only (it holds the server token). */
export function writeRuntimeFile(info: RuntimeInfo): void {
  const dir = runDir(info.dataDir)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
  const file = runtimeFile(info.dataDir)
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(info, null, 2), { mode: 0o600 })
  renameSync(tmp, file)
}

export function readRuntimeFile(dataDir: string): RuntimeInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(runtimeFile(dataDir), 'utf8')) as RuntimeInfo
    return isAlive(info.pid) ? info : undefined
  } catch {
    return undefined
  }
}

export function removeRuntimeFile(dataDir: string, pid = process.pid): void {
  try {
    const info = JSON.parse(readFileSync(runtimeFile(dataDir), 'utf8')) as RuntimeInfo
    if (info.pid === pid) rmSync(runtimeFile(dataDir), { force: true })
  } catch {
    // nothing to remove
  }
}

/** "ferry serve (pid 123, since 22:10:05, at http://127.0.0.1:4000)" — never the token. */
export function describeRuntime(info: RuntimeInfo): string {
  const since = new Date(info.startedAt).toLocaleTimeString()
  const at = info.port ? `, at http://127.0.0.1:${info.port}` : ''
  return `${KIND_NAMES[info.kind]} (pid ${info.pid}, since ${since}${at})`
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
