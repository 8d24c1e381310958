import { resolve } from 'node:path'
import type { FerryApi } from '../../shared/contract'
import type { OverwritePolicy, Task } from '../../shared/model'
import { type Session, withSession } from '../connect'
import { followQueue } from '../follow'
import { LiveDisplay } from '../display'
import { formatBytes } from '../format'

export interface TransferOptions {
  dataDir?: string
  include?: string[]
  exclude?: string[]
  enqueueOnly?: boolean
  overwrite?: OverwritePolicy
  priority?: number
  quiet?: boolean
  verbose?: boolean
  /** convert only */
  preset?: string
  removeArt?: boolean
}

/** `ferry cp` and `ferry mv`: enqueue one batch, then (unless --enqueue-only) show it until it ends. */
export async function transferCommand(
  mode: 'copy' | 'move' | 'convert',
  paths: string[],
  opts: TransferOptions,
): Promise<number> {
  const sources = paths.slice(0, -1).map((p) => resolve(p))
  const destination = resolve(paths[paths.length - 1]!)
  return withSession(
    opts.dataDir,
    async (session) => {
      const common = {
        sources,
        destination,
        include: opts.include ?? [],
        exclude: opts.exclude ?? [],
        overwrite: opts.overwrite ?? 'skip',
        priority: opts.priority ?? 100,
      }
      const r = await session.api.invoke(
        'queue.enqueue',
        mode === 'convert'
          ? { ...common, mode, preset: opts.preset ?? 'mp3-v0', removeArt: opts.removeArt === true }
          : { ...common, mode },
      )
      const filtered = r.filtered ? `, ${r.filtered} left out by filters` : ''
      const left = r.leftOut.length
        ? `, ${r.leftOut.length} left out (not files: FIFOs, sockets, devices${opts.verbose ? '' : '; -v lists them'})`
        : ''
      process.stderr.write(
        `batch ${r.batchId}: ${r.tasks} files, ${formatBytes(r.bytes)}${filtered}${left}\n`,
      )
      if (opts.verbose) for (const l of r.leftOut) process.stderr.write(`left out: ${l.path}: ${l.reason}\n`)
      if (opts.enqueueOnly) return 0
      const code = await waitForBatch(session, r.batchId, opts.quiet)
      await printSummary(session.api, r.batchId, mode, opts.verbose === true)
      return code
    },
    { work: !opts.enqueueOnly, lanes: [mode === 'convert' ? 'convert' : 'transfer'] },
  )
}

/**
 * Follows a batch (or the whole queue) until none of its tasks is pending or active, showing it live;
 * 0 when all ended ok or skipped. The display moves with the engine's events, not a timer.
 */
export async function waitForBatch(
  session: Pick<Session, 'api' | 'lost'>,
  batchId: number | undefined,
  quiet = false,
): Promise<number> {
  const { api } = session
  const display = quiet ? undefined : new LiveDisplay()
  const last = await followQueue(session, batchId, (p) => display?.update(p))
  display?.finish(last)
  const failed = await listAll(api, batchId, ['fail', 'cancelled'])
  for (const t of failed)
    process.stderr.write(`${t.status}: ${t.src ?? `task ${t.id}`}: ${t.error ?? 'cancelled'}\n`)
  return failed.length ? 1 : 0
}

async function listAll(
  api: FerryApi,
  batchId: number | undefined,
  status: Task['status'][],
): Promise<Task[]> {
  const out: Task[] = []
  for (let offset = 0; ; offset += 1000) {
    const page = await api.invoke('queue.list', { status, batchId, offset, limit: 1000, sort: 'oldest' })
    out.push(...page.tasks)
    if (offset + 1000 >= page.total) return out
  }
}

const DONE = { copy: 'copied', move: 'moved', convert: 'converted' } as const

/** Why files were skipped, in words a user can act on. */
function skipWhy(reason: string | null): string {
  if (!reason) return 'skipped'
  if (reason.startsWith('An identical file')) return 'already there, identical'
  if (reason.startsWith('A different file') || reason.startsWith('A file is already at the destination'))
    return 'a different file is already there; --overwrite or --keep-both to change that'
  if (reason.startsWith('Left out:')) return 'not files (FIFOs, sockets, devices)'
  return reason.replace(/\.$/, '')
}

/**
 * The line a finished cp/mv/convert ends with: "12 copied, 3 skipped — 2 already there, identical;
 * 1 a different file is already there; --overwrite or --keep-both to change that". With -v, every
 * skipped file and why.
 */
export async function printSummary(
  api: FerryApi,
  batchId: number,
  mode: keyof typeof DONE,
  verbose: boolean,
): Promise<void> {
  const tasks = (await listAll(api, batchId, ['ok', 'skip'])).filter((t) => t.parentId === null)
  const done = tasks.filter((t) => t.status === 'ok').length
  const skipped = tasks.filter((t) => t.status === 'skip')
  const groups = new Map<string, number>()
  for (const t of skipped) {
    const w = skipWhy(t.result)
    groups.set(w, (groups.get(w) ?? 0) + 1)
  }
  const why = [...groups].map(([w, n]) => `${n} ${w}`).join('; ')
  process.stderr.write(`${done} ${DONE[mode]}, ${skipped.length} skipped${why ? ` — ${why}` : ''}\n`)
  if (verbose) for (const t of skipped) process.stderr.write(`skipped: ${t.src}: ${t.result ?? ''}\n`)
}
