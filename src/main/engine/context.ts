import type { EngineKind, FfmpegInfo } from '../../shared/model'
import type { Db } from './db/open'
import type { Settings } from './db/settings'
import type { EventBus } from './events'

/** What handlers get to work with. */
export interface EngineContext {
  kind: EngineKind
  dataDir: string
  databasePath: string
  db: Db
  settings: Settings
  events: EventBus
  ffmpeg(): Promise<FfmpegInfo>
}
