// A card's automatic syncs: which triggers are on, what the newest firing did ("Device appeared at
// /media/u/CARD — synced · 2 min ago"), and the engine's note on what it watches.
import { Zap } from 'lucide-react'
import type { TriggerFired } from '../../../../shared/model'
import type { Profile } from '../../../../shared/profiles'
import type { ProfileStatus } from '../../../../shared/sync-status'
import { formatTime } from '../../components/format'
import { timeAgo, useNow } from '../../components/useNow'

/** "when plugged in · on library change · every 30 min": the triggers that are on. */
export function triggersOn(p: Profile): string[] {
  const t = p.triggers
  return [
    t.onDevicePlugged ? 'when plugged in' : '',
    t.onLibraryChange ? 'on library change' : '',
    t.intervalMinutes !== null ? `every ${t.intervalMinutes} min` : '',
  ].filter(Boolean)
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
/** A reason as part of a sentence: "A sync of…" → "a sync of…" (not "SD card…"), no final period. */
const inline = (s: string) =>
  (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s).replace(/\.$/, '')

/** What was seen: "Device appeared at /media/u/CARD", "12 changes in the library", "Scheduled (every 30 min)". */
export function firingWhat(f: TriggerFired): string {
  return f.trigger === 'interval' ? `Scheduled (${f.detail})` : capital(f.detail)
}

/** What came of it: "synced", "syncing", "sync started", "skipped: …", "failed: …". */
export function firingOutcome(f: TriggerFired, status: ProfileStatus | undefined): string {
  if (f.outcome === 'skipped') return f.reason ? `skipped: ${inline(f.reason)}` : 'skipped'
  if (f.outcome === 'failed') return f.reason ? `failed: ${inline(f.reason)}` : 'failed'
  if (f.batchId !== null && status?.current?.batchId === f.batchId) return 'syncing'
  if (f.batchId !== null && status?.lastRun?.batchId === f.batchId) {
    const fails = status.lastRun.counts.fail
    return fails ? `synced with ${fails} failure${fails === 1 ? '' : 's'}` : 'synced'
  }
  return 'sync started'
}

/**
 * Engine notes that call for attention (these follow src/main/engine/triggers/status-note.ts): the
 * library cannot be watched, the last sync failed, the queue is paused.
 */
const NOTE_WARNS = /cannot watch|failed|paused/i

export function CardTriggers({ profile, status }: { profile: Profile; status: ProfileStatus | undefined }) {
  const now = useNow()
  const on = triggersOn(profile)
  const last = status?.triggers.recent[0]
  const note = status?.triggers.note
  if (!on.length && !last) return null
  return (
    <div className="sync-triggers" data-testid="sync-triggers">
      <p className="sync-auto">
        <Zap size={13} aria-hidden className="sync-auto-icon" />
        <span>
          <span className="muted">Syncs by itself: </span>
          {on.length ? on.join(' · ') : 'off'}
        </span>
      </p>
      {last && (
        <p className={`sync-fired ${last.outcome === 'failed' ? 'bad' : ''}`} data-testid="last-trigger">
          {firingWhat(last)} — {firingOutcome(last, status)}
          <span className="muted">
            {' · '}
            <time dateTime={new Date(last.at).toISOString()} title={new Date(last.at).toLocaleString()}>
              {timeAgo(last.at, now, formatTime)}
            </time>
          </span>
        </p>
      )}
      {note && on.length > 0 && (
        <p className={`sync-trigger-note ${NOTE_WARNS.test(note) ? 'warn' : 'muted'}`}>{note}</p>
      )}
    </div>
  )
}
