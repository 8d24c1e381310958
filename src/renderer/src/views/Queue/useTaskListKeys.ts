import type { KeyboardEvent, RefObject } from 'react'
import type { Task } from '../../../../shared/model'
import type { Layout } from './layout'
import { ROW_H } from './rows'
import { actions, type Selection, taskAt, useQueueView } from './store'

type QueueApi = ReturnType<typeof useQueueView.getState>['api']

/** What is selected, as a task (once its page is loaded) or a batch header. */
function current(
  rows: Layout,
  selected: Selection | null,
  pages: Map<string, Task[]>,
): { task?: Task; batchId?: number } {
  if (!selected || selected.index >= rows.count) return {}
  const r = rows.row(selected.index)
  if (r.kind === 'batch') return { batchId: r.batchId }
  const t = taskAt(pages, r.batchId, r.i)
  return { task: t && t.id === selected.id ? t : undefined }
}

/**
 * The list's keys: arrows, Page Up/Down, Home and End move the selection; Left/Right fold a batch,
 * Enter or Space folds it or opens a task's details; Delete cancels a task; Alt+Up/Down move a pending
 * task in priority.
 */
export function useTaskListKeys(
  rows: Layout,
  selected: Selection | null,
  pages: Map<string, Task[]>,
  collapsed: ReadonlySet<number>,
  api: QueueApi,
  scrollRef: RefObject<HTMLDivElement | null>,
  selectIndex: (index: number) => void,
  onOpen: (taskId: number, focus: boolean) => void,
) {
  const { select, toggle } = api
  return (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return // keys on a header's buttons are theirs
    const at = selected?.index ?? -1
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_H) - 1)
    const { task, batchId } = current(rows, selected, pages)
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
}
