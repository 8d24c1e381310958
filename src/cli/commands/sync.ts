import { createHash } from 'node:crypto'
import { basename, resolve } from 'node:path'
import { FerryError } from '../../shared/errors'
import type { Profile, SyncPlan } from '../../shared/profiles'
import { type Session, withSession } from '../connect'
import { formatBytes, formatDuration } from '../format'
import { waitForBatch } from './transfer'
import {
  applyTriggerFlags,
  describeTriggers,
  hasTriggerFlags,
  type TriggerFlags,
  triggerLines,
} from './triggers'

const out = (text: string) => process.stdout.write(`${text}\n`)

export interface SyncOptions {
  dataDir?: string
  dryRun?: boolean
  verbose?: boolean
  force?: boolean
  quiet?: boolean
  enqueueOnly?: boolean
}

export function printPlan(plan: SyncPlan, verbose: boolean): void {
  const t = plan.totals
  const c = t.counts
  out(
    `${plan.profileName} → ${plan.destination}: convert ${c.convert}, copy ${c.copy}, delete ${c.delete}, up to date ${c.skip}, conflicts ${c.conflict}`,
  )
  out(
    `  write ~${formatBytes(t.bytesToWrite)}, free ${formatBytes(t.bytesFreed)}, ~${formatDuration(t.estimatedSeconds)}; ` +
      `${t.freeBytes === null ? 'free space unknown' : `${formatBytes(t.freeBytes)} free on the device`}` +
      (t.shortBy > 0 ? ` — SHORT BY ${formatBytes(t.shortBy)}` : ''),
  )
  out(
    `  scanned ${t.scanned.files} files in ${t.scanned.folders} folders (${t.scanned.seconds.toFixed(2)} s)`,
  )
  for (const p of t.problems) out(`  problem: ${p}`)
  if (t.leftOut.length)
    out(
      `  left out: ${t.leftOut.length} entries that are not files (FIFOs, sockets, devices…)${verbose ? ':' : ' (-v lists them)'}`,
    )
  if (verbose) for (const l of t.leftOut) out(`    ${l.path}: ${l.reason}`)
  if (verbose) {
    for (const e of plan.entries) if (e.kind !== 'skip') out(`  ${e.kind.padEnd(8)} ${e.dst}  (${e.reason})`)
    if (plan.total > plan.entries.length)
      out(`  … ${plan.total - plan.entries.length} more (ferry profile plan NAME)`)
  } else if (c.conflict > 0) {
    out(
      `  ${c.conflict} conflicts: files Ferry did not write stand where it would; they are left alone (-v lists them)`,
    )
  }
}

async function runSync(session: Session, profile: string, o: SyncOptions): Promise<number> {
  const { api } = session
  const kinds = ['delete', 'convert', 'copy', 'conflict'] as const
  const r = await api.invoke('sync.run', {
    profile,
    dryRun: o.dryRun === true,
    force: o.force === true,
    limit: o.verbose ? 1000 : 0,
  })
  let plan = r.plan
  if (o.verbose)
    plan = await api.invoke('sync.plan', { profile, planId: plan.planId, kinds: [...kinds], limit: 1000 })
  if (!o.quiet || o.dryRun) printPlan(plan, o.verbose === true)
  if (o.dryRun) return 0
  if (r.batchId === null) {
    if (!o.quiet) out('Nothing to do: the device is up to date.')
    return 0
  }
  if (!o.quiet) process.stderr.write(`batch ${r.batchId}: ${r.tasks} tasks\n`)
  if (o.enqueueOnly) return 0
  return waitForBatch(session, r.batchId, o.quiet)
}

/** `ferry sync SRC... DST`: an ad-hoc profile named after the destination and sources, reused next time. */
export async function syncCommand(
  paths: string[],
  o: SyncOptions & { preset?: string; delete?: boolean; naming?: string },
): Promise<number> {
  if (paths.length < 2) throw new FerryError('invalid_input', 'ferry sync needs at least one SRC and a DST.')
  const sources = paths.slice(0, -1).map((p) => resolve(p))
  const destination = resolve(paths[paths.length - 1]!)
  const id = createHash('sha256')
    .update(JSON.stringify([sources, destination]))
    .digest('hex')
    .slice(0, 8)
  const name = `sync ${basename(destination) || 'root'} ${id}`
    .replace(/[^\p{L}\p{N} ._-]/gu, '_')
    .slice(0, 60)
  return withSession(
    o.dataDir,
    async (session) => {
      const fields = {
        preset: o.preset ?? 'mp3-v0',
        delete: o.delete ? ('mirror' as const) : ('never' as const),
        naming: (o.naming ?? 'fat32') as Profile['naming'],
      }
      const existing = (await session.api.invoke('profiles.list')).find((p) => p.name === name)
      if (existing) await session.api.invoke('profiles.update', { name, ...fields })
      else await session.api.invoke('profiles.create', { name, sources, destination, ...fields })
      try {
        return await runSync(session, name, o)
      } catch (err) {
        // A refused first sync (no room, no device…) leaves no profile behind: nothing was done.
        if (!existing) await session.api.invoke('profiles.delete', { name }).catch(() => undefined)
        throw err
      }
    },
    { work: !o.dryRun && !o.enqueueOnly },
  )
}

export async function profileSync(name: string, o: SyncOptions): Promise<number> {
  return withSession(
    o.dataDir,
    async (session) => {
      return await runSync(session, name, o)
    },
    { work: !o.dryRun && !o.enqueueOnly },
  )
}

export interface ProfileAddOptions extends TriggerFlags {
  source: string[]
  dest: string
  preset?: string
  delete?: 'mirror' | 'never'
  naming?: Profile['naming']
  nonAudio?: Profile['nonAudio']
  playlists?: Profile['playlists']
  include?: string[]
  exclude?: string[]
  glob?: string[]
  excludeGlob?: string[]
  hidden?: boolean
}

export async function profileAdd(
  dataDir: string | undefined,
  name: string,
  o: ProfileAddOptions,
): Promise<number> {
  if (!o.source?.length)
    throw new FerryError('invalid_input', 'A profile needs at least one --source folder.')
  return withSession(dataDir, async (session) => {
    const p = await session.api.invoke('profiles.create', {
      name,
      sources: o.source.map((s) => resolve(s)),
      destination: resolve(o.dest),
      preset: o.preset,
      delete: o.delete,
      naming: o.naming,
      nonAudio: o.nonAudio,
      playlists: o.playlists,
      include: o.include,
      exclude: o.exclude,
      includeGlobs: o.glob,
      excludeGlobs: o.excludeGlob,
      includeHidden: o.hidden,
      triggers: hasTriggerFlags(o) ? applyTriggerFlags(undefined, o) : undefined,
    })
    out(
      `Profile "${p.name}" added: ${p.sources.join(', ')} → ${p.destination} (${p.preset}, delete: ${p.delete}).`,
    )
    if (hasTriggerFlags(o)) out(`Triggers: ${describeTriggers(p.triggers)}.`)
    return 0
  })
}

export interface ProfileSetOptions extends TriggerFlags {
  preset?: string
  delete?: 'mirror' | 'never'
  naming?: Profile['naming']
  nonAudio?: Profile['nonAudio']
  playlists?: Profile['playlists']
}

/** `ferry profile set NAME`: changes some of a profile's settings; the triggers' flags change only what they name. */
export async function profileSet(
  dataDir: string | undefined,
  name: string,
  o: ProfileSetOptions,
): Promise<number> {
  const fields = {
    preset: o.preset,
    delete: o.delete,
    naming: o.naming,
    nonAudio: o.nonAudio,
    playlists: o.playlists,
  }
  const given = Object.values(fields).some((v) => v !== undefined)
  if (!given && !hasTriggerFlags(o))
    throw new FerryError(
      'invalid_input',
      'Nothing to change: give --on-device, --no-on-device, --on-change, --no-on-change, --every MINUTES (0: off), or a setting such as --preset.',
    )
  return withSession(dataDir, async (session) => {
    const current = await session.api.invoke('profiles.get', { name })
    const p = await session.api.invoke('profiles.update', {
      name,
      ...fields,
      triggers: hasTriggerFlags(o) ? applyTriggerFlags(current.triggers, o) : undefined,
    })
    out(
      `Profile "${p.name}" changed: ${p.sources.join(', ')} → ${p.destination} (${p.preset}, delete: ${p.delete}).`,
    )
    out(`Triggers: ${describeTriggers(p.triggers)}.`)
    return 0
  })
}

export async function profileLs(dataDir: string | undefined, json?: boolean): Promise<number> {
  return withSession(dataDir, async (session) => {
    const list = await session.api.invoke('profiles.list')
    if (json) out(JSON.stringify(list, null, 2))
    else if (!list.length) out('No profiles yet (ferry profile add NAME --source DIR --dest DIR).')
    else
      for (const p of list)
        out(`${p.name}  ${p.sources.join(', ')} → ${p.destination}  (${p.preset}, ${p.delete})`)
    return 0
  })
}

/** `ferry profile show NAME`: its settings, its triggers and what they did lately. */
export async function profileShow(
  dataDir: string | undefined,
  name: string,
  json?: boolean,
): Promise<number> {
  return withSession(dataDir, async (session) => {
    const p = await session.api.invoke('profiles.get', { name })
    const status = (await session.api.invoke('sync.status')).find((s) => s.profile === p.name)
    if (json) {
      out(JSON.stringify({ ...p, triggerStatus: status?.triggers ?? null }, null, 2))
      return 0
    }
    out(`${p.name}: ${p.sources.join(', ')} → ${p.destination}`)
    out(
      `  preset ${p.preset}, delete ${p.delete}, naming ${p.naming}, non-audio ${p.nonAudio}, playlists ${p.playlists}${p.includeHidden ? ', hidden files' : ''}`,
    )
    const filters = [
      p.include.length && `only ${p.include.join(', ')}`,
      p.exclude.length && `not ${p.exclude.join(', ')}`,
      p.includeGlobs.length && `paths ${p.includeGlobs.join(', ')}`,
      p.excludeGlobs.length && `not paths ${p.excludeGlobs.join(', ')}`,
    ].filter(Boolean)
    if (filters.length) out(`  ${filters.join('; ')}`)
    if (status)
      out(
        `  device ${status.presence}${status.lastRun ? `, last sync batch ${status.lastRun.batchId}` : ', never synced'}${status.current ? `, a sync is ${status.current.state} (batch ${status.current.batchId})` : ''}`,
      )
    for (const line of triggerLines(p, status?.triggers)) out(line)
    return 0
  })
}

export async function profileRm(dataDir: string | undefined, name: string): Promise<number> {
  return withSession(dataDir, async (session) => {
    const r = await session.api.invoke('profiles.delete', { name })
    out(
      `Profile "${r.deleted}" removed (${r.forgotten} index entries forgotten; the files on the device stay).`,
    )
    return 0
  })
}
