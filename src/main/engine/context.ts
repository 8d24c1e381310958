import type { EngineKind, FfmpegInfo } from '../../shared/model'
import type { Db } from './db/open'
import type { Settings } from './db/settings'
import type { EventBus } from './events'
import type { Dispatcher } from './queue/dispatcher'
import type { Queue } from './queue/queue'

/** What handlers get to work with. */
export interface EngineContext {
  kind: EngineKind
  dataDir: string
  databasePath: string
  db: Db
  settings: Settings
  events: EventBus
  queue: Queue
  dispatcher: Dispatcher
  ffmpeg(): Promise<FfmpegInfo>
}
