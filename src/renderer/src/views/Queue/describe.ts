// How a task and a batch read in the list: a state in words, a file name and where it is.
import type { Batch, Task, TaskStatus, WorkerState } from '../../../../shared/model'

export type Tone = 'accent' | 'ok' | 'bad' | 'warn' | 'muted'

export interface StatusLabel {
  text: string
  tone: Tone
  /** A longer reason, for the details pane and the row's title. */
  why?: string
}

export function statusOf(t: Task, now = Date.now()): StatusLabel {
  switch (t.status) {
    case 'active':
      return t.waiting === 'children'
        ? { text: 'Finishing', tone: 'accent', why: 'its follow-up task (moving the result into place) runs' }
        : { text: 'Running', tone: 'accent' }
    case 'pending':
      if (t.waiting === 'paused') return { text: 'Paused', tone: 'warn', why: 'its batch is paused' }
      if (t.waiting === 'destination')
        return { text: 'Waiting', tone: 'warn', why: 'its destination is not there (unplugged?)' }
      if (t.waiting === 'enqueue') return { text: 'Adding', tone: 'muted', why: 'its batch is being added' }
      if (t.runAfter > now && t.error)
        return { text: 'Retrying', tone: 'warn', why: `attempt ${t.attempts} failed; it runs again soon` }
      return { text: 'Pending', tone: 'muted' }
    case 'ok':
      return { text: 'Done', tone: 'ok' }
    case 'skip':
      return { text: 'Skipped', tone: 'muted', why: t.result ?? undefined }
    case 'fail':
      return { text: 'Failed', tone: 'bad' }
    case 'cancelled':
      return { text: 'Cancelled', tone: 'muted' }
  }
}

/**
 * The file a task is about, and the end of the folder it is in ("…/Björk/Homogenic": the artist and
 * album say more than the start of the path). A follow-up task (a convert's result moved into place)
 * is named by where it goes, not by its file in the transcode cache.
 */
export function nameOf(t: Task): { name: string; folder: string } {
  const p = t.parentId !== null ? (t.dst ?? t.src) : (t.src ?? t.dst)
  if (!p) return { name: `${t.type} task ${t.id}`, folder: t.spec.message ?? '' }
  const cut = p.lastIndexOf('/')
  if (cut < 0) return { name: p, folder: '' }
  const parts = p.slice(0, cut).split('/')
  const folder = parts.length > 3 ? `…/${parts.slice(-2).join('/')}` : p.slice(0, cut) || '/'
  return { name: p.slice(cut + 1) || p, folder: t.parentId !== null ? `into ${folder}` : folder }
}

/** The file a worker runs on: its task line is "copy /music/…/01.flac". */
export function workerTask(w: WorkerState): { type: string; name: string; path: string } | undefined {
  if (!w.task) return undefined
  const space = w.task.indexOf(' ')
  const type = space < 0 ? w.task : w.task.slice(0, space)
  const path = space < 0 ? '' : w.task.slice(space + 1)
  const cut = path.lastIndexOf('/')
  return { type, path, name: cut < 0 ? path : path.slice(cut + 1) }
}

export const lanes: Record<Task['lane'], string> = { transfer: 'Transfer', convert: 'Convert' }

const COUNT_WORDS: [TaskStatus, string][] = [
  ['active', 'running'],
  ['pending', 'pending'],
  ['ok', 'done'],
  ['skip', 'skipped'],
  ['fail', 'failed'],
  ['cancelled', 'cancelled'],
]

/** "2 running · 40 pending · 300 done · 3 failed": the states a batch's tasks are in. */
export function countsText(b: Batch): { status: TaskStatus; text: string }[] {
  return COUNT_WORDS.filter(([s]) => b.counts[s] > 0).map(([s, w]) => ({
    status: s,
    text: `${b.counts[s].toLocaleString('en-US')} ${w}`,
  }))
}

export function totalOf(b: Batch): number {
  return Object.values(b.counts).reduce((a, c) => a + c, 0)
}

export function finishedOf(b: Batch): number {
  return b.counts.ok + b.counts.skip + b.counts.fail + b.counts.cancelled
}
