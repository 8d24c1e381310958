import * as Tooltip from '@radix-ui/react-tooltip'
import { FolderInput, RotateCcw, Search, Trash2 } from 'lucide-react'
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { ErrorText } from '../../components/ErrorText'
import { useProgress } from '../../store/progress'
import { TaskDetails } from './TaskDetails'
import { TaskList } from './TaskList'
import { WorkersPanel } from './WorkersPanel'
import {
  actions,
  type Filter,
  FILTERS,
  shownBatches,
  startQueueView,
  useBatches,
  useQueueView,
} from './store'
import './queue.css'

const FILTER_LABELS: Record<Filter, string> = {
  all: 'All',
  open: 'To do',
  done: 'Done',
  fail: 'Failed',
  cancelled: 'Cancelled',
}

/** Waits this long after the last keystroke before searching. */
const SEARCH_MS = 200

export function QueueView() {
  const batches = useBatches((s) => s.data)
  const loadError = useBatches((s) => s.error)
  const filter = useQueueView((s) => s.filter)
  const search = useQueueView((s) => s.search)
  const detailId = useQueueView((s) => s.detailId)
  const actionError = useQueueView((s) => s.actionError)
  const searchEpoch = useQueueView((s) => s.searchEpoch)
  const openDetails = useQueueView((s) => s.api.openDetails)
  const listRef = useRef<HTMLDivElement>(null)
  const detailsRef = useRef<HTMLElement>(null)

  // Before the list's own effects (a layout effect runs first): a batch a toast asked for is selected
  // by the list after this clears the selection of the last visit.
  useLayoutEffect(() => startQueueView(), [])

  const open = useCallback(
    (taskId: number, focus = false) => {
      openDetails(taskId)
      if (focus) requestAnimationFrame(() => detailsRef.current?.focus())
    },
    [openDetails],
  )
  const close = useCallback(() => {
    openDetails(null)
    listRef.current?.querySelector<HTMLElement>('[role="grid"]')?.focus()
  }, [openDetails])

  const empty = batches !== undefined && batches.length === 0
  const nothingShown = batches !== undefined && !empty && shownBatches().length === 0

  return (
    <Tooltip.Provider delayDuration={400}>
      <section className="q-view" aria-labelledby="queue-title">
        <header className="view-header q-header">
          <h1 id="queue-title">Queue</h1>
          <SearchBox key={searchEpoch} />
          <GlobalActions />
        </header>
        <Filters />
        <ErrorText>{actionError ?? loadError}</ErrorText>
        <WorkersPanel />
        {empty ? (
          <EmptyState icon={<FolderInput size={32} aria-hidden />} title="The queue is empty">
            Drop a folder here, or set up a sync.
          </EmptyState>
        ) : nothingShown ? (
          <EmptyState icon={<Search size={28} aria-hidden />} title="No task matches">
            {search ? <>Nothing in the queue has “{search}” in its path</> : 'No task is in that state'}
            {filter !== 'all' && ' with this filter'}.{' '}
            <button
              type="button"
              className="button"
              onClick={() => useQueueView.getState().api.resetFilters()}
            >
              Show all tasks
            </button>
          </EmptyState>
        ) : (
          <div className={`q-main ${detailId !== null ? 'with-details' : ''}`} ref={listRef}>
            <TaskList onOpen={open} />
            {detailId !== null && <TaskDetails ref={detailsRef} onClose={close} />}
          </div>
        )}
      </section>
    </Tooltip.Provider>
  )
}

/**
 * Parts that follow the live counts (10 times a second while the queue works) are components of
 * their own, so the list around them is not drawn again each time.
 */
const GlobalActions = memo(function GlobalActions() {
  const retryable = useProgress((s) =>
    s.progress ? s.progress.counts.fail + s.progress.counts.cancelled : 0,
  )
  const clearable = useProgress((s) =>
    s.progress ? s.progress.counts.ok + s.progress.counts.skip + s.progress.counts.cancelled : 0,
  )
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={retryable === 0}
        onClick={() => void actions.retryAll()}
        title="Put every failed and cancelled task back in the queue"
      >
        <RotateCcw size={14} aria-hidden /> Retry failed
      </button>
      <button
        type="button"
        className="button"
        disabled={clearable === 0}
        onClick={() => void actions.clearAll()}
        title="Remove done, skipped and cancelled tasks from the list (failed ones stay until retried or cleared)"
      >
        <Trash2 size={14} aria-hidden /> Clear finished
      </button>
    </>
  )
})

const Filters = memo(function Filters() {
  const filter = useQueueView((s) => s.filter)
  const setFilter = useQueueView((s) => s.api.setFilter)
  const counts = useProgress((s) => s.progress?.counts)
  const count = (f: Filter) => {
    if (!counts) return undefined
    if (f === 'all') return Object.values(counts).reduce((a, b) => a + b, 0)
    return {
      open: counts.pending + counts.active,
      done: counts.ok + counts.skip,
      fail: counts.fail,
      cancelled: counts.cancelled,
    }[f]
  }
  return (
    <div className="q-filters" role="group" aria-label="Show tasks">
      {FILTERS.map((f) => (
        <button
          key={f}
          type="button"
          className={`q-filter ${filter === f ? 'on' : ''}`}
          aria-pressed={filter === f}
          onClick={() => setFilter(f)}
        >
          {FILTER_LABELS[f]}{' '}
          <span className="num q-filter-count">{count(f)?.toLocaleString('en-US') ?? ''}</span>
        </button>
      ))}
    </div>
  )
})

/** The path search: applied a moment after typing stops (drawn anew when the filters are reset). */
function SearchBox() {
  const applied = useQueueView((s) => s.search)
  const setSearch = useQueueView((s) => s.api.setSearch)
  const [text, setText] = useState(applied)
  useEffect(() => {
    if (text.trim() === applied) return
    const t = setTimeout(() => setSearch(text.trim()), SEARCH_MS)
    return () => clearTimeout(t)
  }, [text, applied, setSearch])
  return (
    <label className="q-search">
      <Search size={14} aria-hidden />
      <input
        type="search"
        aria-label="Search paths"
        placeholder="Search paths"
        value={text}
        maxLength={4096}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') setSearch(text.trim())
        }}
      />
    </label>
  )
}
