// SIGKILLs that are proven to land while Ferry is writing a file: the kill is sent only when, a moment
// before (no await between the look and the kill), a temporary file (.ferry-<task>-<hex>.tmp, see
// tempPathFor) exists at the destination.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FERRY_BIN } from './ferry'

const TEMP = /^\.ferry-(\d+)-[0-9a-f]+\.tmp$/

export interface TempFile {
  /** Relative to the destination root. */
  rel: string
  taskId: number
}

/** Every Ferry temporary file below `root` (synchronously: nothing runs between this and a kill). */
export function tempFiles(root: string): TempFile[] {
  let entries
  try {
    entries = readdirSync(root, { recursive: true, withFileTypes: true })
  } catch {
    return []
  }
  const out: TempFile[] = []
  for (const e of entries) {
    const m = TEMP.exec(e.name)
    if (m) out.push({ rel: join(e.parentPath, e.name).slice(root.length + 1), taskId: Number(m[1]) })
  }
  return out
}

/** The temporary files of one task in one folder (synchronously). */
export function tempsOfTask(dir: string, taskId: number): string[] {
  try {
    return readdirSync(dir).filter((n) => TEMP.exec(n)?.[1] === String(taskId))
  } catch {
    return [] // not made yet
  }
}

/** Whether a process runs (a zombie does not count). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    // "pid (comm) S …": the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return process.platform !== 'linux' // no /proc: trust kill(0)
  }
}

/** The direct children of a process (Linux /proc; empty elsewhere). */
export function childPids(pid: number): number[] {
  if (process.platform !== 'linux') return []
  const out: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) out.push(Number(name))
    } catch {
      // it ended meanwhile
    }
  }
  return out
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export async function waitGone(pids: number[], timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (pids.some(alive)) {
    if (Date.now() > until) throw new Error(`processes ${pids.filter(alive).join(', ')} did not end`)
    await sleep(5)
  }
}

/**
 * Polls `root` every millisecond or so until `pick` chooses one of its temporary files, then SIGKILLs
 * `pids` at once, in that order, in the same tick, and returns the file seen. Undefined when `stop()`
 * says to give up first (the process ended: nothing left to write); throws after `timeoutMs`.
 */
export async function killWhileWriting(
  pids: number[],
  root: string,
  pick: (temps: TempFile[]) => TempFile | undefined,
  stop: () => boolean,
  timeoutMs = 30_000,
): Promise<TempFile | undefined> {
  const until = Date.now() + timeoutMs
  while (!stop()) {
    if (Date.now() > until) throw new Error(`no write to kill in for ${timeoutMs} ms`)
    const seen = pick(tempFiles(root))
    // Scanning takes a while: the file seen must still be there the instant before the kill.
    if (seen && existsSync(join(root, seen.rel))) {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err // already gone
        }
      }
      return seen
    }
    await sleep(1)
  }
  return undefined
}

/** An engine to kill: `ferry queue wait -q` on a data folder, which works the queue to its end. */
export interface QueueWait {
  child: ChildProcess
  /** Settles with its exit code once it is gone (killed or done). */
  exited: Promise<number | null>
  /** Whether it has exited. */
  done(): boolean
  /** It ended by itself: it ran the queue to the end, else this throws with what it said. */
  ranToEnd(): Promise<void>
}

export function startQueueWait(data: string): QueueWait {
  const child = spawn(process.execPath, [FERRY_BIN, '--data-dir', data, 'queue', 'wait', '-q'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (d) => {
    stderr += d
  })
  let done = false
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      done = true
      r(code)
    }),
  )
  return {
    child,
    exited,
    done: () => done,
    async ranToEnd() {
      const code = await exited
      if (code !== 0) throw new Error(`ferry queue wait exited with ${code}:\n${stderr}`)
    },
  }
}
