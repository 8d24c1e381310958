// The CLI's side of sync triggers: the flags of `ferry profile add|set` and what `ferry profile
// show` prints about them.
import { FerryError } from '../../shared/errors'
import type { TriggerFired } from '../../shared/model'
import type { Profile } from '../../shared/profiles'
import type { TriggerStatus } from '../../shared/sync-status'

export interface TriggerFlags {
  onDevice?: boolean
  onChange?: boolean
  /** Minutes between syncs while the device is there; 0 turns the interval off. */
  every?: number
}

/** The profile's triggers with the flags applied (what was not given stays as it was). */
export function applyTriggerFlags(
  current: Profile['triggers'] | undefined,
  o: TriggerFlags,
): Profile['triggers'] {
  const base = current ?? { intervalMinutes: null, onLibraryChange: false, onDevicePlugged: false }
  if (o.every !== undefined && o.every !== 0 && (o.every < 5 || o.every > 10_080))
    throw new FerryError(
      'invalid_input',
      `--every is a number of minutes from 5 to 10080 (a week), or 0 to turn the interval off (got ${o.every}).`,
    )
  return {
    onDevicePlugged: o.onDevice ?? base.onDevicePlugged,
    onLibraryChange: o.onChange ?? base.onLibraryChange,
    intervalMinutes: o.every === undefined ? base.intervalMinutes : o.every === 0 ? null : o.every,
  }
}

export function hasTriggerFlags(o: TriggerFlags): boolean {
  return o.onDevice !== undefined || o.onChange !== undefined || o.every !== undefined
}

/** "device plugged in, library changed, every 30 min", or "none (syncs only when asked)". */
export function describeTriggers(t: Profile['triggers']): string {
  const on = [
    t.onDevicePlugged && 'device plugged in',
    t.onLibraryChange && 'library changed',
    t.intervalMinutes !== null && `every ${t.intervalMinutes} min`,
  ].filter(Boolean)
  return on.length ? on.join(', ') : 'none (syncs only when asked)'
}

const stamp = (at: number) => {
  const d = new Date(at)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

/** One line per firing: when, which trigger, what came of it, and why. */
export function firingLine(f: TriggerFired): string {
  const outcome = f.outcome === 'started' && f.batchId !== null ? `started batch ${f.batchId}` : f.outcome
  return `${stamp(f.at)}  ${f.trigger.padEnd(8)} ${outcome}: ${f.detail}${f.reason ? ` — ${f.reason}` : ''}`
}

export function triggerLines(p: Profile, status: TriggerStatus | undefined): string[] {
  const lines = [`Triggers: ${describeTriggers(p.triggers)}`]
  if (status?.note) lines.push(`  ${status.note}`)
  if (status?.recent.length) {
    lines.push('Recent firings (newest first):')
    for (const f of status.recent) lines.push(`  ${firingLine(f)}`)
  } else if (status) lines.push('No trigger has fired yet.')
  return lines
}
