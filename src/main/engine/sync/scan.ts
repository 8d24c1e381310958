// The scan: a stat-only walk (names, sizes, mtimes; no file content is read). It runs in worker
// threads, one tree each, so a sync's source and destination are walked at once and the engine's
// main thread stays free.
import { type Dirent, existsSync, lstatSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

export interface ScanFile {
  /** Relative to the scanned root, with `/` separators. */
  rel: string
  size: number
  mtimeMs: number
}

export interface ScanResult {
  root: string
  files: ScanFile[]
  folders: number
  /** Unreadable folders and symlink loops, reported and skipped. */
  problems: string[]
}

export interface ScanOptions {
  includeHidden: boolean
}

/** Names operating systems put in folders that are never music. */
const SYSTEM = new Set([
  'thumbs.db',
  'desktop.ini',
  '$recycle.bin',
  'system volume information',
  '@eadir',
  'lost+found',
  '.ds_store',
  '.spotlight-v100',
  '.trashes',
  '.fseventsd',
])

/** Ferry's own files at a destination (temporary files, the profile marker): never scanned. */
const OURS = /^\.ferry-/

export function scanTree(root: string, opts: ScanOptions): ScanResult {
  const files: ScanFile[] = []
  const problems: string[] = []
  let folders = 0
  const ancestors = new Set<string>()

  const walk = (dir: string, rel: string) => {
    let id: string
    try {
      const s = statSync(dir)
      id = `${s.dev}:${s.ino}`
    } catch (err) {
      problems.push(`Cannot read the folder ${dir}: ${(err as Error).message}`)
      return
    }
    if (ancestors.has(id)) {
      problems.push(`Symlink loop skipped: ${dir}`)
      return
    }
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch (err) {
      problems.push(`Cannot read the folder ${dir}: ${(err as Error).message}`)
      return
    }
    folders++
    ancestors.add(id)
    for (const e of entries) {
      const name = e.name
      if (OURS.test(name) || SYSTEM.has(name.toLowerCase())) continue
      if (!opts.includeHidden && name.startsWith('.')) continue
      const path = join(dir, name)
      const childRel = rel ? `${rel}/${name}` : name
      if (e.isDirectory()) {
        walk(path, childRel)
      } else if (e.isFile()) {
        const s = lstatSync(path, { throwIfNoEntry: false })
        if (s) files.push({ rel: childRel, size: s.size, mtimeMs: Math.trunc(s.mtimeMs) })
      } else if (e.isSymbolicLink()) {
        const s = statSync(path, { throwIfNoEntry: false })
        if (s?.isDirectory()) walk(path, childRel)
        else if (s?.isFile()) files.push({ rel: childRel, size: s.size, mtimeMs: Math.trunc(s.mtimeMs) })
      }
    }
    ancestors.delete(id)
  }

  walk(root, '')
  return { root, files, folders, problems }
}

/** The built worker entry (out/main/scan-worker.js), found like the queue's worker script. */
export function findScanWorker(): string | undefined {
  return [
    join(__dirname, 'scan-worker.js'),
    join(__dirname, '..', 'scan-worker.js'),
    join(__dirname, '../../../../out/main/scan-worker.js'),
  ].find((c) => existsSync(c))
}

/** Scans several trees at once, each in its own worker thread (in this thread if none is built). */
export async function scanTrees(jobs: { root: string; opts: ScanOptions }[]): Promise<ScanResult[]> {
  const script = findScanWorker()
  if (!script) return jobs.map((j) => scanTree(j.root, j.opts))
  return Promise.all(
    jobs.map(
      (job) =>
        new Promise<ScanResult>((resolve, reject) => {
          const worker = new Worker(script, { workerData: job })
          worker.once('message', (r: ScanResult) => {
            resolve(r)
            void worker.terminate()
          })
          worker.once('error', reject)
          worker.once('exit', (code) => {
            if (code !== 0) reject(new Error(`The scan of ${job.root} stopped (exit code ${code}).`))
          })
        }),
    ),
  )
}
