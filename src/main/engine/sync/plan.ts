// planSync: what a sync would do, from a stat-only scan of the sources and the destination and the
// profile's index of what Ferry wrote. Reads no file content for files that have not changed.
import { createHash, randomBytes } from 'node:crypto'
import { statfs } from 'node:fs/promises'
import { lstatSync } from 'node:fs'
import { dirname, extname, join, posix, resolve, sep } from 'node:path'
import picomatch from 'picomatch'
import { FerryError } from '../../../shared/errors'
import type { SyncMark } from '../../../shared/model'
import type { Preset } from '../../../shared/presets'
import {
  PLAN_KINDS,
  type PlanEntry,
  type PlanKind,
  type PlanTotals,
  type Profile,
} from '../../../shared/profiles'
import { identifyRoot, MARKER, readMarker } from '../ops/device'
import { checkProfileFolders } from './folders'
import { estimateEncoded } from '../convert/estimate'
import { isDir, sameMtime } from '../ops/fsutil'
import { AUDIO_EXTENSIONS } from '../queue/enqueue'
import { caseInsensitive, NameAssigner } from './names'
import { readPlaylist, renderPlaylist } from './playlists'
import { type ScanFile, scanTrees, statFilesAsync } from './scan'
import type { IndexRow } from './sync-index'

const LOSSLESS = new Set('flac wav wave aif aiff aifc ape tta dsf dff w64'.split(' '))
/** Extensions that may hold either kind (ALAC or AAC, WavPack hybrid, WMA Lossless): probed. */
const AMBIGUOUS = new Set('m4a m4b mp4 caf wma mka wv alac'.split(' '))
const PLAYLISTS = new Set(['m3u', 'm3u8'])
const COVER = /^(cover|folder|front|albumart[^.]*|album)\.(jpe?g|png|gif|webp|bmp)$/i

/** One thing a sync will do; what the plan shows and what `sync.run` enqueues. */
export interface Action {
  kind: 'convert' | 'copy' | 'delete' | 'playlist'
  src: string | null
  /** Relative to the destination, `/`-separated. */
  dst: string
  bytes: number
  overwrite: 'skip' | 'overwrite'
  mark: SyncMark
  /** A playlist's new content. */
  content?: string
}

/** Up-to-date files, as two parallel lists (there may be a hundred thousand of them). */
export interface Skipped {
  src: string[]
  dst: string[]
}

export interface ComputedPlan {
  /** Everything but the up-to-date files. */
  entries: PlanEntry[]
  skipped: Skipped
  actions: Action[]
  totals: PlanTotals
  /** The destination as planned against: applying checks it is still that device. */
  device: DestinationState
}

interface Item {
  abs: string
  file: ScanFile
  mode: 'convert' | 'copy' | 'playlist'
  row?: IndexRow
}

const ext = (name: string) => {
  const dot = name.lastIndexOf('.')
  return dot > name.lastIndexOf('/') ? name.slice(dot + 1).toLowerCase() : ''
}
/** Source mtimes, kept in whole ms: equal within the rounding of a float round trip. */
const sameMs = (a: number, b: number) => Math.abs(a - b) <= 1

/** The destination as the plan found it: its identity if it is there, null if it is to be made. */
export type DestinationState = { dev: string; btime: number } | null

/**
 * A missing destination (an unplugged card) is an error, not a plan to write everything; a missing
 * source (an unmounted disk) is an error, not a plan to delete everything; and neither may lie inside
 * the other. Once Ferry has written to a destination, it must be there and carry the profile's
 * marker (as Syncthing refuses a folder without its marker): a bare mount point, another card or a
 * reformatted one gets nothing planned, neither copies nor deletions, unless `force` says it is the
 * right device.
 */
async function checkFolders(
  profile: Profile,
  opts: { syncedBefore: boolean; force: boolean },
): Promise<DestinationState> {
  const { destination } = profile
  await checkProfileFolders(profile.sources, destination)
  const there = await identifyRoot(destination).catch(() => undefined)
  if (!there) {
    if (opts.syncedBefore || !(await isDir(dirname(destination))))
      throw new FerryError(
        'invalid_input',
        `The destination ${destination} is not there (is the device plugged in and mounted?). Nothing was planned.`,
      )
  } else if (opts.syncedBefore && !opts.force && (await readMarker(destination)) !== profile.id) {
    throw new FerryError(
      'invalid_input',
      `The destination ${destination} does not hold this profile's marker (${MARKER}): it may be another device, a reformatted card, or the folder a card is mounted on while it is not there. Nothing was planned. If it is the right device, sync with --force (force: true) once to mark it again.`,
    )
  }
  return there ? { dev: there.dev, btime: there.btime } : null
}

export async function planSync(
  profile: Profile,
  preset: Preset,
  /** Read while the scans run, so the index loads in their shadow. */
  store: { dsts(): string[]; rows(): IndexRow[]; any(): boolean },
  opts: { convertWorkers: number; force?: boolean },
): Promise<ComputedPlan> {
  const destState = await checkFolders(profile, { syncedBefore: store.any(), force: opts.force === true })
  const started = performance.now()
  const ci = caseInsensitive(profile.naming)
  const key = (rel: string) => {
    // eslint-disable-next-line no-control-regex -- ASCII needs no normalising (the common case, and fast)
    const n = /[^\x00-\x7f]/.test(rel) ? rel.normalize('NFC') : rel
    return ci ? n.toLowerCase() : n
  }

  // The sources are walked in worker threads while the index loads here; then the files the index
  // says Ferry wrote are looked up on the device (a stat each, in a worker: no walk of the device).
  const scanning = scanTrees(
    profile.sources.map((root) => ({ root, opts: { includeHidden: profile.includeHidden } })),
  )
  const device = statFilesAsync(profile.destination, store.dsts())
  const index = store.rows()
  // Rows by their path inside their source folder: the scan's own strings look them up.
  const byRel = profile.sources.map(() => new Map<string, IndexRow>())
  const prefixes = profile.sources.map((root) => root + sep)
  for (const r of index) {
    const s = prefixes.findIndex((p) => r.src.startsWith(p))
    if (s === -1) continue
    const rel = r.src.slice(prefixes[s]!.length)
    byRel[s]!.set(sep === '/' ? rel : rel.split(sep).join('/'), r)
  }
  const [packed, dev] = await Promise.all([scanning, device])
  /** What is on the device where a row says Ferry wrote (undefined: nothing). */
  const rowFile = (row: IndexRow): ScanFile | undefined => {
    const i = row.pos
    return Number.isNaN(dev.sizes[i]!)
      ? undefined
      : { rel: row.dst, size: dev.sizes[i]!, mtimeMs: dev.mtimes[i]! }
  }
  /** What is at a target path: a file, something else in the way (size -1), or nothing. */
  const onDevice = (dst: string, row?: IndexRow): ScanFile | undefined => {
    if (row && row.dst === dst) return rowFile(row)
    const s = lstatSync(join(profile.destination, ...dst.split('/')), { throwIfNoEntry: false })
    if (!s) return undefined
    return { rel: dst, size: s.isFile() ? s.size : -1, mtimeMs: Math.trunc(s.mtimeMs) }
  }
  const problems = packed.flatMap((s) => s.problems)
  const leftOut = packed.flatMap((scan) =>
    scan.leftOut.map((l) => ({ path: scan.root + sep + l.rel.split('/').join(sep), reason: l.reason })),
  )
  let scannedFiles = 0

  // What to take, and how.
  const include = profile.includeGlobs.length ? picomatch(profile.includeGlobs, { dot: true }) : null
  const exclude = profile.excludeGlobs.length ? picomatch(profile.excludeGlobs, { dot: true }) : null
  const items: Item[] = []
  // Up to date, decided on the fast path: no object per file, no naming work.
  const skipped: Skipped = { src: [], dst: [] }
  const planned = new Set<string>()
  /** Index rows an up-to-date file accounts for (by position): not to be deleted. */
  const matchedRows = new Uint8Array(index.length)
  let matched = 0
  for (const [s, scan] of packed.entries()) {
    const rowOf = byRel[s]!
    const rels = scan.rels === '' ? [] : scan.rels.split('\0')
    scannedFiles += rels.length
    for (let i = 0; i < rels.length; i++) {
      const rel = rels[i]!
      const file: ScanFile = { rel, size: scan.sizes[i]!, mtimeMs: scan.mtimes[i]! }
      const e = ext(file.rel)
      if (profile.include.length && !profile.include.includes(e) && !PLAYLISTS.has(e)) continue
      if (profile.exclude.includes(e)) continue
      if (include && !include(file.rel)) continue
      if (exclude?.(file.rel)) continue
      const row = rowOf.get(rel)
      const abs = row ? row.src : scan.root + sep + (sep === '/' ? rel : rel.split('/').join(sep))
      if (PLAYLISTS.has(e)) {
        if (profile.playlists === 'rewrite') items.push({ abs, file, mode: 'playlist', row })
        continue
      }
      if (!AUDIO_EXTENSIONS.has(e)) {
        const name = file.rel.slice(file.rel.lastIndexOf('/') + 1)
        if (profile.nonAudio === 'all' || (profile.nonAudio === 'covers' && COVER.test(name)))
          items.push({ abs, file, mode: 'copy', row })
        continue
      }
      const pending = audioMode(abs, file, e, preset, row)
      const mode = typeof pending === 'string' ? pending : await pending
      if (
        row &&
        upToDate(
          row,
          file,
          mode === 'convert' ? preset.hash : 'copy',
          mode === 'convert' ? preset.extension! : e,
        )
      ) {
        continue
      }
      items.push({ abs, file, mode, row })
    }
  }

  /** Unchanged source, same preset, and the device still holds what Ferry wrote: nothing to do. */
  function upToDate(row: IndexRow, file: ScanFile, madeBy: string, extension: string): boolean {
    if (row.madeBy !== madeBy || row.srcSize !== file.size || !sameMs(row.srcMtime, file.mtimeMs))
      return false
    if (ext(row.dst) !== extension) return false
    const i = row.pos
    if (dev.sizes[i] !== row.dstSize || !sameMtime(dev.mtimes[i]!, row.dstMtime)) return false
    skipped.src.push(row.src)
    skipped.dst.push(row.dst)
    matchedRows[i] = 1
    matched++
    return true
  }

  // Names: files already on the device keep theirs; then the rest, each group in sorted order.
  const names = new NameAssigner(profile.naming)
  if (items.length) for (const dst of skipped.dst) names.reserve(dst)
  const targetOf = new Map<string, string>()
  const wantedExt = (it: Item) => (it.mode === 'convert' ? `.${preset.extension}` : undefined)
  // `items` are in scan order: sorted within each folder, folders depth first, sources in turn.
  const known = items.filter((it) => it.row)
  const fresh = items.filter((it) => !it.row)
  for (const it of known) {
    const row = it.row!
    const sameKind = ext(row.dst) === (wantedExt(it) ?? extname(it.file.rel)).slice(1).toLowerCase()
    targetOf.set(
      it.abs,
      sameKind && names.reserve(row.dst) ? row.dst : names.assign(it.file.rel, wantedExt(it)),
    )
  }
  for (const it of fresh) targetOf.set(it.abs, names.assign(it.file.rel, wantedExt(it)))

  const entries: PlanEntry[] = []
  const actions: Action[] = []
  const indexByDst = new Map(items.length ? index.map((r) => [key(r.dst), r]) : [])
  let bytesToWrite = 0
  let bytesFreed = 0
  let encodeBytes = 0
  const add = (entry: PlanEntry, action?: Action) => {
    entries.push(entry)
    if (action) actions.push(action)
  }

  const playlists: Item[] = []
  /** Up-to-date files by source, built only if a playlist has to be rendered. */
  const skippedBySrc = new Map<string, string>()
  for (const it of [...known, ...fresh]) {
    const dst = targetOf.get(it.abs)!
    const k = key(dst)
    planned.add(k)
    if (it.mode === 'playlist') {
      playlists.push(it)
      continue
    }
    const madeBy = it.mode === 'convert' ? preset.hash : 'copy'
    const row = indexByDst.get(k)
    const verdict = judge(it, dst, madeBy, row, onDevice(dst, row))
    if (verdict.kind === 'skip') {
      skipped.src.push(it.abs)
      skipped.dst.push(dst)
      continue
    }
    if (verdict.kind === 'conflict') {
      add({ kind: verdict.kind, src: it.abs, dst, bytes: 0, reason: verdict.reason })
      continue
    }
    const bytes = it.mode === 'convert' ? estimateEncoded(it.file.size, preset) : it.file.size
    bytesToWrite += bytes
    bytesFreed += verdict.replaces
    if (it.mode === 'convert') encodeBytes += it.file.size
    add(
      { kind: it.mode, src: it.abs, dst, bytes, reason: verdict.reason },
      {
        kind: it.mode,
        src: it.abs,
        dst,
        bytes: it.file.size,
        overwrite: verdict.replaces || verdict.overwrite ? 'overwrite' : 'skip',
        mark: markFor(profile.id, dst, it, madeBy),
      },
    )
  }

  // What Ferry wrote that the sources no longer have.
  // (Every row already matched by an up-to-date file: nothing can be gone.)
  const allMatched = matched === index.length
  // Sources below a folder that could not be read are unknown, not gone: never deleted for it.
  const unknown = packed.flatMap((scan, s) =>
    scan.unreadable.map((rel) => (rel ? `${prefixes[s]}${rel.split('/').join(sep)}${sep}` : '')),
  )
  const mirror = profile.delete === 'mirror' && !allMatched
  for (const row of mirror ? index : []) {
    if (matchedRows[row.pos] || planned.has(key(row.dst))) continue
    if (unknown.some((u) => u === '' || row.src.startsWith(u))) continue
    const there = rowFile(row)
    if (!there || holdsOurs(row, there)) {
      const bytes = there?.size ?? 0
      bytesFreed += bytes
      add(
        {
          kind: 'delete',
          src: null,
          dst: row.dst,
          bytes,
          reason: there ? 'No longer in the sources.' : 'Already gone from the device.',
        },
        {
          kind: 'delete',
          src: null,
          dst: row.dst,
          bytes,
          overwrite: 'skip',
          mark: { profileId: profile.id, dst: row.dst, remove: true },
        },
      )
    } else {
      add({
        kind: 'conflict',
        src: null,
        dst: row.dst,
        bytes: 0,
        reason: 'Changed on the device since Ferry wrote it: kept, not deleted.',
      })
    }
  }

  // Playlists, rewritten for the device. Read only when something they could mention changed.
  const anythingChanged = actions.length > 0
  for (const it of playlists) {
    const dst = targetOf.get(it.abs)!
    const row = indexByDst.get(key(dst))
    const there = onDevice(dst, row)
    const ours = holdsOurs(row, there)
    const unchanged = row !== undefined && ours && sameSource(row, it)
    if (unchanged && !anythingChanged) {
      skipped.src.push(it.abs)
      skipped.dst.push(dst)
      continue
    }
    if (skippedBySrc.size === 0) skipped.src.forEach((src, i) => skippedBySrc.set(src, skipped.dst[i]!))
    const lines = await readPlaylist(it.abs)
    const content = renderPlaylist(
      lines,
      dirname(it.abs),
      posix.dirname(dst),
      (p) => targetOf.get(resolve(p)) ?? skippedBySrc.get(resolve(p)),
    )
    const madeBy = `playlist:${createHash('sha256').update(content).digest('hex').slice(0, 16)}`
    if (unchanged && row.madeBy === madeBy) {
      skipped.src.push(it.abs)
      skipped.dst.push(dst)
      continue
    }
    if (there && !ours) {
      add({ kind: 'conflict', src: it.abs, dst, bytes: 0, reason: conflictReason(row) })
      continue
    }
    const bytes = Buffer.byteLength(content)
    bytesToWrite += bytes
    add(
      { kind: 'copy', src: it.abs, dst, bytes, reason: 'Playlist rewritten for the device.' },
      {
        kind: 'playlist',
        src: it.abs,
        dst,
        bytes,
        overwrite: 'overwrite',
        content,
        mark: markFor(profile.id, dst, it, madeBy),
      },
    )
  }

  const counts = Object.fromEntries(PLAN_KINDS.map((k) => [k, 0])) as Record<PlanKind, number>
  for (const e of entries) counts[e.kind]++
  counts.skip = skipped.src.length
  // The device's own free space; a destination still to be made goes on the folder above it.
  const freeBytes = await freeSpace(destState ? profile.destination : dirname(profile.destination))
  const totals: PlanTotals = {
    counts,
    bytesToWrite,
    bytesFreed,
    // Rough: encoding at ~4 MB of lossless input a second per worker, writing at ~20 MB/s.
    estimatedSeconds: Math.ceil(encodeBytes / (4e6 * opts.convertWorkers) + bytesToWrite / 20e6),
    freeBytes,
    shortBy: freeBytes === null ? 0 : Math.max(0, bytesToWrite - bytesFreed - freeBytes),
    scanned: {
      files: scannedFiles,
      folders: packed.reduce((a, s) => a + s.folders, 0),
      seconds: (performance.now() - started) / 1000,
    },
    problems,
    leftOut,
  }
  // Changes, sorted; the (many) up-to-date files are kept apart and listed after them.
  const order: Record<PlanKind, number> = { delete: 0, convert: 1, copy: 2, conflict: 3, skip: 4 }
  entries.sort((a, b) => order[a.kind] - order[b.kind] || (a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0))
  return { entries, skipped, actions, totals, device: destState }
}

/** Decides by codec where the extension cannot tell; reuses the last run's decision for an unchanged file. */
function audioMode(
  abs: string,
  file: ScanFile,
  e: string,
  preset: Preset,
  row: IndexRow | undefined,
): 'convert' | 'copy' | Promise<'convert' | 'copy'> {
  if (preset.spec.codec === 'copy') return 'copy'
  const decide = (lossless: boolean) => (lossless || preset.spec.lossy === 'transcode' ? 'convert' : 'copy')
  if (LOSSLESS.has(e)) return decide(true)
  if (!AMBIGUOUS.has(e)) return decide(false)
  if (row && row.srcSize === file.size && sameMs(row.srcMtime, file.mtimeMs))
    return row.madeBy === 'copy' ? 'copy' : 'convert'
  // Only a new or changed file whose extension cannot tell is probed (its header, not its audio).
  return import('../convert/probe')
    .then(({ probe }) => probe(abs, file.size, file.mtimeMs))
    .then((p) => decide(p.lossless))
    .catch(() => decide(false))
}

/** The device still holds the file the row says Ferry wrote there (size, and mtime within FAT's 2 s). */
function holdsOurs(row: IndexRow | undefined, there: ScanFile | undefined): boolean {
  return !!row && !!there && there.size === row.dstSize && sameMtime(there.mtimeMs, row.dstMtime)
}

/** The row was made from this very source file, unchanged since. */
const sameSource = (row: IndexRow, it: Item) =>
  row.src === it.abs && row.srcSize === it.file.size && sameMs(row.srcMtime, it.file.mtimeMs)

type Verdict =
  | { kind: 'skip'; reason: string }
  | { kind: 'conflict'; reason: string }
  | { kind: 'write'; reason: string; replaces: number; overwrite: boolean }

function judge(
  it: Item,
  dst: string,
  madeBy: string,
  row: IndexRow | undefined,
  there: ScanFile | undefined,
): Verdict {
  if (there && !holdsOurs(row, there)) return { kind: 'conflict', reason: conflictReason(row) }
  if (row && there) {
    // The device holds what Ferry wrote: up to date, or Ferry's own file to replace.
    if (sameSource(row, it) && row.madeBy === madeBy) return { kind: 'skip', reason: 'Up to date.' }
    const why =
      row.src !== it.abs
        ? 'Another source now has this name.'
        : sameSource(row, it)
          ? 'The preset changed.'
          : 'The source changed.'
    return { kind: 'write', reason: why, replaces: there.size, overwrite: true }
  }
  return { kind: 'write', reason: row ? 'Missing on the device.' : 'New.', replaces: 0, overwrite: false }
}

const conflictReason = (row: IndexRow | undefined) =>
  row
    ? 'Changed on the device since Ferry wrote it: not overwritten.'
    : 'A file Ferry did not write is in the way: not overwritten.'

function markFor(profileId: number, dst: string, it: Item, madeBy: string): SyncMark {
  return { profileId, dst, src: it.abs, srcSize: it.file.size, srcMtime: it.file.mtimeMs, madeBy }
}

async function freeSpace(path: string): Promise<number | null> {
  try {
    const s = await statfs(path)
    return s.bavail * s.bsize
  } catch {
    return null
  }
}

export const newPlanId = () => randomBytes(6).toString('hex')
