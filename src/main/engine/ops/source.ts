// A copy (or an encode) is of one version of its source. The source's identity is read before and
// after the work; if it changed in between (rewritten, truncated, appended to, replaced), what was
// written is thrown away and the work is done again after a short settle, as rsync and FreeFileSync
// do, up to a limit.
import { statSync } from 'node:fs'
import { Cancelled } from './cancelled'

/** A source file as it was at one moment: enough to tell that it changed since. */
export interface SourceVersion {
  size: number
  /** As `fs.Stats.mtimeMs` computes it (the same float), for keys that also come from plain stats. */
  mtimeMs: number
  atimeMs: number
  mtimeNs: bigint
  ctimeNs: bigint
  ino: bigint
  dev: bigint
}

/** How many times the work is tried before the source is declared unstable. */
export const SOURCE_TRIES = 5
/** Pause after a change, growing with each try (0.5 s, 1 s, 1.5 s …). */
export const SETTLE_MS = 500
/**
 * File times move in clock ticks (a few ms): a write in the very tick the "before" identity is read
 * would leave it unchanged. A file touched this recently is given a moment first.
 */
const FRESH_MS = 50

/** How long ago the file last changed (its data or its inode), by its own times. */
const ageOf = (v: SourceVersion) => Date.now() - Math.max(v.mtimeMs, toMs(v.ctimeNs))

const toMs = (ns: bigint) => Number(ns / 1_000_000_000n) * 1e3 + Number(ns % 1_000_000_000n) / 1e6

/** The source's identity now (a synchronous stat: it runs in a worker, see write-file.ts). */
export function sourceVersion(path: string): SourceVersion {
  const s = statSync(path, { bigint: true })
  return {
    size: Number(s.size),
    mtimeMs: toMs(s.mtimeNs),
    atimeMs: toMs(s.atimeNs),
    mtimeNs: s.mtimeNs,
    ctimeNs: s.ctimeNs,
    ino: s.ino,
    dev: s.dev,
  }
}

export function sameVersion(a: SourceVersion, b: SourceVersion): boolean {
  return (
    a.size === b.size &&
    a.mtimeNs === b.mtimeNs &&
    a.ctimeNs === b.ctimeNs &&
    a.ino === b.ino &&
    a.dev === b.dev
  )
}

export class SourceKeptChanging extends Error {
  constructor(readonly src: string) {
    super(`The source kept changing while it was copied (${SOURCE_TRIES} tries): ${src}`)
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Cancelled())
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(new Cancelled())
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Runs `work` on one version of `src`: its identity is read before and after, and when it differs
 * (or the bytes taken differ from the size), `undo` throws the work's output away and the work runs
 * again after a settle. Returns the output and the version it was made from; throws
 * SourceKeptChanging after SOURCE_TRIES tries. A source that vanishes surfaces as ENOENT from stat.
 * `settled`: the source is Ferry's own finished output (an encode in the transcode cache, which
 * nothing writes once it is renamed there): it is not made to wait until it is FRESH_MS old.
 */
export async function onStableSource<T>(
  src: string,
  signal: AbortSignal,
  work: (version: SourceVersion) => Promise<T>,
  undo: (output: T) => Promise<void>,
  bytesTaken?: (output: T) => number | undefined,
  settled = false,
): Promise<{ output: T; version: SourceVersion }> {
  for (let attempt = 1; ; attempt++) {
    let before = sourceVersion(src)
    const age = settled ? FRESH_MS : ageOf(before)
    if (age < FRESH_MS) {
      // Rounded up, and a millisecond more: file times have fractions of one and Date.now() has none, so
      // a wait of exactly the rest could find the file 49.5 ms old and settle for 500 ms for nothing.
      await sleep(Math.ceil(FRESH_MS - Math.max(0, age)) + 1, signal)
      before = sourceVersion(src)
    }
    // Still written to a moment ago: a write in the same clock tick as this identity would not show in
    // the one read after the work, so no work is done on it — this try counts as a change.
    if (!settled && ageOf(before) < FRESH_MS) {
      if (attempt >= SOURCE_TRIES) throw new SourceKeptChanging(src)
      await sleep(SETTLE_MS * attempt, signal)
      continue
    }
    const output = await work(before)
    let after: SourceVersion | undefined
    try {
      after = sourceVersion(src)
    } catch {
      after = undefined
    }
    const taken = bytesTaken?.(output)
    if (after && sameVersion(before, after) && (taken === undefined || taken === before.size))
      return { output, version: before }
    await undo(output)
    if (attempt >= SOURCE_TRIES) throw new SourceKeptChanging(src)
    await sleep(SETTLE_MS * attempt, signal)
  }
}
