// What the tray shows, as a value: the icon's state, the tooltip and the menu, computed from the same
// progress events the window shows and the profiles' status. Pure (no electron), so each state and
// each menu item is tested without a tray; tray.ts turns it into Electron's Tray and Menu.
import type { QueueProgress } from '../../shared/model'
import type { ProfileStatus } from '../../shared/sync-status'

export type TrayIconState = 'idle' | 'syncing' | 'paused' | 'error'

/** What a menu item does when clicked; tray.ts maps each to the engine call or the window. */
export type TrayAction =
  | { kind: 'open' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'sync'; profile: string }
  | { kind: 'quit' }

export interface TrayMenuItem {
  label: string
  enabled: boolean
  action?: TrayAction
  submenu?: TrayMenuItem[]
  separator?: true
}

export interface TrayModel {
  icon: TrayIconState
  tooltip: string
  menu: TrayMenuItem[]
}

/**
 * Where the current run started: the bytes already done (finished tasks stay in the queue until
 * cleared), so the percent is of what this run has to do, not of the queue's whole history.
 */
export interface RunBaseline {
  bytesDone: number
}

export interface TrayInput {
  progress: QueueProgress | null
  profiles: ProfileStatus[]
  baseline: RunBaseline
}

const SEPARATOR: TrayMenuItem = { label: '', enabled: true, separator: true }

/** Tasks still to run: what Quit asks about and what makes the icon "syncing". */
export function tasksLeft(progress: QueueProgress | null): number {
  return progress ? progress.counts.active + progress.counts.pending : 0
}

/**
 * The baseline follows the queue while nothing runs, and stays put during a run, so the percent
 * counts from where the run began.
 */
export function nextBaseline(prev: RunBaseline, progress: QueueProgress | null): RunBaseline {
  if (!progress) return prev
  return tasksLeft(progress) === 0 ? { bytesDone: progress.bytesDone } : prev
}

/** The percent of this run's bytes done, 0–100 (whole numbers; 99 until everything is done). */
export function runPercent(progress: QueueProgress, baseline: RunBaseline): number {
  const todo = progress.bytesTotal - baseline.bytesDone
  if (todo <= 0) return 0
  const done = Math.max(0, progress.bytesDone - baseline.bytesDone)
  return Math.min(99, Math.floor((done / todo) * 100))
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

export function trayIconState(progress: QueueProgress | null): TrayIconState {
  if (!progress) return 'idle'
  if (progress.paused) return 'paused'
  if (tasksLeft(progress) > 0) return 'syncing'
  return progress.counts.fail > 0 ? 'error' : 'idle'
}

export function trayTooltip(progress: QueueProgress | null, baseline: RunBaseline): string {
  if (!progress) return 'Ferry'
  const left = tasksLeft(progress)
  const failed = progress.counts.fail > 0 ? `; ${plural(progress.counts.fail, 'task')} failed` : ''
  if (progress.paused) {
    return left > 0 ? `Ferry: paused, ${plural(left, 'task')} to run${failed}` : `Ferry: paused${failed}`
  }
  if (left > 0) {
    const waiting = progress.counts.active === 0 && progress.waitingFor.length > 0
    if (waiting) {
      const roots = [...new Set(progress.waitingFor.map((w) => w.root))].join(', ')
      return `Ferry: ${plural(left, 'task')} waiting for ${roots}${failed}`
    }
    return `Ferry: syncing ${runPercent(progress, baseline)}%, ${plural(left, 'task')} to run${failed}`
  }
  if (progress.counts.fail > 0) return `Ferry: ${plural(progress.counts.fail, 'task')} failed`
  return 'Ferry: idle'
}

/** One "Sync now" entry: greyed while its device is absent or a sync of it is already under way. */
function syncItem(p: ProfileStatus): TrayMenuItem {
  const action: TrayAction = { kind: 'sync', profile: p.profile }
  if (!p.present) return { label: `${p.profile} (not connected)`, enabled: false, action }
  if (p.current) return { label: `${p.profile} (${p.current.state})`, enabled: false, action }
  return { label: p.profile, enabled: true, action }
}

export function trayMenu(progress: QueueProgress | null, profiles: ProfileStatus[]): TrayMenuItem[] {
  const paused = progress?.paused ?? false
  const syncs = profiles.length
    ? profiles.map(syncItem)
    : [{ label: 'No sync profiles yet', enabled: false } satisfies TrayMenuItem]
  return [
    { label: 'Open Ferry', enabled: true, action: { kind: 'open' } },
    SEPARATOR,
    paused
      ? { label: 'Resume', enabled: true, action: { kind: 'resume' } }
      : { label: 'Pause', enabled: true, action: { kind: 'pause' } },
    { label: 'Sync now', enabled: true, submenu: syncs },
    SEPARATOR,
    { label: 'Quit Ferry', enabled: true, action: { kind: 'quit' } },
  ]
}

export function trayModel({ progress, profiles, baseline }: TrayInput): TrayModel {
  return {
    icon: trayIconState(progress),
    tooltip: trayTooltip(progress, baseline),
    menu: trayMenu(progress, profiles),
  }
}
