// The one typed contract between the engine and every client (renderer, CLI, web UI).
// A command is an input schema (zod, validated once, in the engine's handler table) and an output
// type; an event is a payload type. Adding a command takes one entry here and one handler in the
// engine: the transports (IPC, WebSocket, in-process) carry names and values and know nothing else.
import { z } from 'zod'
import {
  type Batch,
  type BatchFinished,
  type TriggerFired,
  type EngineLog,
  type EnqueueResult,
  LANES,
  type QueueProgress,
  type SystemInfo,
  TASK_STATUSES,
  type Task,
  UI_THEMES,
  type TaskPage,
  type CacheStats,
  type FerrySettings,
} from './model'
import { type Preset, presetName, presetSpecShape } from './presets'
import { absolutePath, extension } from './schemas'
import type { ConvertArgs, EnqueuePreview, FolderListing, FolderScan, PathInfo, Places } from './browse'
import {
  PLAN_KINDS,
  type Profile,
  profileChanges,
  profileFields,
  profileName,
  type SyncPlan,
  type SyncRunResult,
} from './profiles'
import type { ProfileStatus } from './sync-status'

/** A command: its input schema, and its output type carried as a phantom. */
export interface CommandSpec<I extends z.ZodType, O> {
  input: I
  /** Never set: only here so the output type travels with the entry. */
  readonly output?: O
}

export interface EventSpec<P> {
  /**
   * Coalesced events are rate limited per client (at most 10 messages a second); only the latest
   * payload per key survives a window. Others are delivered as they happen.
   */
  coalesce: boolean
  readonly payload?: P
}

const command =
  <O>() =>
  <I extends z.ZodType>(input: I): CommandSpec<I, O> => ({ input })

const event = <P>(coalesce = false): EventSpec<P> => ({ coalesce })

/** An input that takes no fields: `{}` (or nothing at all); anything else is refused. */
const noInput = z.object({}).strict()

export { absolutePath }

/**
 * Every path the contract takes: absolute, without NUL bytes, and no longer than a path can be (Linux's
 * PATH_MAX), so that a megabyte of "path" is refused here rather than stored, or joined onto every file
 * of a tree. The descriptions name what a field allows in refusals (src/shared/input-errors.ts).
 */
const path = absolutePath.max(4096).describe('an absolute path of at most 4096 characters')
z.globalRegistry.add(presetName, {
  description: 'a preset name (1–40 lower-case letters, digits, ".", "_" or "-")',
})
z.globalRegistry.add(profileName, {
  description: 'a profile name (1–60 letters, digits, spaces, ".", "_" or "-")',
})
z.globalRegistry.add(extension, { description: 'a file extension such as "flac"' })
/** A profile's source folders and destination, with the same bounds on paths. */
const profilePaths = {
  sources: z.array(path).min(1, 'at least one source folder is required').max(50),
  destination: path,
}

/** One file or folder name (what a browser hands over of a drop): no "/", no NUL, not "." or "..". */
const entryName = z
  .string()
  .min(1)
  .max(255)
  .refine((n) => !/[/\0]/.test(n) && n !== '.' && n !== '..', 'a name may not contain "/" or be "." or ".."')
  .describe('a file or folder name (1–255 characters, no "/")')

const priority = z.number().int().min(-1000).max(1000)
const taskId = z.number().int().positive()
/** What copy, move and convert take alike. */
const transferFields = {
  sources: z.array(path).min(1, 'at least one source is required').max(10_000),
  destination: path,
  overwrite: z.enum(['skip', 'overwrite', 'keep-both']).default('skip'),
  priority: priority.default(100),
  label: z.string().max(200).optional(),
  include: z.array(extension).max(100).default([]),
  exclude: z.array(extension).max(100).default([]),
}

const copyOrMoveInput = z
  .object({
    mode: z.enum(['copy', 'move']),
    ...transferFields,
  })
  .strict()
const convertInput = z
  .object({
    mode: z.literal('convert'),
    ...transferFields,
    preset: presetName.default('mp3-v0'),
    /** Leave cover art out whatever the preset says. */
    removeArt: z.boolean().default(false),
  })
  .strict()

/** What queue.preview takes: the input of a copy, move or convert enqueue. */
export const previewInput = z.discriminatedUnion('mode', [copyOrMoveInput, convertInput])

export const enqueueInput = z.discriminatedUnion('mode', [
  copyOrMoveInput,
  convertInput,
  z
    .object({
      mode: z.literal('delete'),
      paths: z.array(path).min(1).max(10_000),
      /** Deletion happens only inside this folder. */
      root: path,
      priority: priority.default(100),
      label: z.string().max(200).optional(),
    })
    .strict(),
  z
    .object({
      mode: z.enum(['echo', 'sleep', 'fail']),
      count: z.number().int().min(1).max(100_000).default(1),
      ms: z.number().int().min(0).max(3_600_000).default(0),
      message: z.string().max(1000).default(''),
      lane: z.enum(LANES).default('transfer'),
      priority: priority.default(100),
      maxAttempts: z.number().int().min(1).max(20).default(1),
      label: z.string().max(200).optional(),
    })
    .strict(),
])

export const settingsInput = z
  .object({
    /** The transcode cache's size limit in bytes; 0 turns the cache off. */
    'cache.maxBytes': z
      .number()
      .int()
      .min(0)
      .max(2 ** 50),
    /** ffmpeg silent for this long is killed and its task fails. */
    'convert.stallSeconds': z.number().int().min(5).max(3600),
    'workers.convert': z.number().int().min(1).max(64),
    'workers.transfer': z.number().int().min(1).max(16),
    /** The ffmpeg to use before any other; null to find one (FFMPEG_PATH, bundled, PATH). */
    ffmpegPath: path.nullable(),
    /** Acted on by the desktop app: closing the window keeps Ferry in the tray. */
    'ui.closeToTray': z.boolean(),
    /** Acted on by the desktop app: start (in the tray) at login. */
    'ui.startAtLogin': z.boolean(),
    /** Acted on by the desktop app: notify when a batch or a sync ends. */
    'ui.notifications': z.boolean(),
    'ui.theme': z.enum(UI_THEMES),
    /** Where removable devices appear (the device trigger watches them); null for the platform's. */
    mountRoots: z.array(path).max(32).nullable(),
  })
  .partial()
  .strict()

const status = z.enum(TASK_STATUSES)
const pathSearch = z.string().max(4096).describe('a piece of a path of at most 4096 characters')
const selector = z.union([
  z.object({ taskId }).strict(),
  z.object({ batchId: taskId }).strict(),
  z.object({ all: z.literal(true) }).strict(),
])

export const commands = {
  'system.info': command<SystemInfo>()(noInput),
  'queue.enqueue': command<EnqueueResult>()(enqueueInput),
  /** What a copy, move or convert enqueue would do (counts, bytes, conflicts, free space); writes nothing. */
  'queue.preview': command<EnqueuePreview>()(previewInput),
  'queue.list': command<TaskPage>()(
    z
      .object({
        status: z.array(status).max(TASK_STATUSES.length).optional(),
        batchId: taskId.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
        sort: z.enum(['queue', 'newest', 'oldest']).default('queue'),
        /** Only tasks whose source or destination path contains this (ASCII letters in either case). */
        search: pathSearch.optional(),
      })
      .strict(),
  ),
  /** The newest batches with their tasks counted by state; with a filter, `matching` counts what passes it. */
  'queue.batches': command<Batch[]>()(
    z
      .object({
        limit: z.number().int().min(1).max(1000).default(50),
        status: z.array(status).max(TASK_STATUSES.length).optional(),
        search: pathSearch.optional(),
      })
      .strict(),
  ),
  /** Pauses one batch: none of its tasks starts until batch.resume (its running tasks finish). */
  'batch.pause': command<Batch>()(z.object({ batchId: taskId }).strict()),
  'batch.resume': command<Batch>()(z.object({ batchId: taskId }).strict()),
  'queue.progress': command<QueueProgress>()(z.object({ batchId: taskId.optional() }).strict()),
  'queue.pause': command<QueueProgress>()(
    z.object({ now: z.boolean().default(false) }).strict(), // now: cancel running tasks and requeue them
  ),
  'queue.resume': command<QueueProgress>()(noInput),
  /**
   * Starts working the queue on an engine that was opened without work (a ferry command's own
   * engine, which another ferry command attached to and now waits on).
   */
  'queue.work': command<{ working: true }>()(noInput),
  'queue.flush': command<{ removed: number }>()(
    z
      .object({
        status: z
          .array(z.enum(['ok', 'skip', 'fail', 'cancelled']))
          .min(1)
          .max(4),
        /** Only this batch's tasks. */
        batchId: taskId.optional(),
      })
      .strict(),
  ),
  'task.get': command<Task>()(z.object({ taskId }).strict()),
  'task.cancel': command<{ cancelled: number }>()(selector),
  'task.retry': command<{ retried: number }>()(selector),
  'task.setPriority': command<Task>()(z.object({ taskId, priority }).strict()),
  'presets.list': command<Preset[]>()(noInput),
  'presets.get': command<Preset>()(z.object({ name: presetName }).strict()),
  /** A new preset: from a spec, or a duplicate of `from` with the spec's fields changed. */
  'presets.create': command<Preset>()(
    z
      .object({
        name: presetName,
        description: z.string().max(200).optional(),
        from: presetName.optional(),
        spec: presetSpecShape.partial().optional(),
      })
      .strict()
      .refine((p) => p.from !== undefined || p.spec?.codec !== undefined, {
        message: 'give a spec with a codec, or the preset to start from',
      }),
  ),
  'presets.update': command<Preset>()(
    z
      .object({
        name: presetName,
        rename: presetName.optional(),
        description: z.string().max(200).optional(),
        spec: presetSpecShape.partial().optional(),
      })
      .strict(),
  ),
  /** Refuses a preset that queued tasks use, unless `force` (they keep the settings they were queued with). */
  'presets.delete': command<{ deleted: string; inUse: number }>()(
    z.object({ name: presetName, force: z.boolean().default(false) }).strict(),
  ),
  /** The ffmpeg output arguments a preset encodes with, for an example source (a FLAC with a cover). */
  'convert.args': command<ConvertArgs>()(
    z.object({ preset: presetName, removeArt: z.boolean().default(false) }).strict(),
  ),
  'profiles.list': command<Profile[]>()(noInput),
  'profiles.get': command<Profile>()(z.object({ name: profileName }).strict()),
  'profiles.create': command<Profile>()(
    z.object({ name: profileName, ...profileFields, ...profilePaths }).strict(),
  ),
  'profiles.update': command<Profile>()(
    z
      .object({ name: profileName, rename: profileName.optional() })
      .extend(profileChanges.shape)
      .extend({ sources: profilePaths.sources.optional(), destination: profilePaths.destination.optional() })
      .strict(),
  ),
  /** Forgets the profile and its index; files it wrote stay on the device. */
  'profiles.delete': command<{ deleted: string; forgotten: number }>()(
    z.object({ name: profileName }).strict(),
  ),
  /** What a sync would do (scan + compare; nothing written). Page a plan already made with `planId`. */
  'sync.plan': command<SyncPlan>()(
    z
      .object({
        profile: profileName,
        planId: z
          .string()
          .regex(/^[0-9a-f]{12}$/)
          .describe('a plan id (12 hexadecimal digits, as sync.plan returned it)')
          .optional(),
        kinds: z.array(z.enum(PLAN_KINDS)).max(PLAN_KINDS.length).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(0).max(1000).default(100),
        /** Plan against a destination that has lost the profile's marker (the user says it is the device). */
        force: z.boolean().default(false),
      })
      .strict(),
  ),
  /**
   * Plans and enqueues a sync as one batch (deletes first). `force` starts one that does not fit, or
   * one whose destination has lost the profile's marker.
   */
  'sync.run': command<SyncRunResult>()(
    z
      .object({
        profile: profileName,
        dryRun: z.boolean().default(false),
        force: z.boolean().default(false),
        limit: z.number().int().min(0).max(1000).default(100),
      })
      .strict(),
  ),
  /**
   * Each profile's device (present, absent, or without its marker), its capacity (Ferry's files, other
   * files, free), its last sync and the one under way. Reload on queue.changed and profiles.changed.
   */
  'sync.status': command<ProfileStatus[]>()(noInput),
  'settings.get': command<FerrySettings>()(noInput),
  /** Changes some settings; returns them all. */
  'settings.set': command<FerrySettings>()(settingsInput),
  'cache.stats': command<CacheStats>()(noInput),
  'cache.clear': command<{ removed: number; bytes: number; kept: number }>()(noInput),
  /** A folder of the engine's machine: its subfolders, and the number and bytes of the files directly in it. */
  'fs.list': command<FolderListing>()(z.object({ path }).strict()),
  /** Where to start browsing (home, mounts, recent and profile folders); `near`: where dropped names are. */
  'fs.places': command<Places>()(z.object({ near: z.array(entryName).max(100).default([]) }).strict()),
  /** What each path is (file, folder, missing…) and whether it holds audio; never a file's contents. */
  'fs.stat': command<PathInfo[]>()(z.object({ paths: z.array(path).min(1).max(1000) }).strict()),
  /** A folder as a sync would see it: files, folders and bytes by a stat-only walk, what was left out. */
  'fs.scan': command<FolderScan>()(z.object({ path, includeHidden: z.boolean().default(false) }).strict()),
} as const

export const events = {
  'engine.log': event<EngineLog>(),
  /** The queue changed (tasks added, finished, reprioritised): clients refetch what they show. */
  'queue.changed': event<{ at: number }>(true),
  'queue.progress': event<QueueProgress>(true),
  /** A profile was created, changed or deleted: clients refetch profiles and their status. */
  'profiles.changed': event<{ at: number }>(true),
  /** A batch has nothing left to run (one per batch, never one per file): notifications. */
  'batch.finished': event<BatchFinished>(),
  /** A sync trigger fired (device appeared, library changed, interval) and what came of it. */
  'trigger.fired': event<TriggerFired>(),
} as const

export type Commands = typeof commands
export type CommandName = keyof Commands
export type CommandInput<K extends CommandName> = z.input<Commands[K]['input']>
export type ParsedInput<K extends CommandName> = z.output<Commands[K]['input']>
export type CommandOutput<K extends CommandName> =
  Commands[K] extends CommandSpec<z.ZodType, infer O> ? O : never

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<K extends EventName> = Events[K] extends EventSpec<infer P> ? P : never

export const commandNames = Object.keys(commands) as CommandName[]

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name)
}

/** Arguments of `invoke`: the input may be left out when the command takes none. */
export type InvokeArgs<K extends CommandName> =
  Record<string, never> extends CommandInput<K> ? [input?: CommandInput<K>] : [input: CommandInput<K>]

/**
 * What every client sees, whatever carries it: the preload's `window.ferry`, the WebSocket client,
 * or the engine itself in-process.
 */
export interface FerryApi {
  invoke<K extends CommandName>(name: K, ...args: InvokeArgs<K>): Promise<CommandOutput<K>>
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void
}
