// Plain data types shared by every side. No node, electron or DOM imports.
import type { PresetSpec } from './presets'

export type EngineKind = 'desktop' | 'serve' | 'cli' | 'test'

export interface AudioEncoder {
  /** ffmpeg's encoder name, e.g. `libmp3lame`. */
  name: string
  /** Codec the encoder produces, e.g. `mp3` (same as name when ffmpeg does not say). */
  codec: string
  description: string
}

export type FfmpegSource = 'setting' | 'env' | 'bundled' | 'path'

/** What became of one ffmpeg Ferry found: chosen, or why it was passed over. */
export type FfmpegVerdict =
  | 'chosen'
  /** Nothing at that path. */
  | 'missing'
  /** A file that may not be run (no execute permission, or a folder). */
  | 'not-executable'
  /** It did not run, or did not answer as ffmpeg does. */
  | 'failed'
  /** Older than the oldest ffmpeg Ferry supports. */
  | 'too-old'
  /** It lacks an encoder one of Ferry's codecs needs. */
  | 'lacks-encoders'
  /** It works, but another one is newer. */
  | 'older'
  /** It works, but the path set in Settings comes first. */
  | 'overridden'
  /** The same file as a candidate listed before it. */
  | 'duplicate'

export interface FfmpegCandidateInfo {
  path: string
  source: FfmpegSource
  verdict: FfmpegVerdict
  /** The verdict in words: "not found", "older than the one chosen", "lacks libopus"… */
  reason: string
  /** As it prints it ("5.1.9-0+deb12u1", "N-47683-g0e8eb07980-static"); null when it did not run. */
  version: string | null
  /** The release line, from its libavutil ("4.x"), with the build year when it prints one. */
  release: string | null
  /** Encoders Ferry's codecs need that it lacks. */
  missingEncoders: string[]
}

export type FfmpegInfo =
  | {
      ok: true
      path: string
      source: FfmpegSource
      version: string
      encoders: AudioEncoder[]
      /** Why this one: "the newest of 2 that run and have every encoder Ferry uses". */
      reason: string
      /** Every candidate, in the order found (setting, FFMPEG_PATH, bundled, PATH), the chosen one among them. */
      candidates: FfmpegCandidateInfo[]
    }
  | { ok: false; error: string; tried: string[]; candidates: FfmpegCandidateInfo[] }

export interface SystemInfo {
  appVersion: string
  platform: string
  arch: string
  nodeVersion: string
  electronVersion: string | null
  engineKind: EngineKind
  dataDir: string
  databasePath: string
  ffmpeg: FfmpegInfo
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface EngineLog {
  level: LogLevel
  message: string
  at: number
}

// ─── Queue ──────────────────────────────────────────────────────────────────────────────────────────

export const TASK_STATUSES = ['pending', 'active', 'ok', 'skip', 'fail', 'cancelled'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

export const LANES = ['transfer', 'convert'] as const
export type Lane = (typeof LANES)[number]

export type TaskType = 'copy' | 'move' | 'delete' | 'convert' | 'echo' | 'sleep' | 'fail'
export type OverwritePolicy = 'skip' | 'overwrite' | 'keep-both'

/** Options of a task that its operation reads (stored as JSON). */
export interface TaskSpec {
  overwrite?: OverwritePolicy
  /** sleep: how long; echo/fail: the message. */
  ms?: number
  message?: string
  /** convert: the preset as it was when the task was queued (later edits do not change queued work). */
  preset?: { name: string; hash: string; spec: PresetSpec; extension: string | null }
  /** A sync's task: recorded in (or removed from) the profile's index when it ends. */
  sync?: SyncMark
  /** convert: leave cover art out whatever the preset says. */
  removeArt?: boolean
  /**
   * A convert's follow-up whose source is Ferry's own finished output (an encode written, synced and
   * renamed into the transcode cache): nobody writes it any more, so its copy does not first wait
   * for it to be FRESH_MS old (ops/source.ts). Its identity is still compared before and after.
   */
  ownSource?: boolean
}

export interface Task {
  id: number
  batchId: number
  parentId: number | null
  type: TaskType
  lane: Lane
  status: TaskStatus
  priority: number
  src: string | null
  dst: string | null
  /** The destination root the task writes into (or deletes inside); it waits while the root is missing. */
  root: string | null
  spec: TaskSpec
  attempts: number
  maxAttempts: number
  runAfter: number
  /** Why a pending task is not running: "destination" while its root is missing, "paused"… */
  waiting: string | null
  bytesTotal: number
  bytesDone: number
  error: string | null
  result: string | null
  dependsOn: number[]
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
}

export interface Batch {
  id: number
  label: string
  createdAt: number
  /** Paused on its own (batch.pause): none of its tasks starts until it resumes. */
  paused: boolean
  counts: Record<TaskStatus, number>
  /** With a filter (queue.batches with status or search): how many of its tasks pass it. */
  matching?: number
}

/**
 * A batch (a drop, a CLI call, a sync run) has no task left to run: every task ended ok, skipped,
 * failed or cancelled. Emitted once per batch; desktop notifications and the web UI's toasts use it.
 */
export interface BatchFinished {
  batchId: number
  label: string
  /** The profile whose sync this batch was, or null for a drop or a CLI call. */
  profile: string | null
  /** Top-level tasks by final state (a convert's follow-up move is not a second file). */
  counts: { ok: number; skip: number; fail: number; cancelled: number }
  at: number
}

export const TRIGGER_KINDS = ['device', 'change', 'interval'] as const
export type TriggerKind = (typeof TRIGGER_KINDS)[number]

/**
 * A sync trigger fired for a profile, and what came of it: a run started, or why none did
 * (already running or queued, queue paused, backing off after a failure, device absent, refused).
 */
export interface TriggerFired {
  profile: string
  trigger: TriggerKind
  /** What was seen: "card appeared at /media/u/CARD", "12 changes in the library", "every 30 min". */
  detail: string
  outcome: 'started' | 'skipped' | 'failed'
  /** Why it was skipped or failed; the batch it started otherwise. */
  reason: string | null
  batchId: number | null
  at: number
}

export interface WorkerState {
  lane: Lane
  slot: number
  pid: number | null
  taskId: number | null
  task: string | null
  bytesDone: number
  bytesTotal: number
}

export interface QueueProgress {
  paused: boolean
  counts: Record<TaskStatus, number>
  total: number
  bytesTotal: number
  bytesDone: number
  /** Bytes a second over the last few seconds. */
  rate: number
  /** Seconds until the remaining bytes are done at the current rate; null when unknown. */
  eta: number | null
  workers: WorkerState[]
  /** Destinations that are not there (or not the device they were), with the tasks waiting for them. */
  waitingFor: WaitingFor[]
}

/**
 * Why a destination root is not the one a batch recorded: not there; another filesystem where it was
 * (an empty mount point); its sync marker is gone (another card, or a reformatted one); or it is full.
 */
export type DestinationProblem = 'absent' | 'other-device' | 'no-marker' | 'full'

export interface WaitingFor {
  batchId: number
  root: string
  tasks: number
  problem: DestinationProblem
}

/** "waiting for /media/card (unplugged?)": what a waiting batch is told, in every client. */
export function waitingMessage(w: Pick<WaitingFor, 'root' | 'problem'>): string {
  if (w.problem === 'no-marker')
    return `waiting for ${w.root} (the device there is not the one this sync writes to: its .ferry-profile.json is missing)`
  if (w.problem === 'other-device')
    return `waiting for ${w.root} (unplugged? another filesystem is there now)`
  return `waiting for ${w.root} (unplugged?)`
}

export interface EnqueueResult {
  batchId: number
  tasks: number
  bytes: number
  /** Files left out by include/exclude. */
  filtered: number
  /** What could not be copied at all (FIFOs, sockets, devices, links to them), each with why. */
  leftOut: LeftOut[]
}

export interface LeftOut {
  path: string
  reason: string
}

export interface TaskPage {
  tasks: Task[]
  total: number
  offset: number
  limit: number
}

export interface CacheStats {
  dir: string
  entries: number
  bytes: number
  maxBytes: number
}

export interface FerrySettings {
  'cache.maxBytes': number
  'convert.stallSeconds': number
  'workers.convert': number
  'workers.transfer': number
  ffmpegPath: string | null
  /** Desktop: closing the window keeps Ferry in the tray (working the queue). */
  'ui.closeToTray': boolean
  /** Desktop: start Ferry (in the tray) when the user logs in. */
  'ui.startAtLogin': boolean
  /** Desktop: a notification when a batch or a sync ends. */
  'ui.notifications': boolean
  /** The UI's colours: follow the OS, or always light or dark. */
  'ui.theme': UiTheme
  /**
   * Folders where removable devices appear, watched for a profile's card (device trigger); null for
   * the platform's (/media/$USER, /run/media/$USER, /media, /mnt; /Volumes; drive letters).
   * FERRY_MOUNT_ROOTS overrides it for one engine.
   */
  mountRoots: string[] | null
}

export const UI_THEMES = ['system', 'light', 'dark'] as const
export type UiTheme = (typeof UI_THEMES)[number]

/** What a sync task carries so that its completion updates `sync_index` in the same transaction. */
export interface SyncMark {
  profileId: number
  /** Relative to the destination root, `/`-separated. */
  dst: string
  src?: string
  srcSize?: number
  srcMtime?: number
  /** The preset hash of an encode, 'copy', or a rewritten playlist's content hash. */
  madeBy?: string
  /** A delete: the row goes with the file. */
  remove?: boolean
}
