import { constants, type Dirent, type Stats } from 'node:fs'
import { access, lstat, mkdir, readdir, stat, statfs } from 'node:fs/promises'
import { basename, dirname, extname, join, relative } from 'node:path'
import type { z } from 'zod'
import type { enqueueInput } from '../../../shared/contract'
import { FerryError } from '../../../shared/errors'
import type { EnqueuePreview } from '../../../shared/browse'
import type { EnqueueResult, LeftOut, OverwritePolicy } from '../../../shared/model'
import { estimateEncoded } from '../convert/estimate'
import { identifyRoot } from '../ops/device'
import { errorCode, isDir, isInsideOrSame, realpathLoose, sameMtime, TEMP_PREFIX } from '../ops/fsutil'
import { specialKind } from '../ops/special'
import type { Preset } from '../../../shared/presets'
import type { PresetStore } from '../convert/presets'
import type { NewTask, Queue } from './queue'
import { AUDIO_EXTENSIONS, LOSSY_EXTENSIONS } from '../../../shared/audio'

export type EnqueueInput = z.output<typeof enqueueInput>

const bad = (message: string) => new FerryError('invalid_input', message)

/**
 * Turns a user's request into one batch of tasks. Everything is checked before anything is written:
 * a request with one bad path enqueues nothing and changes nothing.
 */
export async function enqueue(
  queue: Queue,
  input: EnqueueInput,
  presets: PresetStore,
): Promise<EnqueueResult> {
  if ('count' in input) return enqueueTestTasks(queue, input)
  if ('paths' in input) return enqueueDeletes(queue, input)
  return enqueueTransfer(queue, input, presets)
}

type TestInput = Extract<EnqueueInput, { count: number }>
type DeleteInput = Extract<EnqueueInput, { paths: string[] }>

/** `count` tasks that touch no file (echo, sleep, fail): for tests and benchmarks of the queue itself. */
async function enqueueTestTasks(queue: Queue, input: TestInput): Promise<EnqueueResult> {
  const rows: NewTask[] = Array.from({ length: input.count }, () => ({
    type: input.mode,
    lane: input.lane,
    priority: input.priority,
    maxAttempts: input.maxAttempts,
    spec: { ms: input.ms, message: input.message },
  }))
  const batchId = await queue.addBatch({ label: input.label ?? `${input.mode} ×${input.count}` }, rows)
  return { batchId, tasks: rows.length, bytes: 0, filtered: 0, leftOut: [] }
}

/** Deletes, each strictly inside the root (never the root itself), on a device that is there. */
async function enqueueDeletes(queue: Queue, input: DeleteInput): Promise<EnqueueResult> {
  const root = await realpathLoose(input.root)
  for (const p of input.paths) {
    const real = await realpathLoose(p)
    if (real === root || !isInsideOrSame(root, real)) throw bad(`Refused: ${p} is not inside ${input.root}.`)
  }
  const device = await identifyRoot(input.root).catch(() => {
    throw bad(`The folder ${input.root} is not there (is the device plugged in?). Nothing was queued.`)
  })
  const rows = input.paths.map((p) => ({
    type: 'delete' as const,
    lane: 'transfer' as const,
    src: p,
    root: input.root,
  }))
  const batchId = await queue.addBatch(
    { label: input.label ?? `delete ${input.paths.length} in ${input.root}`, root: device },
    rows,
  )
  return { batchId, tasks: rows.length, bytes: 0, filtered: 0, leftOut: [] }
}

/** A copy, move or convert: checked, walked and measured against the free space, then queued. */
async function enqueueTransfer(
  queue: Queue,
  input: TransferInput,
  presets: PresetStore,
): Promise<EnqueueResult> {
  const gathered = await gather(input, presets)
  const { files, leftOut, filtered } = gathered
  const destination = input.destination
  const planned = await classify(input, gathered)
  if (!planned.fits)
    throw bad(
      `Not enough space at ${destination}: this needs about ${formatSize(planned.bytesToWrite)} and ${formatSize(planned.freeBytes ?? 0)} is free. Nothing was queued; free some space or copy less.`,
    )
  await makeDestination(destination)
  const device = await identifyRoot(destination)
  const label =
    input.label ?? `${input.mode} ${input.sources.map((s) => basename(s)).join(', ')} → ${destination}`
  const rows = transferRows(input, gathered)
  const batchId = await queue.addBatch({ label: label.slice(0, 200), root: device }, rows)
  return {
    batchId,
    tasks: files.length,
    bytes: files.reduce((a, f) => a + f.size, 0),
    filtered,
    leftOut: leftOut.map(({ path, reason }) => ({ path, reason })),
  }
}

/**
 * The destination folder itself may be made (as `cp -r` does), never the folders above it: a device
 * that is not mounted must not be recreated on the disk below its mount point.
 */
async function makeDestination(destination: string): Promise<void> {
  await mkdir(destination).catch((err) => {
    if (errorCode(err) === 'EEXIST') return
    throw bad(`Cannot create the destination ${destination}: ${(err as Error).message}`)
  })
}

/**
 * The batch's rows: first what is left out, then a task per file (a convert for audio when there is a
 * preset; a copy or move of everything else).
 */
function transferRows(input: TransferInput, { preset, files, leftOut }: Gathered): NewTask[] {
  const destination = input.destination
  // What cannot be copied (FIFOs, sockets, devices) is recorded as skipped, with why, in the batch.
  const skipped = leftOut.map((f): NewTask => ({
    type: input.mode === 'move' ? 'move' : 'copy',
    lane: 'transfer',
    src: f.path,
    dst: f.dst,
    root: destination,
    skipped: `Left out: ${f.reason}.`,
  }))
  const tasks = files.map((f): NewTask => {
    const common = { src: f.src, root: destination, priority: input.priority, bytesTotal: f.size }
    if (!preset || !isAudio(f.src)) {
      // A convert copies what is not audio (covers, booklets) as it is.
      const type = input.mode === 'move' ? 'move' : 'copy'
      return { ...common, type, lane: 'transfer', dst: f.dst, spec: { overwrite: input.overwrite } }
    }
    return {
      ...common,
      type: 'convert',
      lane: 'convert',
      dst: encodedPath(f.dst, preset),
      spec: {
        overwrite: input.overwrite,
        removeArt: input.mode === 'convert' && input.removeArt,
        preset: { name: preset.name, hash: preset.hash, spec: preset.spec, extension: preset.extension },
      },
    }
  })
  return [...skipped, ...tasks]
}

/** A copy, move or convert request: what queue.preview takes. */
export type TransferInput = Extract<EnqueueInput, { sources: string[] }>

interface SourceFile {
  src: string
  dst: string
  size: number
}

interface Gathered {
  preset: Preset | undefined
  files: SourceFile[]
  leftOut: (LeftOut & { dst: string })[]
  filtered: number
}

/**
 * The checks and the walk that enqueue and preview share: the preset, the destination (there, or
 * makeable, and writable) and every source, before a single folder is walked; then the files.
 */
async function gather(input: TransferInput, presets: PresetStore): Promise<Gathered> {
  let preset: Preset | undefined
  if (input.mode === 'convert') {
    try {
      preset = presets.get(input.preset)
    } catch (err) {
      throw bad((err as Error).message) // a preset the request names wrongly is bad input
    }
  }
  const destination = input.destination
  await checkDestination(destination, input.sources)
  const files: SourceFile[] = []
  const leftOut: (LeftOut & { dst: string })[] = []
  let filtered = 0
  const keep = (name: string) => {
    const ext = extname(name).slice(1).toLowerCase()
    if (input.include.length && !input.include.includes(ext)) return false
    return !input.exclude.includes(ext)
  }
  for (const src of input.sources) {
    const s = await checkSource(src)
    if (s.isDirectory()) {
      const top = join(destination, basename(src))
      for await (const f of walk(src)) {
        if ('reason' in f) {
          leftOut.push({ ...f, dst: join(top, relative(src, f.path)) })
          continue
        }
        if (!keep(f.path)) {
          filtered++
          continue
        }
        files.push({ src: f.path, dst: join(top, relative(src, f.path)), size: f.size })
      }
    } else if (keep(src)) {
      files.push({ src, dst: join(destination, basename(src)), size: s.size })
    } else {
      filtered++
    }
  }
  return { preset, files, leftOut, filtered }
}

const isAudio = (path: string) => AUDIO_EXTENSIONS.has(extname(path).slice(1).toLowerCase())

/** Where an encode of `dst` goes: the preset's extension in place of the source's. */
function encodedPath(dst: string, preset: Preset): string {
  const ext = preset.extension ? `.${preset.extension}` : extname(dst)
  return dst.slice(0, dst.length - extname(dst).length) + ext
}

type Action = 'convert' | 'copy' | 'skip' | 'conflict'

interface Planned {
  files: (SourceFile & { action: Action; target: string })[]
  destinationExists: boolean
  bytesToWrite: number
  freeBytes: number | null
  fits: boolean
}

/**
 * What each file will come to, as the operations decide it (an identical file there is skipped; a
 * different one goes by the overwrite policy; an encode's output already there is kept under
 * "skip"), and whether the batch fits: the bytes it will write (encodes estimated from the preset;
 * nothing for a move within one filesystem) against the free space of the destination's own
 * filesystem (the folder it would be made in when it is not there yet).
 */
async function classify(input: TransferInput, g: Gathered): Promise<Planned> {
  const destination = input.destination
  const destinationExists = await isDir(destination)
  const where = destinationExists ? destination : dirname(destination)
  const fs = await statfs(where).catch(() => undefined)
  const freeBytes = fs ? fs.bavail * fs.bsize : null
  const dstDev = (await stat(where).catch(() => undefined))?.dev
  const { preset } = g
  const encodes = (f: SourceFile) => {
    const ext = extname(f.src).slice(1).toLowerCase()
    return (
      !!preset &&
      AUDIO_EXTENSIONS.has(ext) &&
      preset.spec.codec !== 'copy' &&
      !(LOSSY_EXTENSIONS.has(ext) && preset.spec.lossy === 'copy')
    )
  }
  const targets = g.files.map((f) => (encodes(f) ? encodedPath(f.dst, preset!) : f.dst))
  const theres = await inChunks(targets, statIfListed())
  const sameDevice = await inChunks(g.files, async (f) =>
    input.mode === 'move' && dstDev !== undefined
      ? (await stat(f.src).catch(() => undefined))?.dev === dstDev
      : false,
  )
  let bytesToWrite = 0
  const files: Planned['files'] = []
  for (const [i, f] of g.files.entries()) {
    const encode = encodes(f)
    const target = targets[i]!
    const bytes = sameDevice[i] ? 0 : encode ? estimateEncoded(f.size, preset!) : f.size
    const there = theres[i]
    let action: Action = encode ? 'convert' : 'copy'
    let writes = bytes
    if (there) {
      if (there.isDirectory()) {
        action = 'conflict' // a folder where the file would go: skipped whatever the policy
        writes = 0
      } else if (encode) {
        // An encode's output cannot be compared with its source: one already there is kept (skip) or replaced.
        action = input.overwrite === 'skip' ? 'skip' : 'conflict'
        writes = input.overwrite === 'skip' ? 0 : replaced(input.overwrite, bytes, there.size)
      } else if (there.size === f.size && sameMtime(there.mtimeMs, (await stat(f.src)).mtimeMs)) {
        action = 'skip'
        writes = 0
      } else {
        action = 'conflict'
        writes = replaced(input.overwrite, bytes, there.size)
      }
    }
    bytesToWrite += writes
    files.push({ ...f, action, target })
  }
  return {
    files,
    destinationExists,
    bytesToWrite,
    freeBytes,
    fits: freeBytes === null || bytesToWrite <= freeBytes,
  }
}

/**
 * Stats a path where its folder's listing has a name that may be it; else (most of a first copy:
 * its folders are not there yet) answers at once that nothing is there. Each folder is listed once.
 * Names are compared case-folded and NFC-normalized, so that on a filesystem that ignores case or
 * normalization (a FAT card, macOS) a file under another spelling is still found by its stat.
 */
function statIfListed(): (path: string) => Promise<Stats | undefined> {
  const listings = new Map<string, Promise<Set<string>>>()
  const fold = (name: string) => name.normalize('NFC').toLowerCase()
  return async (path) => {
    const dir = dirname(path)
    let names = listings.get(dir)
    if (!names) {
      names = readdir(dir).then(
        (all) => new Set(all.map(fold)),
        () => new Set<string>(),
      )
      listings.set(dir, names)
    }
    if (!(await names).has(fold(basename(path)))) return undefined
    return stat(path).catch(() => undefined)
  }
}

/**
 * `fn` over `items`, STAT_CHUNK at a time, results in order: file-system calls made together rather
 * than each waiting for the one before's round trip to the thread pool.
 */
async function inChunks<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = []
  for (let i = 0; i < items.length; i += STAT_CHUNK)
    out.push(...(await Promise.all(items.slice(i, i + STAT_CHUNK).map(fn))))
  return out
}
const STAT_CHUNK = 64

/** What a conflict writes: nothing (skip), the difference (overwrite, in place), or all of it (keep both). */
function replaced(policy: OverwritePolicy, bytes: number, thereSize: number): number {
  if (policy === 'skip') return 0
  if (policy === 'overwrite') return Math.max(0, bytes - thereSize)
  return bytes
}

/**
 * What enqueue would do with the same input, computed the same way (the same checks, the same walk,
 * the same room check), writing nothing: counts and bytes per action, conflicts and what the policy
 * does with them, what is left out, and whether it fits.
 */
export async function preview(input: TransferInput, presets: PresetStore): Promise<EnqueuePreview> {
  const gathered = await gather(input, presets)
  const planned = await classify(input, gathered)
  const count = () => ({ files: 0, bytes: 0 })
  const out: EnqueuePreview = {
    destination: input.destination,
    destinationExists: planned.destinationExists,
    convert: count(),
    copy: count(),
    skip: count(),
    conflict: { ...count(), policy: input.overwrite, examples: [] },
    leftOut: {
      files: gathered.leftOut.length,
      examples: gathered.leftOut.slice(0, 100).map(({ path, reason }) => ({ path, reason })),
    },
    filtered: gathered.filtered,
    audioFiles: 0,
    bytesToWrite: planned.bytesToWrite,
    freeBytes: planned.freeBytes,
    fits: planned.fits,
  }
  for (const f of planned.files) {
    out[f.action].files++
    out[f.action].bytes += f.size
    if (isAudio(f.src)) out.audioFiles++
    if (f.action === 'conflict' && out.conflict.examples.length < 50)
      out.conflict.examples.push({ src: f.src, dst: f.target })
  }
  return out
}

const formatSize = (n: number) =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`

async function checkSource(src: string) {
  try {
    const s = await stat(src)
    if (!s.isFile() && !s.isDirectory()) throw bad(`The source is neither a file nor a folder: ${src}`)
    await access(src, s.isDirectory() ? constants.R_OK | constants.X_OK : constants.R_OK)
    return s
  } catch (err) {
    if (err instanceof FerryError) throw err
    const code = errorCode(err)
    if (code === 'ENOENT') throw bad(`The source does not exist: ${src}`)
    if (code === 'EACCES' || code === 'EPERM')
      throw bad(`The source cannot be read (permission denied): ${src}`)
    if (code === 'ENOTDIR') throw bad(`A file stands where a folder is expected in the source path: ${src}`)
    throw bad(`The source cannot be read: ${src} (${(err as Error).message})`)
  }
}

/**
 * The destination is a folder Ferry may write in, or one it may make (in a folder that is there and
 * writable); then every source is there and readable, and none holds the destination. All of it before
 * a single source folder is walked.
 */
async function checkDestination(destination: string, sources: string[]): Promise<void> {
  let exists = false
  try {
    const d = await stat(destination)
    if (!d.isDirectory()) throw bad(`The destination is a file, not a folder: ${destination}`)
    exists = true
  } catch (err) {
    if (err instanceof FerryError) throw err
    if (errorCode(err) === 'ENOTDIR') throw bad(`A file stands where a folder is expected: ${destination}`)
    // Missing: created once every check has passed, but only inside a folder that is there.
    if (!(await isDir(dirname(destination))))
      throw bad(
        `The destination ${destination} is not there, nor is the folder ${dirname(destination)} it would be made in: is the device plugged in? (Ferry makes the destination folder itself, never the folders above it; create them first if they are meant to be new.) Nothing was queued.`,
      )
  }
  const where = exists ? destination : dirname(destination)
  try {
    await access(where, constants.W_OK | constants.X_OK)
  } catch (err) {
    const why =
      errorCode(err) === 'EROFS' ? 'is on a read-only filesystem' : 'cannot be written (permission denied)'
    throw bad(
      exists
        ? `The destination ${destination} ${why}. Nothing was queued.`
        : `The destination ${destination} cannot be made: the folder ${where} ${why}. Nothing was queued.`,
    )
  }
  const realDst = await realpathLoose(destination)
  for (const src of sources) {
    await checkSource(src)
    const realSrc = await realpathLoose(src)
    if (isInsideOrSame(realSrc, realDst) && (await stat(src)).isDirectory()) {
      throw bad(`The destination ${destination} is inside the source ${src}.`)
    }
    if (join(realDst, basename(realSrc)) === realSrc) {
      throw bad(`The source ${src} is already in ${destination}: it would be copied onto itself.`)
    }
  }
}

/**
 * Files below a folder, depth first, without following symlinked folders (no loops). What is not a
 * file (a FIFO, a socket, a device, a link to one, a link to a folder) comes with why it is left out.
 */
async function* walk(dir: string): AsyncGenerator<{ path: string; size: number } | LeftOut> {
  let entries: Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (err) {
    throw bad(`Cannot read the folder ${dir}: ${(err as Error).message}`)
  }
  entries = entries.filter((e) => !e.name.startsWith(TEMP_PREFIX)) // our own temporary files
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  // The sizes of a folder's files are read together: one after another, each waits for a round trip
  // to the thread pool (500 files: ≈ 35 ms one by one).
  const stats = await inChunks(entries, (e) => {
    const path = join(dir, e.name)
    if (e.isFile()) return lstat(path)
    return e.isSymbolicLink() ? stat(path).catch(() => null) : Promise.resolve(undefined)
  })
  for (const [i, e] of entries.entries()) {
    const path = join(dir, e.name)
    const s = stats[i]
    if (e.isDirectory()) yield* walk(path)
    else if (e.isFile()) yield { path, size: s!.size }
    else if (e.isSymbolicLink()) {
      if (s?.isFile()) yield { path, size: s.size }
      else
        yield {
          path,
          reason: s ? `a link to ${specialKind(s) ?? 'a folder (not followed)'}` : 'a link to nothing',
        }
    } else {
      yield { path, reason: specialKind(e) ?? 'not a regular file' }
    }
  }
}
