import { constants, type Dirent } from 'node:fs'
import { access, lstat, mkdir, opendir, stat, statfs } from 'node:fs/promises'
import { basename, dirname, extname, join, relative } from 'node:path'
import type { z } from 'zod'
import type { enqueueInput } from '../../../shared/contract'
import { FerryError } from '../../../shared/errors'
import type { EnqueueResult, LeftOut } from '../../../shared/model'
import { estimateEncoded } from '../convert/estimate'
import { identifyRoot } from '../ops/device'
import { errorCode, isDir, isInsideOrSame, realpathLoose, TEMP_PREFIX } from '../ops/fsutil'
import { specialKind } from '../ops/special'
import type { Preset } from '../../../shared/presets'
import type { PresetStore } from '../convert/presets'
import type { NewTask, Queue } from './queue'

export type EnqueueInput = z.output<typeof enqueueInput>

const bad = (message: string) => new FerryError('invalid_input', message)

/**
 * Turns a user's request into one batch of tasks. Everything is checked before anything is written:
 * a request with one bad path enqueues nothing and changes nothing.
 */
/** Extensions of audio files a convert hands to ffmpeg; anything else is copied as it is. */
export const AUDIO_EXTENSIONS = new Set(
  'flac wav wave aif aiff aifc m4a m4b mp4 alac caf mp3 mp2 ogg oga opus wma ape wv aac mpc tta dsf dff mka w64'.split(
    ' ',
  ),
)

export async function enqueue(
  queue: Queue,
  input: EnqueueInput,
  presets: PresetStore,
): Promise<EnqueueResult> {
  if ('count' in input) {
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
  if ('paths' in input) {
    const root = await realpathLoose(input.root)
    for (const p of input.paths) {
      const real = await realpathLoose(p)
      if (real === root || !isInsideOrSame(root, real))
        throw bad(`Refused: ${p} is not inside ${input.root}.`)
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
  const files: { src: string; dst: string; size: number }[] = []
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

  await checkRoom(input, files, destination, preset)

  // The destination folder itself may be made (as `cp -r` does), never the folders above it: a
  // device that is not mounted must not be recreated on the disk below its mount point.
  await mkdir(destination).catch((err) => {
    if (errorCode(err) === 'EEXIST') return
    throw bad(`Cannot create the destination ${destination}: ${(err as Error).message}`)
  })
  const device = await identifyRoot(destination)
  const label =
    input.label ?? `${input.mode} ${input.sources.map((s) => basename(s)).join(', ')} → ${destination}`
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
    const audio = AUDIO_EXTENSIONS.has(extname(f.src).slice(1).toLowerCase())
    const common = { src: f.src, root: destination, priority: input.priority, bytesTotal: f.size }
    if (!preset || !audio) {
      // A convert copies what is not audio (covers, booklets) as it is.
      const type = input.mode === 'move' ? 'move' : 'copy'
      return { ...common, type, lane: 'transfer', dst: f.dst, spec: { overwrite: input.overwrite } }
    }
    const ext = preset.extension ? `.${preset.extension}` : extname(f.dst)
    return {
      ...common,
      type: 'convert',
      lane: 'convert',
      dst: f.dst.slice(0, f.dst.length - extname(f.dst).length) + ext,
      spec: {
        overwrite: input.overwrite,
        removeArt: input.mode === 'convert' && input.removeArt,
        preset: { name: preset.name, hash: preset.hash, spec: preset.spec, extension: preset.extension },
      },
    }
  })
  const batchId = await queue.addBatch({ label: label.slice(0, 200), root: device }, [...skipped, ...tasks])
  return {
    batchId,
    tasks: files.length,
    bytes: files.reduce((a, f) => a + f.size, 0),
    filtered,
    leftOut: leftOut.map(({ path, reason }) => ({ path, reason })),
  }
}

/**
 * Refuses, before anything is queued, a batch that cannot fit: the bytes it will write (files not
 * already there; encodes estimated from the preset; nothing for a move within one filesystem)
 * against the free space of the destination's own filesystem.
 */
async function checkRoom(
  input: Extract<EnqueueInput, { sources: string[] }>,
  files: { src: string; dst: string; size: number }[],
  destination: string,
  preset: Preset | undefined,
): Promise<void> {
  const where = (await isDir(destination)) ? destination : dirname(destination)
  const fs = await statfs(where).catch(() => undefined)
  if (!fs) return
  const free = fs.bavail * fs.bsize
  const dstDev = (await stat(where)).dev
  let needed = 0
  for (const f of files) {
    if (input.mode === 'move' && (await stat(f.src).catch(() => undefined))?.dev === dstDev) continue
    const audio = AUDIO_EXTENSIONS.has(extname(f.src).slice(1).toLowerCase())
    const bytes = preset && audio ? estimateEncoded(f.size, preset) : f.size
    const there = await stat(f.dst).catch(() => undefined)
    if (there?.isFile() && input.overwrite !== 'keep-both') {
      if (input.overwrite === 'overwrite') needed += Math.max(0, bytes - there.size)
      continue // skipped as already there, or replaced in place
    }
    needed += bytes
  }
  if (needed > free)
    throw bad(
      `Not enough space at ${destination}: this needs about ${formatSize(needed)} and ${formatSize(free)} is free. Nothing was queued; free some space or copy less.`,
    )
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

async function checkDestination(destination: string, sources: string[]): Promise<void> {
  try {
    const d = await stat(destination)
    if (!d.isDirectory()) throw bad(`The destination is a file, not a folder: ${destination}`)
  } catch (err) {
    if (err instanceof FerryError) throw err
    if (errorCode(err) === 'ENOTDIR') throw bad(`A file stands where a folder is expected: ${destination}`)
    // Missing: created once every check has passed, but only inside a folder that is there.
    if (!(await isDir(dirname(destination))))
      throw bad(
        `The destination ${destination} is not there, nor is the folder ${dirname(destination)} it would be made in: is the device plugged in? (Ferry makes the destination folder itself, never the folders above it; create them first if they are meant to be new.) Nothing was queued.`,
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
    const handle = await opendir(dir)
    entries = []
    for await (const e of handle) entries.push(e)
  } catch (err) {
    throw bad(`Cannot read the folder ${dir}: ${(err as Error).message}`)
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const e of entries) {
    const path = join(dir, e.name)
    if (e.name.startsWith(TEMP_PREFIX)) continue // our own temporary files
    if (e.isDirectory()) yield* walk(path)
    else if (e.isFile()) yield { path, size: (await lstat(path)).size }
    else if (e.isSymbolicLink()) {
      const s = await stat(path).catch(() => undefined)
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
