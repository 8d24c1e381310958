// The task list's state and effects, one hook per concern: the batches shown and their layout, the
// virtualizer over it, the pages asked of the engine, and the selection (by index, by click, as pages
// arrive, and as asked from outside).
import { useVirtualizer, type VirtualItem, type Virtualizer } from '@tanstack/react-virtual'
import { type RefObject, useCallback, useEffect, useMemo } from 'react'
import type { Batch, Task } from '../../../../shared/model'
import { layout, layoutKey, type Layout } from './layout'
import { HEADER_H, ROW_H } from './rows'
import { type PageRange, type Selection, shownBatches, taskAt, useBatches, useQueueView } from './store'

/** Rows rendered beyond each edge of the visible ones. */
export const OVERSCAN = 8

type Select = (selection: Selection) => void
type ListVirtualizer = Virtualizer<HTMLDivElement, Element>

/** The batches the list shows, computed again only when the batches, the filter or the search change. */
export function useShownBatches(): Batch[] {
  const batchesData = useBatches((s) => s.data)
  const filter = useQueueView((s) => s.filter)
  const search = useQueueView((s) => s.search)
  // eslint-disable-next-line react-hooks/exhaustive-deps -- shownBatches reads the same state
  return useMemo(() => shownBatches(), [batchesData, filter, search])
}

/**
 * The rows of the batches shown. The layout changes only when batches, their sizes or folding do: a
 * reload of the same counts keeps it, so 100k rows are not measured again.
 */
export function useLayout(shown: readonly Batch[], collapsed: ReadonlySet<number>): Layout {
  const key = layoutKey(shown, collapsed)
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key stands for the batches and folding
  return useMemo(() => layout(shown, collapsed), [key])
}

/** The virtualizer over the rows: headers and tasks each their own height, keyed by batch and place. */
export function useRowVirtualizer(
  rows: Layout,
  scrollRef: RefObject<HTMLDivElement | null>,
): ListVirtualizer {
  const estimateSize = useCallback((i: number) => (rows.row(i).kind === 'batch' ? HEADER_H : ROW_H), [rows])
  const getItemKey = useCallback(
    (i: number) => {
      const r = rows.row(i)
      return r.kind === 'batch' ? `b${r.batchId}` : `t${r.batchId}:${r.i}`
    },
    [rows],
  )
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read, never memoised
  return useVirtualizer({
    count: rows.count,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    getItemKey,
    overscan: OVERSCAN,
  })
}

/** The task rows among the items, as runs of consecutive tasks of one batch. */
function pageRanges(items: readonly VirtualItem[], rows: Layout): PageRange[] {
  const ranges: PageRange[] = []
  for (const it of items) {
    const r = rows.row(it.index)
    if (r.kind !== 'task') continue
    const last = ranges[ranges.length - 1]
    if (last && last.batchId === r.batchId && last.to === r.i - 1) last.to = r.i
    else ranges.push({ batchId: r.batchId, from: r.i, to: r.i })
  }
  return ranges
}

/** Asks for the pages of the task rows on screen. */
export function useShowPages(
  items: readonly VirtualItem[],
  rows: Layout,
  show: (ranges: PageRange[]) => void,
): void {
  const ranges = pageRanges(items, rows)
  const rangeKey = ranges.map((r) => `${r.batchId}:${r.from}-${r.to}`).join(',')
  useEffect(() => {
    show(ranges)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key stands for the ranges
  }, [rangeKey, show])
}

/** A selection whose task was not loaded yet takes the task once its page arrives. */
export function useSelectionTakesTask(
  selected: Selection | null,
  rows: Layout,
  pages: Map<string, Task[]>,
  select: Select,
): void {
  useEffect(() => {
    if (selected?.kind !== 'task' || selected.id !== null) return
    const r = selected.index < rows.count ? rows.row(selected.index) : undefined
    const t = r?.kind === 'task' ? taskAt(pages, r.batchId, r.i) : undefined
    if (t) select({ kind: 'task', id: t.id, index: selected.index })
  }, [pages, rows, selected, select])
}

/** A batch asked for (a toast's button, the shell): its header at the top, selected, the list focused. */
export function useFocusAskedBatch(
  focus: number | null,
  rows: Layout,
  scrollRef: RefObject<HTMLDivElement | null>,
  v: ListVirtualizer,
  select: Select,
  focused: () => void,
): void {
  useEffect(() => {
    if (focus === null) return
    const i = rows.headerOf(focus)
    if (i < 0) return
    scrollRef.current?.focus({ preventScroll: true })
    select({ kind: 'batch', id: focus, index: i })
    v.scrollToIndex(i, { align: 'start' })
    focused()
  }, [focus, rows, select, focused, v, scrollRef])
}

/** Selects the row at an index (clamped to the list), scrolling it into view unless told not to. */
export function useSelectIndex(rows: Layout, v: ListVirtualizer, select: Select) {
  return useCallback(
    (index: number, scroll = true) => {
      if (rows.count === 0) return
      const i = Math.max(0, Math.min(rows.count - 1, index))
      const r = rows.row(i)
      if (r.kind === 'batch') select({ kind: 'batch', id: r.batchId, index: i })
      else
        select({
          kind: 'task',
          id: taskAt(useQueueView.getState().pages, r.batchId, r.i)?.id ?? null,
          index: i,
        })
      if (scroll) v.scrollToIndex(i, { align: 'auto' })
    },
    [rows, select, v],
  )
}

/** A click on a task row: selects it, opens its details (once loaded), and keeps the keys on the list. */
export function usePickTask(
  scrollRef: RefObject<HTMLDivElement | null>,
  select: Select,
  onOpen: (taskId: number, focus: boolean) => void,
) {
  return useCallback(
    (index: number, task: Task | undefined) => {
      select({ kind: 'task', id: task?.id ?? null, index })
      if (task) onOpen(task.id, false)
      scrollRef.current?.focus({ preventScroll: true })
    },
    [select, onOpen, scrollRef],
  )
}

/** A click on a batch header: selects it, and keeps the keys on the list. */
export function usePickBatch(rows: Layout, scrollRef: RefObject<HTMLDivElement | null>, select: Select) {
  return useCallback(
    (index: number) => {
      const r = rows.row(index)
      select({ kind: 'batch', id: r.batchId, index })
      scrollRef.current?.focus({ preventScroll: true })
    },
    [rows, select, scrollRef],
  )
}
