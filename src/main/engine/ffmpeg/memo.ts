// What each ffmpeg binary said when it was run, kept in the settings table between engines: a one-shot
// `ferry convert` would otherwise run every ffmpeg it finds twice before its first encode (≈ 80 ms
// each for a dynamically linked build). An entry is for one binary as it is (inspect.ts keys it by
// real path, size, mtime and inode) and lasts a day; setting the ffmpeg path (Settings → Test does)
// forgets them all, so a test runs ffmpeg for real.
import type { SettingsStore } from '../db/settings'
import type { Facts, FactsMemo } from './inspect'

const KEY = 'ffmpeg.facts'
const LASTS_MS = 24 * 60 * 60 * 1000

type Stored = Record<string, { at: number; facts: Facts }>

export function storedFacts(store: SettingsStore, now = () => Date.now()): FactsMemo & { clear(): void } {
  const fresh = (): Stored =>
    Object.fromEntries(
      Object.entries(store.get<Stored>(KEY) ?? {}).filter(([, v]) => now() - v.at < LASTS_MS),
    )
  return {
    get: (key) => fresh()[key]?.facts,
    set: (key, facts) => store.set(KEY, { ...fresh(), [key]: { at: now(), facts } }),
    clear: () => store.set(KEY, {}),
  }
}
