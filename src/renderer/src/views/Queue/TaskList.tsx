import { useVirtualizer } from '@tanstack/react-virtual'
import { type KeyboardEvent, memo, useCallback, useEffect, useMemo, useRef } from 'react'
import type { Task } from '../../../../shared/model'
import { layout, layoutKey, type Layout } from './layout'
import { BatchHeader, HEADER_H, ROW_H, TaskRow } from './rows'
import { actions, type PageRange, shownBatches, taskAt, useBatches, useQueueView } from './store'

/** Rows rendered beyond each edge of the visible ones. */
export const OVERSCAN = 8

/**
 * The queue as one virtual list: a header per batch, then its tasks. Only the rows on screen (and
 * OVERSCAN either side) are mounted, and only their pages are asked of the engine. Keyboard: arrows
 * move the selection, Enter opens a task's details (or folds a batch), Delete cancels, Alt+arrows
 * move a task up or down in priority.
 */
export const TaskList = memo(function TaskList({
  onOpen,
}: {
  onOpen: (taskId: number, focus: boolean) => void
}) {
  const batchesData = useBatches((s) => s.data)
  const filter = useQueueView((s) => s.filter)
  const search = useQueueView((s) => s.search)
  const collapsed = useQueueView((s) => s.collapsed)
  const pages = useQueueView((s) => s.pages)
  const selected = useQueueView((s) => s.selected)
  const focus = useQueueView((s) => s.focus)
  const { select, toggle, show, focused } = useQueueView((s) => s.api)

  // eslint-disable-next-line react-hooks/exhaustive-deps -- shownBatches reads the same state
  const shown = useMemo(() => shownBatches(), [batchesData, filter, search])
  const byId = useMemo(() => new Map(shown.map((b) => [b.id, b])), [shown])
  // The layout changes only when batches, their sizes or folding do: a reload of the same counts
  // keeps it, so 100k rows are not measured again.
  const key = layoutKey(shown, collapsed)
  const rowsRef = useRef<{ key: string; rows: Layout }>(undefined)
  if (rowsRef.current?.key !== key) rowsRef.current = { key, rows: layout(shown, collapsed) }
  const rows = rowsRef.current.rows

  const scrollRef = useRef<HTMLDivElement>(null)
  const estimateSize = useCallback((i: number) => (rows.row(i).kind === 'batch' ? HEADER_H : ROW_H), [rows])
  const getItemKey = useCallback(
    (i: number) => {
      const r = rows.row(i)
      return r.kind === 'batch' ? `b${r.batchId}` : `t${r.batchId}:${r.i}`
    },
    [rows],
  )
  const v = useVirtualizer({
    count: rows.count,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    getItemKey,
    overscan: OVERSCAN,
  })
  const items = v.getVirtualItems()

  // Ask for the pages of the task rows on screen.
  const ranges: PageRange[] = []
  for (const it of items) {
    const r = rows.row(it.index)
    if (r.kind !== 'task') continue
    const last = ranges[ranges.length - 1]
    if (last && last.batchId === r.batchId && last.to === r.i - 1) last.to = r.i
    else ranges.push({ batchId: r.batchId, from: r.i, to: r.i })
  }
  const rangeKey = ranges.map((r) => `${r.batchId}:${r.from}-${r.to}`).join(',')
  useEffect(() => {
    show(ranges)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key stands for the ranges
  }, [rangeKey, show])

  // A selection whose task was not loaded yet takes the task once its page arrives.
  useEffect(() => {
    if (selected?.kind !== 'task' || selected.id !== null) return
    const r = selected.index < rows.count ? rows.row(selected.index) : undefined
    const t = r?.kind === 'task' ? taskAt(pages, r.batchId, r.i) : undefined
    if (t) select({ kind: 'task', id: t.id, index: selected.index })
  }, [pages, rows, selected, select])

  // A batch asked for (a toast's button, the shell): its header at the top, selected, the list focused.
  useEffect(() => {
    if (focus === null) return
    const i = rows.headerOf(focus)
    if (i < 0) return
    scrollRef.current?.focus({ preventScroll: true })
    select({ kind: 'batch', id: focus, index: i })
    v.scrollToIndex(i, { align: 'start' })
    focused()
  }, [focus, rows, select, focused, v])

  const selectIndex = useCallback(
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

  const onPickTask = useCallback(
    (index: number, task: Task | undefined) => {
      select({ kind: 'task', id: task?.id ?? null, index })
      if (task) onOpen(task.id, false)
      scrollRef.current?.focus({ preventScroll: true })
    },
    [select, onOpen],
  )
  const onPickBatch = useCallback(
    (index: number) => {
      const r = rows.row(index)
      select({ kind: 'batch', id: r.batchId, index })
      scrollRef.current?.focus({ preventScroll: true })
    },
    [rows, select],
  )

  const current = (): { task?: Task; batchId?: number } => {
    if (!selected || selected.index >= rows.count) return {}
    const r = rows.row(selected.index)
    if (r.kind === 'batch') return { batchId: r.batchId }
    const t = taskAt(pages, r.batchId, r.i)
    return { task: t && t.id === selected.id ? t : undefined }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return // keys on a header's buttons are theirs
    const at = selected?.index ?? -1
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_H) - 1)
    const { task, batchId } = current()
    const handled = () => {
      e.preventDefault()
      e.stopPropagation()
    }
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      if (task?.status === 'pending')
        void actions.setPriority(task.id, task.priority + (e.key === 'ArrowUp' ? -1 : 1))
      return handled()
    }
    switch (e.key) {
      case 'ArrowDown':
        selectIndex(at + 1)
        return handled()
      case 'ArrowUp':
        selectIndex(at < 0 ? 0 : at - 1)
        return handled()
      case 'PageDown':
        selectIndex(at + page)
        return handled()
      case 'PageUp':
        selectIndex(at - page)
        return handled()
      case 'Home':
        selectIndex(0)
        return handled()
      case 'End':
        selectIndex(rows.count - 1)
        return handled()
      case 'ArrowLeft':
      case 'ArrowRight':
        if (batchId !== undefined && collapsed.has(batchId) === (e.key === 'ArrowRight')) toggle(batchId)
        return handled()
      case 'Enter':
      case ' ':
        if (batchId !== undefined) toggle(batchId)
        else if (task) onOpen(task.id, true)
        return handled()
      case 'Delete':
        if (task && (task.status === 'pending' || task.status === 'active')) {
          void actions.cancel(task.id)
          // The cancelled task leaves the open ones: the selection goes on to the task after it.
          const next = at + 1 < rows.count ? rows.row(at + 1) : undefined
          const after = next?.kind === 'task' ? taskAt(pages, next.batchId, next.i) : undefined
          if (after) select({ kind: 'task', id: after.id, index: at + 1 })
        }
        return handled()
    }
  }

  const activeId = selected && selected.index < rows.count ? `q-row-${selected.index}` : undefined
  return (
    <div
      ref={scrollRef}
      className="q-list"
      role="grid"
      aria-label="Tasks by batch"
      aria-rowcount={rows.count}
      aria-activedescendant={activeId}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={() => {
        if (!selected && rows.count > 0) selectIndex(0, false)
      }}
    >
      <div className="q-list-inner" style={{ height: v.getTotalSize() }} role="presentation">
        {items.map((it) => {
          const r = rows.row(it.index)
          if (r.kind === 'batch') {
            const batch = byId.get(r.batchId)
            if (!batch) return null
            return (
              <BatchHeader
                key={it.key as string}
                batch={batch}
                index={it.index}
                collapsed={collapsed.has(r.batchId)}
                selected={selected?.kind === 'batch' && selected.id === r.batchId}
                top={it.start}
                onPick={onPickBatch}
                onToggle={toggle}
              />
            )
          }
          const task = taskAt(pages, r.batchId, r.i)
          return (
            <TaskRow
              key={it.key as string}
              task={task}
              index={it.index}
              selected={
                selected?.kind === 'task' &&
                (task ? selected.id === task.id : selected.id === null && selected.index === it.index)
              }
              top={it.start}
              onPick={onPickTask}
            />
          )
        })}
      </div>
    </div>
  )
})
