// A destination is the device it was. A batch records its destination root's identity when it is
// enqueued; every task checks it before it writes, and nothing ever creates the root itself, only
// folders below it. An unplugged card leaves either no folder at all or a bare mount-point folder on
// the parent filesystem: both look different from the root that was recorded.
import { type BigIntStats, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import type { DestinationProblem } from '../../../shared/model'
import { errorCode, isInsideOrSame } from './fsutil'
import type { OpRequest, OpResult } from './types'

/** The file at a sync destination's root that names the profile syncing into it. */
export const MARKER = '.ferry-profile.json'

/** What identifies a destination root: recorded at enqueue, checked before every write. */
export interface RootIdentity {
  path: string
  /** st_dev, as a decimal string (it may not fit a double). */
  dev: string
  /** The root folder's birth time in ms, 0 where the filesystem does not report one (FUSE, some). */
  btime: number
  /** A sync's profile id: the root must hold that profile's marker file. */
  marker: number | null
}

/** Why a root is not the one recorded. */
export type RootProblem = DestinationProblem

export async function identifyRoot(path: string, marker: number | null = null): Promise<RootIdentity> {
  const s = await stat(path, { bigint: true })
  return { path, dev: String(s.dev), btime: Number(s.birthtimeMs), marker }
}

/** The profile id a destination's marker names, or null (no marker, or not ours). */
export async function readMarker(root: string): Promise<number | null> {
  return markerId(await readFile(join(root, MARKER), 'utf8').catch(() => undefined))
}

function markerId(text: string | undefined): number | null {
  try {
    const m = JSON.parse(text ?? 'null') as { id?: unknown } | null
    return typeof m?.id === 'number' ? m.id : null
  } catch {
    return null
  }
}

type RootCheck = { ok: true; dev: string } | { ok: false; problem: RootProblem }

/**
 * Is the root at `id.path` the one recorded? With a marker, the marker decides (a card plugged back
 * in may get another device number). Otherwise the folder's birth time decides where the filesystem
 * has one, else the device number. Returns the root's current st_dev when it is, or the problem.
 */
export async function checkRoot(id: RootIdentity): Promise<RootCheck> {
  const judged = judgeRoot(id, await stat(id.path, { bigint: true }).catch(() => undefined))
  return 'byMarker' in judged ? judged.byMarker(await readMarker(id.path)) : judged
}

/**
 * checkRoot, in the worker: its metadata calls are synchronous (see write-file.ts), a
 * stat and (a sync) a small read that take microseconds, where each asynchronous call costs ≈ 30 µs
 * of CPU in promises and thread-pool hops.
 */
export function checkRootNow(id: RootIdentity): RootCheck {
  const judged = judgeRoot(id, statNow(id.path))
  if (!('byMarker' in judged)) return judged
  let text: string | undefined
  try {
    text = readFileSync(join(id.path, MARKER), 'utf8')
  } catch {
    text = undefined
  }
  return judged.byMarker(markerId(text))
}

function judgeRoot(
  id: RootIdentity,
  s: BigIntStats | undefined,
): RootCheck | { byMarker: (found: number | null) => RootCheck } {
  if (!s?.isDirectory()) return { ok: false, problem: 'absent' }
  const dev = String(s.dev)
  const btime = Number(s.birthtimeMs)
  const same = id.btime && btime ? btime === id.btime : dev === id.dev
  if (id.marker === null) return same ? { ok: true, dev } : { ok: false, problem: 'other-device' }
  return {
    byMarker: (found) =>
      found === id.marker
        ? { ok: true, dev }
        : // No marker on another filesystem: most likely the bare folder of an unplugged card.
          { ok: false, problem: same ? 'no-marker' : 'other-device' },
  }
}

/** A path's stats (bigint), or undefined where it cannot be read. */
function statNow(path: string): BigIntStats | undefined {
  try {
    return statSync(path, { bigint: true, throwIfNoEntry: false })
  } catch {
    return undefined
  }
}

/** Thrown while writing when the destination root is gone or is not the recorded one any more. */
export class DestinationGone extends Error {
  constructor(readonly root: string) {
    super(`The destination ${root} is not there (unplugged?)`)
  }
}

/** Throws DestinationGone unless the root is the recorded one; returns its current st_dev. */
export function assertRoot(id: RootIdentity): string {
  const c = checkRootNow(id)
  if (!c.ok) throw new DestinationGone(id.path)
  return c.dev
}

/**
 * Creates `dir` and the folders above it up to `root`, never `root` itself: a root that vanished
 * (an unplugged device) is not recreated on the disk it was mounted on. (In the worker: synchronous.)
 */
export function mkdirBelow(root: string, dir: string): void {
  if (!isInsideOrSame(root, dir)) throw new Error(`${dir} is not inside ${root}`)
  try {
    mkdirSync(dir)
    return
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return
    if (errorCode(err) !== 'ENOENT') throw err
  }
  let at = root
  for (const part of relative(root, dir).split(sep)) {
    at = join(at, part)
    try {
      mkdirSync(at)
    } catch (err) {
      const code = errorCode(err)
      if (code === 'EEXIST') continue
      if (code === 'ENOENT' && dirname(at) === root) throw new DestinationGone(root)
      throw err
    }
  }
}

/**
 * The task's destination root is not the device it was (absent, another filesystem showing through
 * an empty mount point, the profile's marker gone): the task waits for it.
 */
export function destinationAway(req: OpRequest): OpResult | undefined {
  if (req.device) {
    const c = checkRootNow(req.device)
    return c.ok ? undefined : { kind: 'wait', reason: 'destination', problem: c.problem }
  }
  if (req.root && !existsSync(req.root)) return { kind: 'wait', reason: 'destination', problem: 'absent' }
  return undefined
}
