// The scan: a stat-only walk (names, sizes, mtimes; no file content is read). It runs in worker
// threads, one tree each, so a sync's source and destination are walked at once and the engine's
// main thread stays free.
import { type Dirent, existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs'
import { join, sep } from 'node:path'
import { Worker } from 'node:worker_threads'
import { specialKind } from '../ops/special'

export interface ScanFile {
  /** Relative to the scanned root, with `/` separators. */
  rel: string
  size: number
  mtimeMs: number
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
/** First letters (lower-cased) of those names: most names are let through without lower-casing. */
const SYSTEM_FIRST = new Set([...SYSTEM].map((n) => n.charCodeAt(0) | 32))

/**
 * The part of a root's walk one thread takes: the `index`-th of `of` contiguous ranges of the root's
 * sorted entries (their walks, joined in order, are the whole walk, in the same order).
 */
export interface ScanPart {
  index: number
  of: number
}

/** The stat-only walk, building its result as flat arrays (the fewest objects on the hot path). */
export function scanPacked(root: string, opts: ScanOptions, part?: ScanPart): PackedScan {
  const w: Walk = {
    includeHidden: opts.includeHidden,
    rels: [],
    sizes: [],
    mtimes: [],
    problems: [],
    unreadable: [],
    leftOut: [],
    folders: 0,
  }
  try {
    if (part && part.of > 1) walkPart(w, root, realpathSync(root), part)
    else walkFolder(w, root, '', realpathSync(root))
  } catch (err) {
    if (!part || part.index === 0)
      w.problems.push(`Cannot read the folder ${root}: ${(err as Error).message}`)
  }
  return {
    root,
    rels: w.rels.join('\0'),
    sizes: Float64Array.from(w.sizes),
    mtimes: Float64Array.from(w.mtimes),
    folders: w.folders,
    problems: w.problems,
    unreadable: w.unreadable,
    leftOut: w.leftOut,
  }
}

/** One part of the root: its range of the root's entries (the root itself is counted and reported by part 0). */
function walkPart(w: Walk, root: string, real: string, part: ScanPart): void {
  const entries = readFolder(w, root, '')
  if (part.index > 0) {
    w.folders = 0
    w.problems.length = 0
    w.unreadable.length = 0
  }
  if (!entries) return
  const from = Math.floor((part.index * entries.length) / part.of)
  const to = Math.floor(((part.index + 1) * entries.length) / part.of)
  walkEntries(w, root, '', real, entries.slice(from, to))
}

/** One walk's options and what it has found so far: one object for the whole walk, passed down. */
interface Walk {
  includeHidden: boolean
  rels: string[]
  sizes: number[]
  mtimes: number[]
  problems: string[]
  unreadable: string[]
  leftOut: { rel: string; reason: string }[]
  folders: number
}

/**
 * One folder, depth first. Loops can only come through symlinked folders: each is followed unless its
 * real location is the folder being walked or one above it. `real` is the real path of the folder.
 */
function walkFolder(w: Walk, dir: string, rel: string, real: string): void {
  const entries = readFolder(w, dir, rel)
  if (entries) walkEntries(w, dir, rel, real, entries)
}

/** A folder's entries (sorted), in order: files added, folders walked, links followed. */
function walkEntries(w: Walk, dir: string, rel: string, real: string, entries: Dirent[]): void {
  const prefix = rel ? `${rel}/` : ''
  for (const e of entries) {
    const name = e.name
    if (skipName(name, w.includeHidden)) continue
    const path = `${dir}${sep}${name}`
    if (e.isDirectory()) {
      walkFolder(w, path, prefix + name, `${real}${sep}${name}`)
    } else if (e.isFile()) {
      const s = lstatSync(path, { throwIfNoEntry: false })
      if (s) addFile(w, prefix + name, s.size, s.mtimeMs)
    } else if (e.isSymbolicLink()) {
      walkLink(w, path, prefix + name, real)
    } else {
      w.leftOut.push({ rel: prefix + name, reason: specialKind(e) ?? 'not a regular file' })
    }
  }
}

/** A folder's entries sorted by name; undefined, with the problem recorded, when it cannot be read. */
function readFolder(w: Walk, dir: string, rel: string): Dirent[] | undefined {
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch (err) {
    w.problems.push(`Cannot read the folder ${dir}: ${(err as Error).message}`)
    w.unreadable.push(rel)
    return undefined
  }
  w.folders++
  // Sorted here, in the worker, so that every run (and the planner) sees the same order for free.
  entries.sort(byName)
  return entries
}

const byName = (a: Dirent, b: Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

/** Names the walk skips: hidden ones (unless asked for; Ferry's own `.ferry-` files always), and SYSTEM. */
function skipName(name: string, includeHidden: boolean): boolean {
  const first = name.charCodeAt(0)
  if (first === 46 /* . */ && (!includeHidden || name.startsWith('.ferry-'))) return true
  return SYSTEM_FIRST.has(first | 32) && SYSTEM.has(name.toLowerCase())
}

function addFile(w: Walk, rel: string, size: number, mtimeMs: number): void {
  w.rels.push(rel)
  w.sizes.push(size)
  w.mtimes.push(Math.trunc(mtimeMs))
}

/**
 * A symlink: one to a file counts as that file; one to a folder is walked unless it is a loop; one to
 * anything else, or to nothing, is left out.
 */
function walkLink(w: Walk, path: string, rel: string, real: string): void {
  const s = statSync(path, { throwIfNoEntry: false })
  if (!s) w.leftOut.push({ rel, reason: 'a link to nothing' })
  else if (!s.isFile() && !s.isDirectory())
    w.leftOut.push({ rel, reason: `a link to ${specialKind(s) ?? 'something that is not a file'}` })
  if (s?.isFile()) {
    addFile(w, rel, s.size, s.mtimeMs)
  } else if (s?.isDirectory()) {
    let target: string
    try {
      target = realpathSync(path)
    } catch (err) {
      w.problems.push(`Cannot read the folder ${path}: ${(err as Error).message}`)
      w.unreadable.push(rel)
      return
    }
    if (real === target || real.startsWith(`${target}${sep}`))
      w.problems.push(`Symlink loop skipped: ${path}`)
    else walkFolder(w, path, rel, target)
  }
}

/** A scan as it crosses from a worker thread: one string and two typed arrays, cheap to copy. */
export interface PackedScan {
  root: string
  rels: string
  sizes: Float64Array
  mtimes: Float64Array
  folders: number
  /** Unreadable folders and symlink loops, reported and skipped. */
  problems: string[]
  /** Folders (relative, `/`-separated) that could not be read: what is below them is unknown. */
  unreadable: string[]
  /** What is neither a file nor a folder (FIFOs, sockets, devices, links to them or to nothing): never copied. */
  leftOut: { rel: string; reason: string }[]
}

/** The built worker entry (out/main/scan-worker.js), found like the queue's worker script. */
export function findScanWorker(): string | undefined {
  return [
    join(__dirname, 'scan-worker.js'),
    join(__dirname, '..', 'scan-worker.js'),
    join(__dirname, '../../../../out/main/scan-worker.js'),
  ].find((c) => existsSync(c))
}

/** Size and mtime of listed files under a root (NaN where there is none): a device, checked against an index. */
export function statFiles(root: string, rels: string): { sizes: Float64Array; mtimes: Float64Array } {
  const list = rels === '' ? [] : rels.split('\0')
  const sizes = new Float64Array(list.length)
  const mtimes = new Float64Array(list.length)
  for (let i = 0; i < list.length; i++) {
    const rel = list[i]!
    const s = lstatSync(`${root}${sep}${sep === '/' ? rel : rel.split('/').join(sep)}`, {
      throwIfNoEntry: false,
    })
    const file = s?.isFile()
    sizes[i] = file ? s!.size : Number.NaN
    mtimes[i] = file ? Math.trunc(s!.mtimeMs) : Number.NaN
  }
  return { sizes, mtimes }
}

export type WorkerJob =
  | { kind: 'scan'; root: string; opts: ScanOptions; part?: ScanPart }
  | { kind: 'stat'; root: string; rels: string }

/**
 * Idle scan threads, kept a little while: a long-running engine (the desktop app, `ferry serve`)
 * plans again without paying for new threads (tens of milliseconds each); an idle thread never keeps
 * the process alive.
 */
const idle: Worker[] = []
const IDLE_MS = 30_000
const idleTimers = new WeakMap<Worker, ReturnType<typeof setTimeout>>()

/** Scan threads started and idle now (a long-running engine keeps them between plans). */
export function idleScanThreads(): number {
  return idle.length
}

function takeWorker(script: string): Worker {
  const worker = idle.pop()
  if (worker) {
    clearTimeout(idleTimers.get(worker))
    worker.ref()
    return worker
  }
  return new Worker(script)
}

function giveBack(worker: Worker): void {
  worker.unref()
  idle.push(worker)
  const timer = setTimeout(() => {
    const i = idle.indexOf(worker)
    if (i !== -1) idle.splice(i, 1)
    void worker.terminate()
  }, IDLE_MS)
  timer.unref?.()
  idleTimers.set(worker, timer)
}

/** Runs a job in a worker thread (in this thread if no worker script is built). */
function inWorker<T>(job: WorkerJob, here: () => T): Promise<T> {
  const script = findScanWorker()
  if (!script) return Promise.resolve(here())
  return new Promise<T>((resolve, reject) => {
    const worker = takeWorker(script)
    const done = () => {
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
    }
    const onMessage = (r: T) => {
      done()
      giveBack(worker)
      resolve(r)
    }
    const onError = (err: Error) => {
      done()
      void worker.terminate()
      reject(err)
    }
    const onExit = (code: number) => {
      done()
      reject(new Error(`The scan of ${job.root} stopped (exit code ${code}).`))
    }
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
    worker.postMessage(job)
  })
}

/**
 * Scans several trees at once, each in its own worker thread, or (`parts` > 1) each in that many
 * threads, one range of its top-level entries each: a single library walked on two cores at once.
 */
export function scanTrees(jobs: { root: string; opts: ScanOptions }[], parts = 1): Promise<PackedScan[]> {
  const scan = (j: { root: string; opts: ScanOptions }, part?: ScanPart) =>
    inWorker<PackedScan>({ kind: 'scan', ...j, part }, () => scanPacked(j.root, j.opts, part))
  return Promise.all(
    jobs.map(async (j) =>
      parts > 1
        ? joinParts(
            await Promise.all(Array.from({ length: parts }, (_, index) => scan(j, { index, of: parts }))),
          )
        : scan(j),
    ),
  )
}

/** The parts of one root's walk, in order, as one walk. */
function joinParts(parts: PackedScan[]): PackedScan {
  const concat = (arrays: Float64Array[]) => {
    const all = new Float64Array(arrays.reduce((n, a) => n + a.length, 0))
    let at = 0
    for (const a of arrays) {
      all.set(a, at)
      at += a.length
    }
    return all
  }
  return {
    root: parts[0]!.root,
    rels: parts
      .map((p) => p.rels)
      .filter((r) => r !== '')
      .join('\0'),
    sizes: concat(parts.map((p) => p.sizes)),
    mtimes: concat(parts.map((p) => p.mtimes)),
    folders: parts.reduce((n, p) => n + p.folders, 0),
    problems: parts.flatMap((p) => p.problems),
    unreadable: parts.flatMap((p) => p.unreadable),
    leftOut: parts.flatMap((p) => p.leftOut),
  }
}

/** statFiles in a worker thread. */
export function statFilesAsync(root: string, rels: string[]) {
  const joined = rels.join('\0')
  return inWorker({ kind: 'stat', root, rels: joined }, () => statFiles(root, joined))
}
