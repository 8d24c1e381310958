// What a notification says when a batch ends: pure, so every wording is tested without a desktop.
// One notification per batch (a sync run, a drop, a CLI call), never one per file.
import type { BatchFinished } from '../../shared/model'

export interface NotificationText {
  title: string
  body: string
}

const count = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** "120 files copied, 3 skipped, 1 cancelled": the parts that are not zero (failures are in the title). */
function tally(c: BatchFinished['counts']): string {
  const parts = [
    c.ok > 0 ? `${count(c.ok, 'file')} copied` : '',
    c.skip > 0 ? `${c.skip.toLocaleString('en-US')} skipped` : '',
    c.cancelled > 0 ? `${c.cancelled.toLocaleString('en-US')} cancelled` : '',
  ].filter(Boolean)
  return parts.join(', ')
}

/**
 * Success: "Synced Card" / "120 files copied, 3 skipped". Failure: "Sync of Card finished with 2
 * failures" / "118 files copied, 3 skipped. Click to see what failed." A drop or a CLI call is named
 * by its batch's label ("copy Album → /media/card").
 */
export function notificationText(b: BatchFinished): NotificationText {
  const { counts } = b
  const what = b.profile !== null ? `Sync of ${b.profile}` : b.label
  if (counts.fail > 0) {
    const rest = tally(counts)
    return {
      title: `${what} finished with ${count(counts.fail, 'failure')}`,
      body: `${rest ? `${rest}. ` : ''}Click to see what failed.`,
    }
  }
  const nothingRan = counts.ok === 0 && counts.skip === 0
  if (nothingRan && counts.cancelled > 0) {
    return { title: `${what} cancelled`, body: `${count(counts.cancelled, 'task')} cancelled` }
  }
  return {
    title: b.profile !== null ? `Synced ${b.profile}` : `Done: ${b.label}`,
    body: tally(counts) || 'Nothing to copy: everything was already there',
  }
}

/** One line, as a toast or a log would show it: "Synced Card: 120 files copied, 3 skipped". */
export function notificationLine(b: BatchFinished): string {
  const t = notificationText(b)
  return `${t.title}: ${t.body}`
}
