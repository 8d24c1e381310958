// Runs the real, built `ferry` command (npm test builds first) in child processes.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect } from 'vitest'

export const ROOT = resolve(__dirname, '../..')
export const FERRY_BIN = join(ROOT, 'bin', 'ferry.cjs')

export function tempDir(prefix = 'ferry-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return {
    path,
    remove: () => (process.env.FERRY_KEEP_TMP ? undefined : rmSync(path, { recursive: true, force: true })),
  }
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `ferry ARGS` to completion. */
export function runFerry(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 30_000,
  cwd?: string,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FERRY_BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`ferry ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`))
    }, timeoutMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** Runs `ferry --data-dir DATA ARGS` and expects it to succeed (exit 0, its stderr shown otherwise). */
export async function ferryOk(data: string, ...args: string[]): Promise<RunResult> {
  const r = await runFerry(['--data-dir', data, ...args])
  expect(r.code, r.stderr).toBe(0)
  return r
}

export interface Served {
  url: string
  port: number
  token: string
  child: ChildProcess
  output: () => string
  stop(): Promise<void>
}

/**
 * Starts `ferry serve` on a free port. It stops by itself when this process goes away (its stdin is
 * our pipe), and `stop()` ends it politely.
 */
export function startServe(dataDir: string, env: NodeJS.ProcessEnv = {}, port = 0): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [FERRY_BIN, '--data-dir', dataDir, 'serve', '--port', String(port), '--stop-with-stdin'],
      {
        env: { ...process.env, ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    )
    let out = ''
    const onData = (d: Buffer) => {
      out += d
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+)/.exec(out)
      if (m) {
        child.stdout.off('data', onData)
        child.stdout.on('data', (more) => {
          out += more
        })
        resolve({
          url: m[0],
          port: Number(m[1]),
          token: m[2]!,
          child,
          output: () => out,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done()
              child.once('exit', () => done())
              child.kill('SIGTERM')
            }),
        })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (d) => {
      out += d
    })
    child.once('exit', (code) => reject(new Error(`ferry serve exited (${code}) before listening:\n${out}`)))
  })
}
