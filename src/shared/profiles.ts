// Sync profiles: what a device mirrors, and the shape of a sync plan. Pure data and zod.
import { z } from 'zod'
import { presetName } from './presets'
import { absolutePath, extension } from './schemas'

/** A glob over paths relative to a source folder, e.g. `Podcasts/**` or `**\/*live*`. */
const glob = z
  .string()
  .min(1)
  .max(200)
  .refine((g) => !g.includes('\0') && !g.startsWith('/'), 'a glob is relative to the source folder')

export const NAMINGS = ['fat32', 'exfat', 'ntfs', 'posix'] as const
export type Naming = (typeof NAMINGS)[number]

export const profileFields = {
  sources: z.array(absolutePath).min(1, 'at least one source folder is required').max(50),
  destination: absolutePath,
  preset: presetName.default('mp3-v0'),
  include: z.array(extension).max(100).default([]),
  exclude: z.array(extension).max(100).default([]),
  includeGlobs: z.array(glob).max(100).default([]),
  excludeGlobs: z.array(glob).max(100).default([]),
  /** Files that are not audio: cover images only (cover.jpg, folder.jpg…), all of them, or none. */
  nonAudio: z.enum(['covers', 'all', 'none']).default('covers'),
  /** mirror: remove from the destination what Ferry wrote and the sources no longer have. */
  delete: z.enum(['mirror', 'never']).default('never'),
  naming: z.enum(NAMINGS).default('fat32'),
  playlists: z.enum(['rewrite', 'skip']).default('rewrite'),
  includeHidden: z.boolean().default(false),
  /** Stored now; acted on by the tray and triggers. */
  triggers: z
    .object({
      intervalMinutes: z.number().int().min(5).max(10_080).nullable().default(null),
      onLibraryChange: z.boolean().default(false),
      onDevicePlugged: z.boolean().default(false),
    })
    .strict()
    .default({ intervalMinutes: null, onLibraryChange: false, onDevicePlugged: false }),
}

/** The same fields without defaults, all optional: what an update may change (and nothing else). */
export const profileChanges = z.object({
  sources: profileFields.sources.optional(),
  destination: profileFields.destination.optional(),
  preset: presetName.optional(),
  include: profileFields.include.unwrap().optional(),
  exclude: profileFields.exclude.unwrap().optional(),
  includeGlobs: profileFields.includeGlobs.unwrap().optional(),
  excludeGlobs: profileFields.excludeGlobs.unwrap().optional(),
  nonAudio: profileFields.nonAudio.unwrap().optional(),
  delete: profileFields.delete.unwrap().optional(),
  naming: profileFields.naming.unwrap().optional(),
  playlists: profileFields.playlists.unwrap().optional(),
  includeHidden: profileFields.includeHidden.unwrap().optional(),
  triggers: profileFields.triggers.unwrap().optional(),
})

export const profileName = z
  .string()
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,59}$/u,
    'a profile name is 1–60 letters, digits, spaces, ".", "_" or "-"',
  )

export const profileSpec = z.object(profileFields).strict()
export type ProfileSpec = z.output<typeof profileSpec>

export interface Profile extends ProfileSpec {
  id: number
  name: string
  createdAt: number
  updatedAt: number
  lastSyncAt: number | null
}

export const PLAN_KINDS = ['convert', 'copy', 'delete', 'skip', 'conflict'] as const
export type PlanKind = (typeof PLAN_KINDS)[number]

export interface PlanEntry {
  kind: PlanKind
  /** Source file (absent for a delete). */
  src: string | null
  /** Path under the destination root, with `/` separators. */
  dst: string
  bytes: number
  reason: string
}

export interface PlanTotals {
  counts: Record<PlanKind, number>
  /** Estimated bytes written (encoded sizes are estimates until encoded). */
  bytesToWrite: number
  bytesFreed: number
  /** Rough seconds to apply. */
  estimatedSeconds: number
  freeBytes: number | null
  /** How many bytes the destination lacks, 0 when the plan fits. */
  shortBy: number
  scanned: { files: number; folders: number; seconds: number }
  /** Folders that could not be read, symlink loops: reported and skipped. */
  problems: string[]
  /** What the sources hold that is neither a file nor a folder (FIFOs, sockets, devices…): never copied. */
  leftOut: { path: string; reason: string }[]
}

export interface SyncPlan {
  planId: string
  profileId: number
  profileName: string
  destination: string
  createdAt: number
  totals: PlanTotals
  entries: PlanEntry[]
  total: number
  offset: number
}

export interface SyncRunResult {
  plan: SyncPlan
  dryRun: boolean
  batchId: number | null
  tasks: number
}
