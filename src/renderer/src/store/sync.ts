// The Sync view's stores: profiles, their status (device, capacity, last and current run), the
// presets they may use, each running sync's live progress, and what the view asked of the engine
// (the last plan per profile, a refusal to show on a card). Views read these and call `syncActions`.
import { create } from 'zustand'
import type { CommandInput } from '../../../shared/contract'
import type { QueueProgress } from '../../../shared/model'
import type { PlanKind, Profile, SyncPlan } from '../../../shared/profiles'
import { api } from '../api'
import { resource } from './resource'
import { SHOW_MS } from './progress'
import { hidden, onShown } from './visible'

export const useProfiles = resource('profiles.list', { reloadOn: ['profiles.changed'] })
export const useSyncStatus = resource('sync.status', {
  // trigger.fired: a firing that started nothing (skipped, failed) changes no queue, yet the card says it.
  reloadOn: ['queue.changed', 'profiles.changed', 'trigger.fired'],
  throttleMs: 400,
})
export const useSyncPresets = resource('presets.list')
/** Where the folder browser starts: home, mount roots, recent and profiles' folders. */
export const useSyncPlaces = resource('fs.places', { reloadOn: ['profiles.changed'] })

/**
 * Why a sync or a plan was refused, as the view offers a way out: not enough space (start anyway,
 * deletions first), the device without the profile's marker (force, once the user says it is the
 * right device), the device not there, a sync still under way, or anything else (said as it is).
 * The engine says which in its sentence; these patterns follow src/main/engine/sync/{plan,service}.ts.
 */
export type RefusalKind = 'space' | 'marker' | 'absent' | 'busy' | 'other'
export interface Refusal {
  kind: RefusalKind
  message: string
}

export function classifyRefusal(message: string): RefusalKind {
  if (/^Not enough space/.test(message)) return 'space'
  if (/does not hold this profile's marker/.test(message)) return 'marker'
  if (/is not there \(is the device plugged in/.test(message)) return 'absent'
  if (/changed since it was planned/.test(message)) return 'absent'
  if (/still under way/.test(message)) return 'busy'
  return 'other'
}

/** What a card shows after the user asked for something: a refusal, or what happened. */
export type Notice =
  | { kind: 'refused'; refusal: Refusal; forced: boolean }
  | { kind: 'started'; batchId: number; tasks: number }
  | { kind: 'nothing' }

export interface PlanState {
  /** The first page of the newest plan (totals, and entries from offset 0). */
  plan?: SyncPlan
  refusal?: Refusal
  loading: boolean
  /** Planned with force (the user said the device is the right one): syncing from it forces too. */
  forced: boolean
  /** What the plan was made for: the profile as it was and its last run; another stamp plans again. */
  stamp: string
}

interface SyncUi {
  plans: Record<string, PlanState>
  notices: Record<string, Notice | undefined>
  running: Record<string, boolean>
  /** A profile whose card to bring into view (a toast or the shell asked). */
  focus: string | null
}

export const useSyncUi = create<SyncUi>(() => ({ plans: {}, notices: {}, running: {}, focus: null }))

const setPlan = (name: string, patch: Partial<PlanState>) =>
  useSyncUi.setState((s) => ({
    plans: {
      ...s.plans,
      [name]: { loading: false, forced: false, stamp: '', ...s.plans[name], ...patch },
    },
  }))
const setNotice = (name: string, notice: Notice | undefined) =>
  useSyncUi.setState((s) => ({ notices: { ...s.notices, [name]: notice } }))

const reloadAll = () => Promise.all([useProfiles.getState().api.load(), useSyncStatus.getState().api.load()])

/** The fields of a profile as the editor sends them. */
export type ProfileInput = Omit<CommandInput<'profiles.create'>, 'name'>

export const syncActions = {
  load(): void {
    void useProfiles.getState().api.load()
    void useSyncStatus.getState().api.load()
    void useSyncPresets.getState().api.load()
  },

  /** Status again (a device may have been plugged in while the window was elsewhere). */
  refreshStatus(): void {
    const s = useSyncStatus.getState()
    // A load under way may have looked before the change: look once more after it.
    if (s.loading) void s.api.load().then(() => useSyncStatus.getState().api.load())
    else void s.api.load()
  },

  async create(name: string, spec: ProfileInput): Promise<Profile> {
    const p = await api.invoke('profiles.create', { name, ...spec })
    await reloadAll()
    return p
  },

  async update(name: string, change: Partial<ProfileInput> & { rename?: string }): Promise<Profile> {
    const p = await api.invoke('profiles.update', { name, ...change })
    if (change.rename && change.rename !== name) {
      useSyncUi.setState((s) => {
        const { [name]: _plan, ...plans } = s.plans
        const { [name]: _notice, ...notices } = s.notices
        return { plans, notices }
      })
    }
    await reloadAll()
    return p
  },

  async remove(name: string): Promise<void> {
    await api.invoke('profiles.delete', { name })
    useSyncUi.setState((s) => {
      const { [name]: _plan, ...plans } = s.plans
      const { [name]: _notice, ...notices } = s.notices
      return { plans, notices }
    })
    await reloadAll()
  },

  /**
   * Plans a sync (nothing written) and keeps its first page for the card's capacity bar and the
   * preview. `stamp` says what it was planned for, so a card plans again only when that changes.
   */
  async plan(name: string, opts: { force?: boolean; stamp?: string; limit?: number } = {}): Promise<void> {
    const force = opts.force === true
    setPlan(name, { loading: true, stamp: opts.stamp ?? useSyncUi.getState().plans[name]?.stamp ?? '' })
    try {
      const plan = await api.invoke('sync.plan', { profile: name, force, limit: opts.limit ?? 100 })
      setPlan(name, { plan, refusal: undefined, loading: false, forced: force })
    } catch (err) {
      const message = (err as Error).message
      setPlan(name, { plan: undefined, refusal: { kind: classifyRefusal(message), message }, loading: false })
    }
  },

  /** One page of a plan already made (by kind, from an offset). */
  page(name: string, planId: string, q: { offset: number; limit: number; kinds?: PlanKind[] }) {
    return api.invoke('sync.plan', { profile: name, planId, ...q })
  },

  /**
   * Starts a sync. A refusal is kept for the card to show with its way out; `force` starts one that
   * does not fit (deletions run first) or one whose device lost its marker (after the user said it
   * is the right device).
   */
  async run(name: string, force = false): Promise<Notice> {
    useSyncUi.setState((s) => ({ running: { ...s.running, [name]: true } }))
    setNotice(name, undefined)
    let notice: Notice
    try {
      const r = await api.invoke('sync.run', { profile: name, force, limit: 0 })
      notice =
        r.batchId === null ? { kind: 'nothing' } : { kind: 'started', batchId: r.batchId, tasks: r.tasks }
    } catch (err) {
      const message = (err as Error).message
      notice = { kind: 'refused', refusal: { kind: classifyRefusal(message), message }, forced: force }
    } finally {
      useSyncUi.setState((s) => ({ running: { ...s.running, [name]: false } }))
    }
    setNotice(name, notice)
    await useSyncStatus.getState().api.load()
    return notice
  },

  dismiss(name: string): void {
    setNotice(name, undefined)
  },

  /** Brings a profile's card into view (once its card is drawn). */
  focus(name: string): void {
    useSyncUi.setState({ focus: name })
  },

  /** The card asked for is in view. */
  focused(): void {
    useSyncUi.setState({ focus: null })
  },

  /** Cancels a sync under way (its finished files stay, and are in the index). */
  async cancel(batchId: number): Promise<void> {
    await api.invoke('task.cancel', { batchId })
    await useSyncStatus.getState().api.load()
  },
}

interface BatchProgressStore {
  byBatch: Record<number, QueueProgress>
  api: { watch(batchId: number): () => void }
}

const watched = new Map<number, number>()
const fetching = new Set<number>()
let listening = false

function refetch(batchId: number): void {
  if (fetching.has(batchId)) return
  fetching.add(batchId)
  void api
    .invoke('queue.progress', { batchId })
    .then(
      (p) => useBatchProgress.setState((s) => ({ byBatch: { ...s.byBatch, [batchId]: p } })),
      () => undefined,
    )
    .finally(() => fetching.delete(batchId))
}

/**
 * Live progress of the batches cards show. The engine's progress events (at most 10 a second) carry
 * the whole queue; they ask again for the watched batches' own numbers (at most 4 times a second, one
 * request at a time per batch). Nothing is asked while no card watches or the page is hidden.
 */
export const useBatchProgress = create<BatchProgressStore>(() => ({
  byBatch: {},
  api: {
    watch(batchId) {
      if (!listening) {
        listening = true
        // As the header: at most every SHOW_MS, and nothing while the page is hidden (asked again
        // when it is shown). Each ask is a request the engine answers in the middle of the sync.
        let last = 0
        let timer: ReturnType<typeof setTimeout> | undefined
        const all = () => {
          timer = undefined
          last = Date.now()
          for (const id of watched.keys()) refetch(id)
        }
        api.on('queue.progress', () => {
          if (hidden() || timer) return
          timer = setTimeout(all, Math.max(0, last + SHOW_MS - Date.now()))
        })
        onShown(all)
      }
      watched.set(batchId, (watched.get(batchId) ?? 0) + 1)
      refetch(batchId)
      return () => {
        const n = (watched.get(batchId) ?? 1) - 1
        if (n > 0) watched.set(batchId, n)
        else watched.delete(batchId)
      }
    },
  },
}))
