// Going to what something is about: a toast's button, a clicked browser notification and the
// desktop shell (its tray menu, its notifications) all ask for a view, maybe with a batch or a profile.
import type { ShellRequest } from '../../../shared/ipc'
import { shell } from '../api'
import { useQueueView } from '../views/Queue/store'
import { openAddSheet } from './drop'
import { useNav, type View } from './nav'
import { syncActions } from './sync'

export interface ShowTarget {
  view: View
  /** Queue: the batch to bring into view. */
  batchId?: number
  /** Sync: the profile whose card to bring into view. */
  profile?: string
}

/** Opens the view, and brings the batch (Queue) or the profile's card (Sync) into view. */
export function show(target: ShowTarget): void {
  useNav.getState().api.go(target.view)
  if (target.view === 'queue' && target.batchId !== undefined)
    useQueueView.getState().api.focusBatch(target.batchId)
  if (target.view === 'sync' && target.profile !== undefined) syncActions.focus(target.profile)
}

/** What the shell asks: paths handed over by a second launch go to the Add-to-queue sheet. */
export function handleShellRequest(request: ShellRequest): void {
  if (request.kind === 'add') openAddSheet(request.paths)
  else if (request.kind === 'show') show(request)
}

let listening = false

/** Desktop only (a no-op in a browser): listens to the shell, once. */
export function startShell(): void {
  if (listening || !shell) return
  listening = true
  shell.on(handleShellRequest)
}
