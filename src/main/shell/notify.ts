// Desktop notifications: one per finished batch (the engine's batch.finished), when the
// ui.notifications setting is on; clicking one shows the window on the view that holds the batch.
import { Notification } from 'electron'
import type { BatchFinished } from '../../shared/model'
import type { ShellRequest } from '../../shared/ipc'
import { notificationText } from './notification-text'
import type { ShellEngine } from './tray'

export interface NotifyOptions {
  engine: ShellEngine
  /** Shows the window and sends the page a request (SHELL_CHANNEL). */
  show(request: ShellRequest): void
  /** The app icon shown beside the text (Linux, Windows). */
  icon?: string
}

/** What a click on a batch's notification asks the page to show. */
export function showRequestFor(b: BatchFinished): ShellRequest {
  return b.profile !== null
    ? { kind: 'show', view: 'sync', batchId: b.batchId, profile: b.profile }
    : { kind: 'show', view: 'queue', batchId: b.batchId }
}

export function startNotifications(opts: NotifyOptions): () => void {
  // Electron drops a notification's click handler when the object is garbage-collected: keep each
  // one until it is clicked or closed.
  const live = new Set<Notification>()

  const notify = async (b: BatchFinished) => {
    const settings = await opts.engine.api.invoke('settings.get')
    if (!settings['ui.notifications'] || !Notification.isSupported()) return
    const text = notificationText(b)
    const n = new Notification({ ...text, ...(opts.icon ? { icon: opts.icon } : {}) })
    live.add(n)
    n.on('click', () => {
      live.delete(n)
      opts.show(showRequestFor(b))
    })
    n.on('close', () => live.delete(n))
    n.show()
  }

  return opts.engine.subscribe((name, payload) => {
    if (name === 'batch.finished') notify(payload as BatchFinished).catch(() => undefined)
  })
}
