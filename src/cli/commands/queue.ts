import { type Task, TASK_STATUSES, type TaskStatus, waitingMessage } from '../../shared/model'
import { FerryError } from '../../shared/errors'
import type { CommandInput, FerryApi } from '../../shared/contract'
import { withSession } from '../connect'
import { progressLines } from '../display'
import { ellipsize, formatBytes } from '../format'
import { waitForBatch } from './transfer'

type Selector = CommandInput<'task.cancel'>

export function selector(opts: { batch?: number; all?: boolean }, id?: number): Selector {
  const given = [id !== undefined, opts.batch !== undefined, opts.all === true].filter(Boolean).length
  if (given !== 1) throw new FerryError('invalid_input', 'Name one task id, or --batch N, or --all.')
  if (id !== undefined) return { taskId: id }
  if (opts.batch !== undefined) return { batchId: opts.batch }
  return { all: true }
}

export async function queueLs(opts: {
  dataDir?: string
  status?: string[]
  batch?: number
  limit: number
  offset: number
  json?: boolean
}): Promise<number> {
  for (const s of opts.status ?? []) {
    if (!(TASK_STATUSES as readonly string[]).includes(s)) {
      throw new FerryError('invalid_input', `Unknown status "${s}" (one of ${TASK_STATUSES.join(', ')}).`)
    }
  }
  return withSession(opts.dataDir, async (session) => {
    const page = await session.api.invoke('queue.list', {
      status: opts.status as TaskStatus[] | undefined,
      batchId: opts.batch,
      limit: opts.limit,
      offset: opts.offset,
      sort: 'queue',
    })
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(page, null, 2)}\n`)
      return 0
    }
    process.stdout.write(`${page.tasks.map(formatTask).join('\n')}${page.tasks.length ? '\n' : ''}`)
    const shown = page.tasks.length ? `${page.offset + 1}–${page.offset + page.tasks.length}` : 'none'
    process.stdout.write(`(${shown} of ${page.total})\n`)
    return 0
  })
}

function formatTask(t: Task): string {
  const what = t.src ? ellipsize(t.src, 60) : t.type
  const why =
    t.error ??
    (t.status === 'skip' ? t.result : null) ??
    (t.waiting === 'destination' && t.root
      ? waitingMessage({ root: t.root, problem: 'absent' })
      : t.waiting
        ? `waiting for ${t.waiting}`
        : '')
  return [
    String(t.id).padStart(6),
    t.status.padEnd(9),
    t.type.padEnd(6),
    `p${t.priority}`.padEnd(5),
    formatBytes(t.bytesTotal).padStart(10),
    what,
    why ? `— ${why}` : '',
  ]
    .join(' ')
    .trimEnd()
}

export async function queueProgress(opts: {
  dataDir?: string
  batch?: number
  json?: boolean
}): Promise<number> {
  return withSession(opts.dataDir, async (session) => {
    const p = await session.api.invoke(
      'queue.progress',
      opts.batch === undefined ? {} : { batchId: opts.batch },
    )
    process.stdout.write(opts.json ? `${JSON.stringify(p, null, 2)}\n` : `${progressLines(p).join('\n')}\n`)
    return 0
  })
}

/** One call to the engine that changes the queue, with a one-line report. */
export async function queueAction(
  dataDir: string | undefined,
  act: (api: FerryApi) => Promise<string>,
): Promise<number> {
  return withSession(dataDir, async (session) => {
    process.stdout.write(`${await act(session.api)}\n`)
    return 0
  })
}

/** `ferry queue wait`: works (or watches) the queue until nothing is pending or active. */
export async function queueWait(opts: {
  dataDir?: string
  batch?: number
  quiet?: boolean
}): Promise<number> {
  return withSession(
    opts.dataDir,
    async (session) => {
      return await waitForBatch(session, opts.batch, opts.quiet)
    },
    { work: true },
  )
}
