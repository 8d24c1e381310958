import type { z } from 'zod'
import type { settingsInput } from '../../../shared/contract'
import type { FerrySettings, Lane, UiTheme } from '../../../shared/model'
import { availableParallelism } from 'node:os'
import type { SettingsStore } from '../db/settings'

export const DEFAULT_STALL_SECONDS = 60
export const DEFAULT_CACHE_BYTES = 2 * 1024 ** 3

/** Worker processes a lane has unless the settings say otherwise: one encoder per core, one transfer. */
export const defaultWorkers = (lane: Lane): number => (lane === 'convert' ? availableParallelism() : 1)

/** Every user setting with its default filled in. */
export function readSettings(s: SettingsStore): FerrySettings {
  return {
    'cache.maxBytes': s.get<number>('cache.maxBytes') ?? DEFAULT_CACHE_BYTES,
    'convert.stallSeconds': s.get<number>('convert.stallSeconds') ?? DEFAULT_STALL_SECONDS,
    'workers.convert': s.get<number>('workers.convert') ?? defaultWorkers('convert'),
    'workers.transfer': s.get<number>('workers.transfer') ?? defaultWorkers('transfer'),
    ffmpegPath: s.get<string | null>('ffmpegPath') ?? null,
    'ui.closeToTray': s.get<boolean>('ui.closeToTray') ?? true,
    'ui.startAtLogin': s.get<boolean>('ui.startAtLogin') ?? false,
    'ui.notifications': s.get<boolean>('ui.notifications') ?? true,
    'ui.theme': s.get<UiTheme>('ui.theme') ?? 'system',
    mountRoots: s.get<string[] | null>('mountRoots') ?? null,
  }
}

export function writeSettings(s: SettingsStore, change: z.output<typeof settingsInput>): void {
  for (const [key, value] of Object.entries(change)) if (value !== undefined) s.set(key, value)
}
