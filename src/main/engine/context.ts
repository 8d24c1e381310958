import type { z } from 'zod'
import type { settingsInput } from '../../shared/contract'
import type { EngineKind, FfmpegInfo } from '../../shared/model'
import type { TriggerStatus } from '../../shared/sync-status'
import type { TranscodeCache } from './convert/cache'
import type { PresetStore } from './convert/presets'
import type { ProfileStore } from './sync/profiles'
import type { SyncService } from './sync/service'
import type { Db } from './db/open'
import type { SettingsStore } from './db/settings'
import type { EventBus } from './events'
import type { Dispatcher } from './queue/dispatcher'
import type { Queue } from './queue/queue'

/** What handlers get to work with. */
export interface EngineContext {
  kind: EngineKind
  dataDir: string
  databasePath: string
  db: Db
  settings: SettingsStore
  events: EventBus
  queue: Queue
  dispatcher: Dispatcher
  presets: PresetStore
  cache: TranscodeCache
  profiles: ProfileStore
  sync: SyncService
  /** A profile's trigger firings and what its triggers do now (sync.status). */
  triggers(profile: string): TriggerStatus
  ffmpeg(): Promise<FfmpegInfo>
  /** Starts working the queue if this engine was opened without work (idempotent). */
  startWork(): Promise<void>
  /** Applies changed settings to what runs (worker counts, the ffmpeg in use). */
  settingsChanged(change: z.output<typeof settingsInput>): void
}
