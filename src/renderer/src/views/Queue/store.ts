// The Queue view's state: the filter, the batches (a resource reloaded on queue.changed), and the
// tasks paged from the engine for the rows on screen — never the whole queue. Rows are addressed by
// (batch, index in the batch): the layout comes from the batches' counts, the tasks from pages.
import { create } from 'zustand'
import type { Batch, Task, TaskStatus } from '../../../../shared/model'
import { api } from '../../api'
import { resource } from '../../store/resource'
import { hidden, onShown } from '../../store/visible'
import { type Layout, layout, shownCount } from './layout'

/** Tasks per page asked of the engine. */
export const PAGE = 100
/** Newest batches shown. */
export const BATCH_LIMIT = 500
/** Pages requested at once (more wait their turn). */
const PARALLEL = 4
/**
 * A reload after queue.changed waits this long, so a busy queue costs one reload a second (the
 * progress bars and counts stay live at 10 a second from the progress events). After an action
 * taken here the list reloads at once.
 */
const RELOAD_MS = 1000

export const FILTERS = ['all', 'open', 'done', 'fail', 'cancelled'] as const
export type Filter = (typeof FILTERS)[number]
export const FILTER_STATUSES: Record<Filter, TaskStatus[] | undefined> = {
  all: undefined,
  open: ['pending', 'active'],
  done: ['ok', 'skip'],
  fail: ['fail'],
  cancelled: ['cancelled'],
}

export type Selection = { kind: 'task' | 'batch'; id: number | null; index: number }

interface QueueViewState {
  filter: Filter
  search: string
  /** Tasks by page: `${batchId}:${page}`. Kept while reloading, so rows never blank out. */
  pages: Map<string, Task[]>
  /**
   * Batches whose rows are hidden: those the user folded, and in the unfiltered list those that had
   * finished when the view first saw them (history; a batch that finishes while watched stays open).
   */
  collapsed: ReadonlySet<number>
  selected: Selection | null
  /** The task the details pane shows (stays on it while the list moves). */
  detailId: number | null
  detail?: Task
  detailError?: string
  /** The last action that failed, in words. */
  actionError?: string
  /** A batch to bring into view and select once the list shows it (a toast or the shell asked). */
  focus: number | null
  /** Bumped when the filters are reset from outside the search box, so it shows the reset. */
  searchEpoch: number
  api: {
    setFilter(filter: Filter): void
    setSearch(search: string): void
    toggle(batchId: number): void
    /** The rows on screen: load what is missing. */
    show(ranges: PageRange[]): void
    select(sel: Selection | null): void
    openDetails(taskId: number | null): void
    run(what: string, action: () => Promise<unknown>): Promise<void>
    /** Shows every task again (no filter, no search). */
    resetFilters(): void
    /** Brings a batch into view, unfolded and selected (the filters are reset if any is set). */
    focusBatch(batchId: number): void
    /** The list has shown the batch asked for. */
    focused(): void
  }
}

export interface PageRange {
  batchId: number
  /** First and last task index in the batch (inclusive). */
  from: number
  to: number
}

let lastInput = ''
const inputKey = () => {
  const { filter, search } = useQueueView.getState()
  return `${filter}\n${search}`
}

/** The batches with their counts, under the current filter (`matching`). */
export const useBatches = resource('queue.batches', {
  input: () => {
    lastInput = inputKey()
    return batchesInput()
  },
})

function batchesInput() {
  const { filter, search } = useQueueView.getState()
  return { limit: BATCH_LIMIT, status: FILTER_STATUSES[filter], search: search || undefined }
}

/** Whether each batch had finished when first seen, and the user's own folds. */
const finishedWhenSeen = new Map<number, boolean>()
const folds = new Map<number, boolean>()

function foldState(): ReadonlySet<number> {
  const { filter, search, collapsed } = useQueueView.getState()
  const plain = filter === 'all' && !search
  const next = new Set<number>()
  for (const b of useBatches.getState().data ?? [])
    if (folds.get(b.id) ?? (plain && finishedWhenSeen.get(b.id))) next.add(b.id)
  const same = next.size === collapsed.size && [...next].every((id) => collapsed.has(id))
  return same ? collapsed : next
}

/** Batches already finished when the view first loaded start folded; ones that appear later do not. */
let firstLoad = true
useBatches.subscribe((s) => {
  if (!s.data) return
  for (const b of s.data)
    if (!finishedWhenSeen.has(b.id))
      finishedWhenSeen.set(b.id, firstLoad && b.counts.pending + b.counts.active === 0)
  firstLoad = false
  const collapsed = foldState()
  if (collapsed !== useQueueView.getState().collapsed) useQueueView.setState({ collapsed })
})

/** Loads the batches; loads again if the filter changed while a load was under way. */
async function loadBatches(): Promise<void> {
  await useBatches.getState().api.load()
  if (lastInput !== inputKey()) await useBatches.getState().api.load()
}

// Paging: what is on screen, what is loading, and a generation that discards answers to an old filter.
let visible: PageRange[] = []
let generation = 0
const inFlight = new Set<string>()
let reloading = false
let reloadAgain = false
let reloadTimer: ReturnType<typeof setTimeout> | undefined
let subscribed = false
/** queue.changed arrived while the page was hidden. */
let missed = false

const pageKey = (batchId: number, page: number) => `${batchId}:${page}`

function wantedPages(): string[] {
  const keys: string[] = []
  for (const r of visible)
    for (let p = Math.floor(r.from / PAGE); p <= Math.floor(r.to / PAGE); p++)
      keys.push(pageKey(r.batchId, p))
  return keys
}

/** Asks for the pages on screen that are not loaded (a few at a time). */
function pump(): void {
  const { pages } = useQueueView.getState()
  const queued = wantedPages().filter((k) => !pages.has(k) && !inFlight.has(k))
  while (inFlight.size < PARALLEL && queued.length) void fetchPage(queued.shift()!)
}

function requestPage(key: string): Promise<Task[]> {
  const [batchId, page] = key.split(':').map(Number) as [number, number]
  const { filter, search } = useQueueView.getState()
  return api
    .invoke('queue.list', {
      batchId,
      status: FILTER_STATUSES[filter],
      search: search || undefined,
      offset: page * PAGE,
      limit: PAGE,
      sort: 'queue',
    })
    .then((r) => r.tasks)
}

/** Two answers for one task say the same (a task is flat, but for its error's details). */
function sameTask(a: Task, b: Task): boolean {
  for (const k in a)
    if (
      a[k as keyof Task] !== b[k as keyof Task] &&
      JSON.stringify(a[k as keyof Task]) !== JSON.stringify(b[k as keyof Task])
    )
      return false
  return Object.keys(a).length === Object.keys(b).length
}

/**
 * A reloaded page, with the tasks that did not change kept as they were (and the page itself when
 * none did): rows whose task is the same object are not drawn again (TaskRow is memoised), and most
 * rows on screen do not change between two reloads.
 */
function keepSame(old: Task[] | undefined, tasks: Task[]): Task[] {
  if (!old) return tasks
  let changed = old.length !== tasks.length
  const next = tasks.map((t, i) => {
    const o = old[i]
    if (o && o.id === t.id && sameTask(o, t)) return o
    changed = true
    return t
  })
  return changed ? next : old
}

/** Batches as reloaded, each unchanged one kept as it was (so its header is not drawn again). */
function keepSameBatches(old: Batch[] | undefined, batches: Batch[]): Batch[] {
  if (!old) return batches
  const byId = new Map(old.map((b) => [b.id, b]))
  let changed = old.length !== batches.length
  const next = batches.map((b, i) => {
    const o = byId.get(b.id)
    if (o && JSON.stringify(o) === JSON.stringify(b)) {
      if (old[i] !== o) changed = true
      return o
    }
    changed = true
    return b
  })
  return changed ? next : old
}

/**
 * Puts pages in the store, in one update; the selection follows its task if it moved. Nothing is
 * updated when nothing changed (a reload that finds the rows as they were redraws nothing).
 */
function applyPages(loaded: [string, Task[]][], keepOnly?: Set<string>): void {
  const s = useQueueView.getState()
  let changed = keepOnly !== undefined && [...s.pages.keys()].some((k) => !keepOnly.has(k))
  const pages = new Map(keepOnly ? [...s.pages].filter(([k]) => keepOnly.has(k)) : s.pages)
  let selected = s.selected
  for (const [key, answer] of loaded) {
    const tasks = keepSame(pages.get(key), answer)
    if (tasks !== pages.get(key)) changed = true
    pages.set(key, tasks)
    const [batchId, page] = key.split(':').map(Number) as [number, number]
    selected = relocate(selected, batchId, page, tasks)
  }
  if (changed || selected !== s.selected)
    useQueueView.setState({ pages: changed ? pages : s.pages, selected })
}

async function fetchPage(key: string): Promise<void> {
  const gen = generation
  inFlight.add(key)
  try {
    const tasks = await requestPage(key)
    if (gen === generation) applyPages([[key, tasks]])
  } catch (err) {
    if (gen === generation) useQueueView.setState({ actionError: (err as Error).message })
  } finally {
    inFlight.delete(key)
    pump()
  }
}

/** The selected task moved in the queue's order (it started, or finished): the selection follows it. */
function relocate(sel: Selection | null, batchId: number, page: number, tasks: Task[]): Selection | null {
  if (!sel || sel.kind !== 'task' || sel.id === null) return sel
  const i = tasks.findIndex((t) => t.id === sel.id)
  if (i < 0) return sel
  const index = currentLayout().indexOf(batchId, page * PAGE + i)
  return index < 0 || index === sel.index ? sel : { ...sel, index }
}

/** The list's rows as they are now. */
export function currentLayout(): Layout {
  return layout(shownBatches(), useQueueView.getState().collapsed)
}

/** The batches the list shows: all of them, or under a filter those with a task that passes it. */
export function shownBatches(): Batch[] {
  const batches = useBatches.getState().data ?? []
  const { filter, search } = useQueueView.getState()
  return filter === 'all' && !search ? batches : batches.filter((b) => shownCount(b) > 0)
}

/** queue.changed: in a moment, reload the batches and the pages on screen (others are dropped). */
function changed(): void {
  // Hidden: nobody sees the list; it reloads when the page is shown again.
  if (hidden()) {
    missed = true
    return
  }
  if (reloadTimer) return
  reloadTimer = setTimeout(() => void reload(), RELOAD_MS)
}

/**
 * Reloads the batches and the pages on screen (others are dropped), and shows them in one update
 * of both stores, so the list is drawn once a reload, not once per answer (a redraw of the list is
 * what a page showing a busy queue spends most on: bench/ui.bench.mjs).
 */
async function reload(): Promise<void> {
  if (reloadTimer) clearTimeout(reloadTimer)
  reloadTimer = undefined
  if (reloading) {
    reloadAgain = true
    return
  }
  reloading = true
  try {
    const gen = generation
    const wanted = wantedPages()
    const answers = Promise.all(
      wanted.map((k) =>
        requestPage(k).then(
          (tasks): [string, Task[]] => [k, tasks],
          () => undefined,
        ),
      ),
    )
    const { detailId } = useQueueView.getState()
    if (detailId !== null) void loadDetail(detailId)
    const input = batchesInput()
    const batches = await api.invoke('queue.batches', input).then(
      (data) => ({ data, error: undefined }),
      (err: Error) => ({ error: err.message }),
    )
    const loaded = (await answers).filter((a) => a !== undefined)
    if (gen !== generation) return
    const { data, error } = useBatches.getState()
    if (!('data' in batches)) useBatches.setState(batches)
    else {
      const kept = keepSameBatches(data, batches.data)
      if (kept !== data || error !== undefined) useBatches.setState({ data: kept, error: undefined })
    }
    applyPages(loaded, new Set(wanted))
  } finally {
    reloading = false
    if (reloadAgain) {
      reloadAgain = false
      void reload()
    }
    pump()
  }
}

async function loadDetail(taskId: number): Promise<void> {
  try {
    const detail = await api.invoke('task.get', { taskId })
    if (useQueueView.getState().detailId === taskId) useQueueView.setState({ detail, detailError: undefined })
  } catch (err) {
    if (useQueueView.getState().detailId === taskId)
      useQueueView.setState({ detailError: (err as Error).message })
  }
}

/**
 * Starts listening to the engine (once) and loads the batches. The filter and folds stay from the
 * last visit; the selection does not (the rows under it have moved since).
 */
export function startQueueView(): void {
  useQueueView.setState({ selected: null, detailId: null, detail: undefined, actionError: undefined })
  if (!subscribed) {
    subscribed = true
    api.on('queue.changed', changed)
    onShown(() => {
      if (!missed) return
      missed = false
      void reload()
    })
  }
  void loadBatches()
}

function refilter(set: (p: Partial<QueueViewState>) => void, patch: Partial<QueueViewState>): void {
  generation++
  set({ ...patch, pages: new Map(), selected: null })
  set({ collapsed: foldState() })
  void loadBatches()
}

export const useQueueView = create<QueueViewState>((set, get) => ({
  filter: 'all',
  search: '',
  pages: new Map(),
  collapsed: new Set(),
  selected: null,
  detailId: null,
  focus: null,
  searchEpoch: 0,
  api: {
    setFilter(filter) {
      if (filter !== get().filter) refilter(set, { filter })
    },
    setSearch(search) {
      if (search !== get().search) refilter(set, { search })
    },
    toggle(batchId) {
      folds.set(batchId, !get().collapsed.has(batchId))
      set({ collapsed: foldState() })
    },
    show(ranges) {
      visible = ranges
      pump()
    },
    select(selected) {
      set({ selected })
      if (selected?.kind === 'task' && selected.id !== null && get().detailId !== null)
        get().api.openDetails(selected.id)
    },
    openDetails(taskId) {
      const cached =
        taskId === null ? undefined : [...get().pages.values()].flat().find((t) => t.id === taskId)
      set({ detailId: taskId, detail: cached, detailError: undefined })
      if (taskId !== null) void loadDetail(taskId)
    },
    async run(what, action) {
      set({ actionError: undefined })
      try {
        await action()
      } catch (err) {
        set({ actionError: `${what}: ${(err as Error).message}` })
      }
      // Its effect shows now, not at the next reload.
      void reload()
    },
    resetFilters() {
      if (get().filter === 'all' && !get().search) return
      refilter(set, { filter: 'all', search: '', searchEpoch: get().searchEpoch + 1 })
    },
    focusBatch(batchId) {
      folds.set(batchId, false)
      const filtered = get().filter !== 'all' || get().search !== ''
      set({ focus: batchId })
      if (filtered) get().api.resetFilters()
      else {
        set({ collapsed: foldState() })
        // The batch may be newer than the list (a reload after queue.changed waits a moment).
        void reload()
      }
    },
    focused() {
      set({ focus: null })
    },
  },
}))

/** The task at row `index` of a batch, if its page is loaded. */
export function taskAt(pages: Map<string, Task[]>, batchId: number, index: number): Task | undefined {
  return pages.get(pageKey(batchId, Math.floor(index / PAGE)))?.[index % PAGE]
}

/** What the view's buttons do: each one a contract command, its failure shown in words. */
export const actions = {
  cancel: (taskId: number) =>
    useQueueView.getState().api.run('Cancel', () => api.invoke('task.cancel', { taskId })),
  retry: (taskId: number) =>
    useQueueView.getState().api.run('Retry', () => api.invoke('task.retry', { taskId })),
  setPriority: (taskId: number, priority: number) =>
    useQueueView
      .getState()
      .api.run('Change priority', () =>
        api.invoke('task.setPriority', { taskId, priority: Math.max(-1000, Math.min(1000, priority)) }),
      ),
  pauseBatch: (batchId: number) =>
    useQueueView.getState().api.run('Pause', () => api.invoke('batch.pause', { batchId })),
  resumeBatch: (batchId: number) =>
    useQueueView.getState().api.run('Resume', () => api.invoke('batch.resume', { batchId })),
  retryBatch: (batchId: number) =>
    useQueueView.getState().api.run('Retry', () => api.invoke('task.retry', { batchId })),
  cancelBatch: (batchId: number) =>
    useQueueView.getState().api.run('Cancel', () => api.invoke('task.cancel', { batchId })),
  clearBatch: (batchId: number, status: ('ok' | 'skip' | 'fail' | 'cancelled')[]) =>
    useQueueView.getState().api.run('Clear', () => api.invoke('queue.flush', { status, batchId })),
  retryAll: () => useQueueView.getState().api.run('Retry', () => api.invoke('task.retry', { all: true })),
  clearAll: () =>
    useQueueView
      .getState()
      .api.run('Clear', () => api.invoke('queue.flush', { status: ['ok', 'skip', 'cancelled'] })),
}
