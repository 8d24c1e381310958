// What the page says when background work ends: one toast per batch (a drop, a CLI call, a sync run),
// never one per file, from the engine's batch.finished event. A success fades; a failure stays until
// dismissed. In a browser tab the person may also allow system notifications (see ./notify).
import { create } from 'zustand'
import type { BatchFinished } from '../../../shared/model'
import { api } from '../api'
import { notifyBrowser } from './notify'
import type { ShowTarget } from './show'

export interface ToastItem {
  /** The batch it is about: one toast per batch (a batch that finishes again replaces its toast). */
  id: number
  tone: 'ok' | 'bad'
  title: string
  /** The batch's label in full (the title shortens its destination). */
  label: string
  body: string
  /** The view that shows it, and the button's words. */
  target: ShowTarget
  action: string
  open: boolean
  /** Bumped when the toast is replaced, so its fade timer starts again. */
  version: number
}

/** At most this many toasts are open; the oldest success goes first. */
export const MAX_TOASTS = 4
/** How long a success stays. */
export const SUCCESS_MS = 6000

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** "120 done, 3 skipped, 2 failed": the final states that occur. */
export function describeFinishedCounts(c: BatchFinished['counts']): string {
  const parts: string[] = []
  if (c.ok) parts.push(`${c.ok.toLocaleString('en-US')} done`)
  if (c.skip) parts.push(`${c.skip.toLocaleString('en-US')} skipped`)
  if (c.fail) parts.push(`${c.fail.toLocaleString('en-US')} failed`)
  if (c.cancelled) parts.push(`${c.cancelled.toLocaleString('en-US')} cancelled`)
  return parts.length ? parts.join(', ') : 'Nothing to do.'
}

/** "convert Album → /home/u/Music/Out/Card" → "convert Album → …/Out/Card": a toast is narrow. */
export function shortLabel(label: string): string {
  const at = label.lastIndexOf(' → ')
  if (at < 0) return label
  const dst = label.slice(at + 3)
  const parts = dst.split('/')
  return parts.length > 3 ? `${label.slice(0, at)} → …/${parts.slice(-2).join('/')}` : label
}

/**
 * The toast for a finished batch: "Synced Card" / "convert Album → /x finished with 2 failures", the
 * counts, and where to look (failures and plain batches: the Queue at that batch; a sync that went
 * well: its profile's card).
 */
export function describeFinished(b: BatchFinished): Omit<ToastItem, 'open' | 'version'> {
  const { fail, ok, skip, cancelled } = b.counts
  const label = shortLabel(b.label)
  const what = b.profile !== null ? `Sync of ${b.profile}` : label
  let title: string
  if (fail) title = `${what} finished with ${plural(fail, 'failure')}`
  else if (cancelled && !ok && !skip) title = `${what} cancelled`
  else title = b.profile !== null ? `Synced ${b.profile}` : `${label} finished`
  const sync = b.profile !== null && !fail
  return {
    id: b.batchId,
    tone: fail ? 'bad' : 'ok',
    title,
    label: b.label,
    body: describeFinishedCounts(b.counts),
    target: sync ? { view: 'sync', profile: b.profile! } : { view: 'queue', batchId: b.batchId },
    action: sync ? 'Show in Sync' : 'Show in Queue',
  }
}

interface ToastStore {
  toasts: ToastItem[]
  api: {
    /** A batch finished: its toast (and, in a browser tab that allows it, a system notification). */
    finished(b: BatchFinished): void
    /** Closes a toast (it fades, then is removed). */
    dismiss(id: number): void
  }
}

const REMOVE_AFTER_MS = 400

export const useToasts = create<ToastStore>((set, get) => ({
  toasts: [],
  api: {
    finished(b) {
      const item = describeFinished(b)
      const old = get().toasts.find((t) => t.id === item.id)
      let toasts = get().toasts.filter((t) => t.id !== item.id)
      toasts.push({ ...item, open: true, version: (old?.version ?? 0) + 1 })
      // Too many open: close the oldest success, else the oldest.
      const open = toasts.filter((t) => t.open)
      if (open.length > MAX_TOASTS) {
        const drop = open.find((t) => t.tone === 'ok') ?? open[0]!
        toasts = toasts.map((t) => (t === drop ? { ...t, open: false } : t))
        later(drop.id)
      }
      set({ toasts })
      notifyBrowser(item)
    },
    dismiss(id) {
      set({ toasts: get().toasts.map((t) => (t.id === id ? { ...t, open: false } : t)) })
      later(id)
    },
  },
}))

/** A closed toast leaves the list once it has faded out. */
function later(id: number): void {
  setTimeout(() => {
    const toasts = useToasts.getState().toasts
    if (toasts.some((t) => t.id === id && !t.open))
      useToasts.setState({ toasts: toasts.filter((t) => t.id !== id || t.open) })
  }, REMOVE_AFTER_MS)
}

let listening = false

/** Listens to the engine (once, whatever view is open). */
export function startToasts(): void {
  if (listening) return
  listening = true
  api.on('batch.finished', (b) => useToasts.getState().api.finished(b))
}
