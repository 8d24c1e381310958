// The sentence the Sync view and `ferry profile show` give about a profile's triggers: what is
// watched, where the device is, and what holds a sync back.
import type { Profile } from '../../../shared/profiles'
import type { ProfileTriggers } from './profile-triggers'

export interface NoteContext {
  roots: string[]
  paused: boolean
  fallbackMs: number
  now: number
}

const hhmm = (t: number) => new Date(t).toTimeString().slice(0, 5)

/** Null when no trigger is on. `armed` is undefined in an engine that runs no triggers (a CLI command). */
export function describeStatus(
  profile: Profile,
  armed: ProfileTriggers | undefined,
  ctx: NoteContext | null,
): string | null {
  const t = profile.triggers
  const on = [
    t.onDevicePlugged && 'device plugged in',
    t.onLibraryChange && 'library changed',
    t.intervalMinutes !== null && `every ${t.intervalMinutes} min`,
  ].filter(Boolean)
  if (!on.length) return null
  if (!armed || !ctx) return `Triggers (${on.join(', ')}) act while Ferry runs (the app or ferry serve).`
  if (armed.found === undefined) return 'Starting to watch…'
  const parts: string[] = []
  const at = armed.location()
  if (at) parts.push(at === profile.destination ? 'The device is there' : `The device is at ${at}`)
  else if (t.onDevicePlugged || t.intervalMinutes !== null)
    parts.push(
      `Waiting for the device under ${ctx.roots.join(', ') || 'no mount root'} or at ${profile.destination}`,
    )
  if (t.onLibraryChange) {
    if (armed.watchFailure)
      parts.push(
        `Cannot watch the library (${armed.watchFailure}): it is checked every ${Math.round(ctx.fallbackMs / 60_000)} minutes instead`,
      )
    else if (armed.watchedFolders === null) parts.push('Setting up the watch of the library')
    else parts.push(`Watching ${armed.watchedFolders.toLocaleString('en')} folders of the library`)
  }
  if (t.intervalMinutes !== null)
    parts.push(`A sync every ${t.intervalMinutes} minutes while the device is there`)
  if (armed.backoff.active(ctx.now))
    parts.push(`The last sync failed: triggers wait until ${hhmm(armed.backoff.until)}`)
  if (armed.held?.waitFor === 'resume' || (ctx.paused && armed.held))
    parts.push('The queue is paused: a sync waits for it to resume')
  return `${parts.join('. ')}.`
}
