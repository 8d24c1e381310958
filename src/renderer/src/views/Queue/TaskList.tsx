import { memo, useMemo, useRef } from 'react'
import type { Task } from '../../../../shared/model'
import { BatchHeader, TaskRow } from './rows'
import { type Selection, taskAt, useQueueView } from './store'
import {
  useFocusAskedBatch,
  useLayout,
  usePickBatch,
  usePickTask,
  useRowVirtualizer,
  useSelectIndex,
  useSelectionTakesTask,
  useShowPages,
  useShownBatches,
} from './useTaskList'
import { useTaskListKeys } from './useTaskListKeys'

export { OVERSCAN } from './useTaskList'

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
  const collapsed = useQueueView((s) => s.collapsed)
  const pages = useQueueView((s) => s.pages)
  const selected = useQueueView((s) => s.selected)
  const focus = useQueueView((s) => s.focus)
  const api = useQueueView((s) => s.api)
  const { select, toggle, show, focused } = api

  const shown = useShownBatches()
  const byId = useMemo(() => new Map(shown.map((b) => [b.id, b])), [shown])
  const rows = useLayout(shown, collapsed)

  const scrollRef = useRef<HTMLDivElement>(null)
  const v = useRowVirtualizer(rows, scrollRef)
  const items = v.getVirtualItems()
  useShowPages(items, rows, show)
  useSelectionTakesTask(selected, rows, pages, select)
  useFocusAskedBatch(focus, rows, scrollRef, v, select, focused)

  const selectIndex = useSelectIndex(rows, v, select)
  const onPickTask = usePickTask(scrollRef, select, onOpen)
  const onPickBatch = usePickBatch(rows, scrollRef, select)
  const onKeyDown = useTaskListKeys(rows, selected, pages, collapsed, api, scrollRef, selectIndex, onOpen)

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
              selected={isTaskSelected(selected, task, it.index)}
              top={it.start}
              onPick={onPickTask}
            />
          )
        })}
      </div>
    </div>
  )
})

/** A task row is selected by its task's id, or while its page is loading by its place. */
function isTaskSelected(selected: Selection | null, task: Task | undefined, index: number): boolean {
  return (
    selected?.kind === 'task' &&
    (task ? selected.id === task.id : selected.id === null && selected.index === index)
  )
}
