import type { Stats } from 'node:fs'
import { accessSync, constants, existsSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs'
import { dirname } from 'node:path'
import type { OverwritePolicy } from '../../../shared/model'
import { checkRootNow, DestinationGone, destinationAway, mkdirBelow } from './device'
import { errorCode, freeName, sameMtime, sweepTemps } from './fsutil'
import {
  sameVersion,
  SETTLE_MS,
  sleep,
  SOURCE_TRIES,
  SourceKeptChanging,
  type SourceVersion,
  sourceVersion,
} from './source'
import { fail, type OpContext, type OpRequest, type OpResult, type Written } from './types'
import { Cancelled, hashFile, writeAtomically } from './write-file'

const ALREADY_WRITTEN =
  'Already at the destination, identical (an earlier attempt of this task was cut short).'

type Plan = { write: string } | { skip: string; identical: boolean }

/** What to do about the destination: write (where), or skip (why). */
async function planDestination(dst: string, src: Stats, policy: OverwritePolicy): Promise<Plan> {
  let existing: Stats
  try {
    existing = statSync(dst)
  } catch {
    return { write: dst }
  }
  if (existing.isDirectory())
    return { skip: `A folder stands where the file would go: ${dst}`, identical: false }
  if (existing.size === src.size && sameMtime(existing.mtimeMs, src.mtimeMs)) {
    return { skip: 'An identical file is already at the destination.', identical: true }
  }
  if (policy === 'overwrite') return { write: dst }
  if (policy === 'keep-both') return { write: await freeName(dst) }
  return {
    skip: 'A different file is already at the destination (overwrite policy: skip).',
    identical: false,
  }
}

/**
 * The checks every task on a source file (copy, move, convert) starts with: the source's stats, or
 * the result to report.
 */
export function checkTask(req: OpRequest): Stats | OpResult {
  if (!req.src || !req.dst) return fail('The task has no source or destination.')
  const away = destinationAway(req)
  if (away) return away
  try {
    const s = statSync(req.src)
    if (!s.isFile()) return fail(`The source is not a file: ${req.src}`)
    accessSync(req.src, constants.R_OK)
    return s
  } catch (err) {
    return sourceError(req.src, err)
  }
}

/**
 * A transfer's start: the checks, then what an earlier attempt left beside the destination goes (a
 * first attempt has none: the folder is not read, which at 500 files in a folder would cost more
 * than the copy).
 */
async function begin(req: OpRequest): Promise<Stats | OpResult> {
  const s = checkTask(req)
  if (isStats(s) && req.rerun) await sweepTemps(dirname(req.dst!), req.taskId)
  return s
}

export async function copyOp(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const s = await begin(req)
  if (!isStats(s)) return s
  const plan = await planDestination(req.dst!, s, req.spec.overwrite ?? 'skip')
  if ('skip' in plan) {
    const w = plan.identical ? written(req.dst!) : undefined
    // An attempt cut short after its rename (a crash before its result was recorded) left its file in
    // place: the task's work is done, not skipped.
    if (plan.identical && req.rerun) return { kind: 'ok', result: ALREADY_WRITTEN, written: w }
    return { kind: 'skip', reason: plan.skip, written: w }
  }
  return guard(req, async () => {
    const v = await writeAtomically(req.src!, plan.write, req.taskId, ctx, where(req))
    return {
      kind: 'ok',
      result: plan.write === req.dst ? undefined : `Written as ${plan.write}`,
      bytes: v.size,
      written: plan.write === req.dst ? written(req.dst!, v) : undefined,
    }
  })
}

/**
 * Move: a rename on the same filesystem; otherwise copy, verify the copy's checksum against the
 * source, and only then delete the source. Safe to run twice: a destination already identical to the
 * source (verified by content) just has its source removed.
 */
export async function moveOp(req: OpRequest, ctx: OpContext): Promise<OpResult> {
  const s = await begin(req)
  if (!isStats(s)) return s
  const plan = await planDestination(req.dst!, s, req.spec.overwrite ?? 'skip')
  if ('skip' in plan) {
    if (!plan.identical) return { kind: 'skip', reason: `${plan.skip} The source was left in place.` }
    return guard(req, async () => {
      if ((await hashFile(req.src!, ctx)) !== (await hashFile(req.dst!, ctx))) {
        return {
          kind: 'skip',
          reason: 'A file of the same size and date, but other content, is at the destination.',
        }
      }
      unlinkSync(req.src!)
      return { kind: 'ok', result: 'Already at the destination; source removed.' }
    })
  }
  return guard(req, async () => {
    try {
      if (req.device) mkdirBelow(req.device.path, dirname(plan.write))
      else mkdirSync(dirname(plan.write), { recursive: true })
      if (req.device && !checkRootNow(req.device).ok) throw new DestinationGone(req.device.path)
      renameSync(req.src!, plan.write)
      ctx.progress(s.size, s.size)
      return {
        kind: 'ok',
        bytes: s.size,
        written: plan.write === req.dst ? written(req.dst!) : undefined,
      }
    } catch (err) {
      if (errorCode(err) !== 'EXDEV') throw err
    }
    // Across filesystems: copy one version, verified; the source goes only if it is still that version
    // (a source changed after its copy is copied again, over the copy just made).
    for (let attempt = 1; ; attempt++) {
      const v = await writeAtomically(req.src!, plan.write, req.taskId, ctx, { ...where(req), verify: true })
      if (sameVersion(v, sourceVersion(req.src!))) {
        unlinkSync(req.src!)
        return {
          kind: 'ok',
          bytes: v.size,
          written: plan.write === req.dst ? written(req.dst!, v) : undefined,
        }
      }
      if (attempt >= SOURCE_TRIES) throw new SourceKeptChanging(req.src!)
      await sleep(SETTLE_MS * attempt, ctx.signal)
    }
  })
}

/** Turns what can go wrong while writing into a clear result; nothing partial is left behind. */
async function guard(req: OpRequest, work: () => Promise<OpResult>): Promise<OpResult> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof Cancelled) return { kind: 'cancelled' }
    if (err instanceof SourceKeptChanging) return fail(err.message)
    const away = destinationAway(req)
    if (away) return away
    if (err instanceof DestinationGone)
      return { kind: 'wait', reason: 'destination', problem: 'other-device' }
    const code = errorCode(err)
    const dst = req.dst!
    // Full: the whole batch waits for room (one message, not one failure per file).
    if (code === 'ENOSPC' || code === 'EDQUOT')
      return { kind: 'wait', reason: 'destination', problem: 'full' }
    if (code === 'ENOTDIR' || code === 'EEXIST') {
      return fail(`A file stands where a folder is expected on the way to ${dst}.`)
    }
    if (code === 'EACCES' || code === 'EPERM') return fail(`Permission denied writing ${dst}.`)
    if (code === 'EROFS') return fail(`The destination is read-only: ${dst}.`)
    if (code === 'ENOENT' && !existsSync(req.src!)) return sourceError(req.src!, err)
    if (code === 'EIO' || code === 'EBUSY' || code === 'EAGAIN')
      return fail(`${(err as Error).message}`, true)
    return fail((err as Error).message, true)
  }
}

export function sourceError(src: string, err: unknown): OpResult {
  const code = errorCode(err)
  if (code === 'ENOENT') return fail(`The source is gone: ${src}`)
  if (code === 'EACCES' || code === 'EPERM')
    return fail(`The source cannot be read (permission denied): ${src}`)
  return fail(`The source cannot be read: ${src} (${(err as Error).message})`)
}

/** Size and mtime of the file now at a destination, as the device reports them (and what it is a copy of). */
function written(path: string, source?: SourceVersion): Written | undefined {
  let s: Stats | undefined
  try {
    s = statSync(path, { throwIfNoEntry: false })
  } catch {
    s = undefined
  }
  if (!s?.isFile()) return undefined
  return {
    size: s.size,
    mtimeMs: s.mtimeMs,
    source: source && { size: source.size, mtimeMs: Math.trunc(source.mtimeMs) },
  }
}

/** Where a write must land: the recorded device, or (older batches) a root never to be created. */
const where = (req: OpRequest) => ({
  device: req.device,
  root: req.root,
  ownSource: req.spec.ownSource === true,
})

export function isStats(x: Stats | OpResult): x is Stats {
  return typeof (x as Stats).isFile === 'function'
}
