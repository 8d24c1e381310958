import type { Db } from '../db/open'
import type { SettingsStore } from '../db/settings'

/** How many recent sources and destinations are remembered. */
export const RECENT_MAX = 12

const SOURCES = 'recent.sources'
const DESTINATIONS = 'recent.destinations'

function push(settings: SettingsStore, key: string, paths: string[]): void {
  const before = settings.get<string[]>(key) ?? []
  const next = [...new Set([...paths, ...before])].slice(0, RECENT_MAX)
  settings.set(key, next)
}

/** Remembers what an enqueue added and where it wrote, newest first (kept in the settings table). */
export function rememberTransfer(settings: SettingsStore, sources: string[], destination: string): void {
  push(settings, SOURCES, sources.slice(0, RECENT_MAX))
  push(settings, DESTINATIONS, [destination])
}

export function recentSources(settings: SettingsStore): string[] {
  return settings.get<string[]>(SOURCES) ?? []
}

/**
 * Where batches wrote, newest first: the destinations remembered at enqueue, then the roots batches
 * recorded (syncs and deletes too, and batches from before anything was remembered).
 */
export function recentDestinations(settings: SettingsStore, db: Db): string[] {
  const roots = db
    .prepare('SELECT root FROM batches WHERE root IS NOT NULL GROUP BY root ORDER BY max(id) DESC LIMIT ?')
    .pluck()
    .all(RECENT_MAX * 2) as string[]
  return [...new Set([...(settings.get<string[]>(DESTINATIONS) ?? []), ...roots])]
}
