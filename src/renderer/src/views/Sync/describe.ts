// Words for what the Sync view shows: a run's counts, a profile's state, a plan's kinds.
import type { TaskStatus } from '../../../../shared/model'
import type { PlanKind, Profile } from '../../../../shared/profiles'
import type { ProfileStatus } from '../../../../shared/sync-status'

/** "12 done · 3 skipped · 1 failed": the states a finished run's tasks ended in, those that occur. */
export function describeCounts(counts: Record<TaskStatus, number>): string {
  const parts: string[] = []
  if (counts.ok) parts.push(`${counts.ok} done`)
  if (counts.skip) parts.push(`${counts.skip} skipped`)
  if (counts.fail) parts.push(`${counts.fail} failed`)
  if (counts.cancelled) parts.push(`${counts.cancelled} cancelled`)
  if (counts.pending + counts.active) parts.push(`${counts.pending + counts.active} left`)
  return parts.join(' · ') || 'nothing to do'
}

export type CardState = 'idle' | 'queued' | 'running' | 'waiting' | 'paused'

export const STATE_LABEL: Record<CardState, string> = {
  idle: 'Idle',
  queued: 'Queued',
  running: 'Syncing',
  waiting: 'Waiting for device',
  paused: 'Paused',
}

export function cardState(s: ProfileStatus | undefined): CardState {
  return s?.current?.state ?? 'idle'
}

export const KIND_LABEL: Record<PlanKind, string> = {
  convert: 'Convert',
  copy: 'Copy',
  delete: 'Delete',
  conflict: 'Conflicts',
  skip: 'Up to date',
}

/** What the card says of where the device stands. */
export function presenceText(s: ProfileStatus): string {
  if (s.presence === 'present' && s.foundAt)
    return `Device present at ${s.foundAt} (recognised by its marker)`
  if (s.presence === 'present')
    return s.destinationExists ? 'Device present' : 'Ready: the first sync makes the folder'
  if (s.presence === 'no-marker') return 'Not recognised: marker missing'
  return 'Device not found: is it plugged in and mounted?'
}

/**
 * The profile's settings in a line: "MP3 V0 preset · FAT32 names · mirror deletions · covers" (its
 * triggers have their own line: Triggers.tsx).
 */
export function describeProfile(p: Profile): string {
  const parts = [`${p.preset} preset`, `${p.naming.toUpperCase()} names`]
  parts.push(p.delete === 'mirror' ? 'mirrors deletions' : 'never deletes')
  parts.push(p.nonAudio === 'covers' ? 'covers' : p.nonAudio === 'all' ? 'all non-audio files' : 'audio only')
  if (p.include.length) parts.push(`only ${p.include.join(', ')}`)
  if (p.exclude.length) parts.push(`not ${p.exclude.join(', ')}`)
  if (p.includeGlobs.length || p.excludeGlobs.length) parts.push('patterns')
  return parts.join(' · ')
}
