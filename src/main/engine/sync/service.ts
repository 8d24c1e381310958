import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { FerryError } from '../../../shared/errors'
import type { PlanEntry, PlanKind, Profile, SyncPlan, SyncRunResult } from '../../../shared/profiles'
import { identifyRoot, MARKER } from '../ops/device'
import { errorCode } from '../ops/fsutil'
import type { Preset } from '../../../shared/presets'
import type { PresetStore } from '../convert/presets'
import type { NewTask, Queue } from '../queue/queue'
import { type ComputedPlan, newPlanId, planSync } from './plan'
import type { ProfileStore } from './profiles'
import type { SyncIndex } from './sync-index'

export { MARKER }
const KEEP_PLANS = 8

const invalidInput = (message: string) => new FerryError('invalid_input', message)
const mebibytes = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MiB`

/** Plans and applies syncs: `sync.plan`, `sync.run`. */
export class SyncService {
  /** Profiles a run is being planned for: a second run (a trigger, a click) meanwhile is refused. */
  private readonly starting = new Set<number>()
  private readonly plans = new Map<string, { profile: Profile; computed: ComputedPlan; createdAt: number }>()

  constructor(
    private readonly queue: Queue,
    private readonly presets: PresetStore,
    private readonly profiles: ProfileStore,
    private readonly index: SyncIndex,
    private readonly dataDir: string,
    private readonly convertWorkers: () => number,
    private readonly changed: () => void,
  ) {}

  /** A profile is gone: its index rows went with it. */
  forget(profileId: number): void {
    this.index.forget(profileId)
  }

  private async compute(
    profile: Profile,
    force = false,
  ): Promise<{ planId: string; computed: ComputedPlan; preset: Preset }> {
    let preset: Preset
    try {
      preset = this.presets.get(profile.preset)
    } catch {
      throw invalidInput(
        `The profile "${profile.name}" uses the preset "${profile.preset}", which no longer exists.`,
      )
    }
    const computed = await planSync(
      profile,
      preset,
      {
        dsts: () => this.index.dsts(profile.id),
        rows: () => this.index.rows(profile.id),
        rowsBySource: (build) => this.index.rowsBySource(profile.id, profile.sources, build),
        any: () => this.index.has(profile.id),
      },
      { convertWorkers: this.convertWorkers(), force },
    )
    const planId = newPlanId()
    this.plans.set(planId, { profile, computed, createdAt: Date.now() })
    while (this.plans.size > KEEP_PLANS) this.plans.delete(this.plans.keys().next().value!)
    return { planId, computed, preset }
  }

  private page(planId: string, q: { offset: number; limit: number; kinds?: PlanKind[] }): SyncPlan {
    const p = this.plans.get(planId)
    if (!p)
      throw new FerryError('not_found', `No plan ${planId} (plans are kept for the last ${KEEP_PLANS} runs).`)
    const changes = q.kinds?.length
      ? p.computed.entries.filter((e) => q.kinds!.includes(e.kind))
      : p.computed.entries
    const skipped = !q.kinds?.length || q.kinds.includes('skip') ? p.computed.skipped : { src: [], dst: [] }
    const total = changes.length + skipped.src.length
    const entries: PlanEntry[] = []
    for (let i = q.offset; i < Math.min(total, q.offset + q.limit); i++) {
      const j = i - changes.length
      entries.push(
        j < 0
          ? changes[i]!
          : { kind: 'skip', src: skipped.src[j]!, dst: skipped.dst[j]!, bytes: 0, reason: 'Up to date.' },
      )
    }
    return {
      planId,
      profileId: p.profile.id,
      profileName: p.profile.name,
      destination: p.profile.destination,
      createdAt: p.createdAt,
      totals: p.computed.totals,
      entries,
      total,
      offset: q.offset,
    }
  }

  async plan(
    q: {
      profile: string
      planId?: string
      offset: number
      limit: number
      kinds?: PlanKind[]
      force?: boolean
    },
    at: { destination?: string } = {},
  ): Promise<SyncPlan> {
    if (q.planId) return this.page(q.planId, q)
    const stored = this.profiles.get(q.profile)
    const { planId } = await this.compute(
      at.destination ? { ...stored, destination: at.destination } : stored,
      q.force,
    )
    return this.page(planId, q)
  }

  /**
   * `at`: this run only, the folder where the profile's device was found under a mount root (a card
   * mounted at another path, another drive letter); its marker must name the profile. The profile
   * itself keeps its destination, and the index (paths relative to the root) holds for either.
   */
  async run(
    q: { profile: string; dryRun: boolean; force: boolean; limit: number },
    at: { destination?: string } = {},
  ): Promise<SyncRunResult> {
    const stored = this.profiles.get(q.profile)
    if (this.starting.has(stored.id))
      throw invalidInput(`A sync of "${stored.name}" is being planned already: wait for it to be queued.`)
    this.starting.add(stored.id)
    try {
      return await this.start(q, at.destination ? { ...stored, destination: at.destination } : stored)
    } finally {
      this.starting.delete(stored.id)
    }
  }

  private async start(
    q: { dryRun: boolean; force: boolean; limit: number },
    profile: Profile,
  ): Promise<SyncRunResult> {
    const open = this.queue.openSyncRun(profile.id)
    if (open)
      throw invalidInput(
        `A sync of "${profile.name}" is still under way (batch ${open.batchId}, ${open.openTasks} tasks left): wait for it (ferry queue wait) or cancel it first.`,
      )
    const { planId, computed, preset } = await this.compute(profile, q.force)
    const plan = this.page(planId, { offset: 0, limit: q.limit })
    if (q.dryRun || computed.actions.length === 0) return { plan, dryRun: q.dryRun, batchId: null, tasks: 0 }
    const { shortBy, freeBytes } = computed.totals
    if (shortBy > 0 && !q.force)
      throw invalidInput(
        `Not enough space at ${profile.destination}: the sync needs ${mebibytes(shortBy)} more than the ${mebibytes(freeBytes ?? 0)} free. Nothing was written. Free some space, or start anyway with force (deletions run first).`,
      )

    const root = profile.destination
    await this.prepareDestination(root, computed.device)
    await this.writeMarker(profile)
    const device = await identifyRoot(root, profile.id)
    const rows: NewTask[] = []
    const snapshot = { name: preset.name, hash: preset.hash, spec: preset.spec, extension: preset.extension }
    const at = (rel: string) => join(root, ...rel.split('/'))
    for (const a of computed.actions) {
      const base = { root, maxAttempts: 3, bytesTotal: a.bytes }
      if (a.kind === 'delete') {
        rows.push({
          ...base,
          type: 'delete',
          lane: 'transfer',
          src: at(a.dst),
          priority: 50,
          spec: { sync: a.mark },
        })
      } else if (a.kind === 'convert') {
        rows.push({
          ...base,
          type: 'convert',
          lane: 'convert',
          src: a.src,
          dst: at(a.dst),
          priority: 100,
          spec: { overwrite: a.overwrite, preset: snapshot, sync: a.mark },
        })
      } else {
        const src = a.kind === 'playlist' ? await this.stagePlaylist(profile.id, a.content!) : a.src
        rows.push({
          ...base,
          type: 'copy',
          lane: 'transfer',
          src,
          dst: at(a.dst),
          priority: a.kind === 'playlist' ? 110 : 100,
          spec: { overwrite: a.overwrite, sync: a.mark },
        })
      }
    }
    // What cannot be copied (FIFOs, sockets, devices) is in the batch too, as skipped, with why.
    for (const l of computed.totals.leftOut)
      rows.push({ type: 'copy', lane: 'transfer', src: l.path, root, skipped: `Left out: ${l.reason}.` })
    const batchId = await this.queue.addBatch(
      { label: `sync ${profile.name} → ${root}`.slice(0, 200), profileId: profile.id, root: device },
      rows,
    )
    this.profiles.synced(profile.id)
    this.changed()
    return { plan, dryRun: false, batchId, tasks: rows.length }
  }

  /**
   * The destination must still be the device the plan was made against (a card pulled out while the
   * plan was shown leaves its bare mount point); one the plan found missing is made now, the folder
   * itself only, never the folders above it.
   */
  private async prepareDestination(root: string, planned: ComputedPlan['device']): Promise<void> {
    if (planned) {
      const now = await identifyRoot(root).catch(() => undefined)
      const same = now && (planned.btime && now.btime ? planned.btime === now.btime : planned.dev === now.dev)
      if (!same)
        throw invalidInput(
          `The destination ${root} changed since it was planned (unplugged?). Nothing was written; plug the device back in and sync again.`,
        )
      return
    }
    try {
      await mkdir(root)
    } catch (err) {
      if (errorCode(err) !== 'EEXIST')
        throw invalidInput(
          `Cannot make the destination folder ${root}: ${(err as Error).message}. Nothing was written.`,
        )
    }
  }

  /** A playlist's new content, staged in the data folder for a copy task to put into place. */
  private async stagePlaylist(profileId: number, content: string): Promise<string> {
    const dir = join(this.dataDir, 'cache', 'playlists', String(profileId))
    await mkdir(dir, { recursive: true })
    const file = join(dir, `${createHash('sha256').update(content).digest('hex').slice(0, 24)}.m3u8`)
    await writeFile(`${file}.tmp`, content)
    await rename(`${file}.tmp`, file)
    return file
  }

  private async writeMarker(profile: Profile): Promise<void> {
    const path = join(profile.destination, MARKER)
    const want = { profile: profile.name, id: profile.id, app: 'Ferry' }
    const current = await readFile(path, 'utf8').catch(() => '')
    try {
      if (JSON.stringify(JSON.parse(current)) === JSON.stringify(want)) return
    } catch {
      // missing or unreadable: written anew
    }
    await writeFile(path, `${JSON.stringify(want)}\n`)
  }
}
