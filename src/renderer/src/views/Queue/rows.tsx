import * as DropdownMenu from '@radix-ui/react-dropdown-menu'
import {
  Ban,
  Check,
  ChevronDown,
  ChevronRight,
  CircleAlert,
  Clock,
  HardDrive,
  MoreHorizontal,
  Pause,
  Play,
  RotateCcw,
  SkipForward,
} from 'lucide-react'
import { memo } from 'react'
import type { Batch, Task } from '../../../../shared/model'
import { formatBytes, formatTime } from '../../components/format'
import { ProgressBar } from '../../components/ProgressBar'
import { useProgress } from '../../store/progress'
import { countsText, finishedOf, lanes, nameOf, statusOf, totalOf } from './describe'
import { IconAction } from './IconAction'
import { actions } from './store'

export const ROW_H = 34
export const HEADER_H = 46

const ICONS = {
  Running: Play,
  Finishing: Play,
  Pending: Clock,
  Paused: Pause,
  Waiting: HardDrive,
  Adding: Clock,
  Retrying: RotateCcw,
  Done: Check,
  Skipped: SkipForward,
  Failed: CircleAlert,
  Cancelled: Ban,
} as const

/** The live fraction of a running task, from the worker that runs it (null when not running). */
function useLive(taskId: number | undefined): number | null {
  return useProgress((s) => {
    if (taskId === undefined) return null
    const w = s.progress?.workers.find((x) => x.taskId === taskId)
    if (!w) return null
    return w.bytesTotal > 0 ? Math.floor((w.bytesDone / w.bytesTotal) * 100) / 100 : 0
  })
}

export const TaskRow = memo(function TaskRow({
  task,
  index,
  selected,
  top,
  onPick,
}: {
  task: Task | undefined
  index: number
  selected: boolean
  top: number
  onPick: (index: number, task: Task | undefined) => void
}) {
  const style = { top, height: ROW_H }
  const live = useLive(task?.status === 'active' ? task.id : undefined)
  if (!task)
    return (
      <div
        role="row"
        id={`q-row-${index}`}
        aria-rowindex={index + 1}
        aria-selected={selected}
        className="q-row q-task loading"
        style={style}
        onClick={() => onPick(index, undefined)}
      >
        <div role="gridcell" className="q-cell-status muted">
          …
        </div>
        <div role="gridcell" className="q-cell-name muted">
          Loading…
        </div>
      </div>
    )
  const status = statusOf(task)
  const Icon = ICONS[status.text as keyof typeof ICONS] ?? Clock
  const { name, folder } = nameOf(task)
  const firstLine = task.error?.split('\n')[0]
  return (
    <div
      role="row"
      id={`q-row-${index}`}
      aria-rowindex={index + 1}
      aria-selected={selected}
      className={`q-row q-task ${selected ? 'selected' : ''} ${task.status}`}
      style={style}
      onClick={() => onPick(index, task)}
      title={task.src ?? task.dst ?? undefined}
    >
      <div role="gridcell" className={`q-cell-status tone-${status.tone}`}>
        <Icon size={14} aria-hidden />
        {status.text}
      </div>
      <div role="gridcell" className="q-cell-name">
        <span className="q-name">{name}</span>
        {task.status === 'fail' && firstLine ? (
          <span className="q-sub bad">{firstLine}</span>
        ) : (
          folder && <span className="q-sub muted">{folder}</span>
        )}
      </div>
      <div role="gridcell" className="q-cell-progress">
        {task.status === 'active' && (
          <>
            <ProgressBar value={live ?? 0} label={`Progress of ${name}`} />
            <span className="num q-pct">{live === null ? '' : `${Math.round(live * 100)}%`}</span>
          </>
        )}
      </div>
      <div role="gridcell" className="q-cell-size num">
        {task.bytesTotal > 0 ? formatBytes(task.bytesTotal) : ''}
      </div>
      <div role="gridcell" className="q-cell-lane muted">
        {task.type !== task.lane && <span className="q-type">{task.type} · </span>}
        {lanes[task.lane].toLowerCase()}
      </div>
    </div>
  )
})

export const BatchHeader = memo(function BatchHeader({
  batch,
  index,
  collapsed,
  selected,
  top,
  onPick,
  onToggle,
}: {
  batch: Batch
  index: number
  collapsed: boolean
  selected: boolean
  top: number
  onPick: (index: number) => void
  onToggle: (batchId: number) => void
}) {
  const style = { top, height: HEADER_H }
  const total = totalOf(batch)
  const finished = finishedOf(batch)
  const open = batch.counts.pending + batch.counts.active
  const label = batch.label || `Batch ${batch.id}`
  return (
    <div
      role="row"
      id={`q-row-${index}`}
      aria-rowindex={index + 1}
      aria-selected={selected}
      aria-expanded={!collapsed}
      aria-label={batchRowLabel(batch, label)}
      className={`q-row q-batch ${selected ? 'selected' : ''}`}
      style={style}
      onClick={() => onPick(index)}
    >
      <div role="gridcell" className="q-batch-toggle">
        <button
          type="button"
          className="q-chevron"
          aria-label={`${collapsed ? 'Show' : 'Hide'} the tasks of ${label}`}
          aria-expanded={!collapsed}
          onClick={(e) => {
            e.stopPropagation()
            onToggle(batch.id)
          }}
        >
          {collapsed ? <ChevronRight size={16} aria-hidden /> : <ChevronDown size={16} aria-hidden />}
        </button>
      </div>
      <div role="gridcell" className="q-batch-title">
        <BatchTitle batch={batch} label={label} />
      </div>
      <div role="gridcell" className="q-batch-bar">
        <ProgressBar
          value={total > 0 ? finished / total : 0}
          label={`Progress of ${label}`}
          tone={batchTone(batch, open, total)}
        />
      </div>
      <div role="gridcell" className="q-batch-actions">
        <BatchActions batch={batch} label={label} open={open} />
      </div>
    </div>
  )
})

/** What a screen reader hears for a batch row: its label, its counts, and whether it is paused. */
function batchRowLabel(batch: Batch, label: string): string {
  return `${label}, ${countsText(batch)
    .map((c) => c.text)
    .join(', ')}${batch.paused ? ', paused' : ''}`
}

/** The bar's tone: paused, some failed, or every task done; none otherwise. */
function batchTone(batch: Batch, open: number, total: number): 'paused' | 'bad' | 'ok' | undefined {
  return batch.paused ? 'paused' : batch.counts.fail > 0 ? 'bad' : open === 0 && total > 0 ? 'ok' : undefined
}

/** The batch's label, when it was made, whether it is paused, and its counts by state. */
function BatchTitle({ batch, label }: { batch: Batch; label: string }) {
  return (
    <>
      <div className="q-batch-line">
        <span className="q-batch-label" title={label}>
          {label}
        </span>
        <span className="q-batch-when muted num">{formatTime(batch.createdAt)}</span>
        {batch.paused && <span className="q-pill warn">Paused</span>}
      </div>
      <div className="q-batch-counts">
        {countsText(batch).map((c) => (
          <span key={c.status} className={`num q-count ${c.status}`}>
            {c.text}
          </span>
        ))}
      </div>
    </>
  )
}

/** Pause or resume (while tasks are open, or paused), retry the failed and cancelled, and the menu. */
function BatchActions({ batch, label, open }: { batch: Batch; label: string; open: number }) {
  const retryable = batch.counts.fail + batch.counts.cancelled
  return (
    <>
      {(open > 0 || batch.paused) &&
        (batch.paused ? (
          <IconAction label={`Resume ${label}`} onClick={() => void actions.resumeBatch(batch.id)}>
            <Play size={15} aria-hidden />
          </IconAction>
        ) : (
          <IconAction label={`Pause ${label}`} onClick={() => void actions.pauseBatch(batch.id)}>
            <Pause size={15} aria-hidden />
          </IconAction>
        ))}
      {retryable > 0 && (
        <IconAction
          label={`Retry the ${retryable} failed or cancelled tasks of ${label}`}
          onClick={() => void actions.retryBatch(batch.id)}
        >
          <RotateCcw size={15} aria-hidden />
        </IconAction>
      )}
      <BatchMenu batch={batch} label={label} open={open} />
    </>
  )
}

function BatchMenu({ batch, label, open }: { batch: Batch; label: string; open: number }) {
  const cleared = batch.counts.ok + batch.counts.skip + batch.counts.cancelled
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger asChild>
        <button
          type="button"
          className="icon-button q-icon"
          aria-label={`More actions for ${label}`}
          onClick={(e) => e.stopPropagation()}
        >
          <MoreHorizontal size={15} aria-hidden />
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="q-menu" align="end" sideOffset={4}>
          <DropdownMenu.Item
            className="q-menu-item"
            disabled={cleared === 0}
            onSelect={() => void actions.clearBatch(batch.id, ['ok', 'skip', 'cancelled'])}
          >
            Clear finished ({cleared.toLocaleString('en-US')})
          </DropdownMenu.Item>
          <DropdownMenu.Item
            className="q-menu-item"
            disabled={batch.counts.fail === 0}
            onSelect={() => void actions.clearBatch(batch.id, ['fail'])}
          >
            Clear failed ({batch.counts.fail.toLocaleString('en-US')})
          </DropdownMenu.Item>
          <DropdownMenu.Separator className="q-menu-sep" />
          <DropdownMenu.Item
            className="q-menu-item bad"
            disabled={open === 0}
            onSelect={() => void actions.cancelBatch(batch.id)}
          >
            Cancel the remaining {open.toLocaleString('en-US')}
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  )
}
