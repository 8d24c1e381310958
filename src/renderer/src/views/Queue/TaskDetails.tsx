import { ArrowDown, ArrowUp, Ban, Copy, RotateCcw, X } from 'lucide-react'
import { forwardRef, type KeyboardEvent, useRef, useState } from 'react'
import type { Task } from '../../../../shared/model'
import { ErrorText } from '../../components/ErrorText'
import { formatBytes, formatTime } from '../../components/format'
import { ProgressBar } from '../../components/ProgressBar'
import { useProgress } from '../../store/progress'
import { lanes, nameOf, statusOf } from './describe'
import { actions, useBatches, useQueueView } from './store'

/**
 * Everything about one task: its paths, state, attempts, times, and the error in full (selectable,
 * with a Copy button). Actions: cancel, retry, move up or down in priority. Escape closes it.
 */
export const TaskDetails = forwardRef<HTMLElement, { onClose: () => void }>(function TaskDetails(
  { onClose },
  ref,
) {
  const detail = useQueueView((s) => s.detail)
  const detailError = useQueueView((s) => s.detailError)
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation()
      onClose()
    }
  }
  return (
    <aside
      className="q-details"
      aria-labelledby="q-details-title"
      ref={ref}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <div className="q-details-head">
        <h2 id="q-details-title">{detail ? nameOf(detail).name : 'Task'}</h2>
        <button type="button" className="icon-button" aria-label="Close the details" onClick={onClose}>
          <X size={16} aria-hidden />
        </button>
      </div>
      {detailError && !detail && <ErrorText>{detailError}</ErrorText>}
      {detail && <Body t={detail} gone={Boolean(detailError)} />}
    </aside>
  )
})

function Body({ t, gone }: { t: Task; gone: boolean }) {
  const status = statusOf(t)
  const name = nameOf(t).name
  return (
    <>
      {gone && <p className="muted">This task is no longer in the queue (cleared).</p>}
      <p className={`q-details-status tone-${status.tone}`}>
        {status.text}
        {status.why && <span className="muted"> — {status.why}</span>}
      </p>
      {t.status === 'active' && <Progress t={t} name={name} />}
      {t.error && <ErrorBlock error={t.error} failed={t.status === 'fail'} />}
      <div className="q-details-actions">
        <Actions t={t} />
      </div>
      <Facts t={t} />
    </>
  )
}

/** A running task's progress, live from the worker that runs it. */
function Progress({ t, name }: { t: Task; name: string }) {
  const worker = useProgress((s) => s.progress?.workers.find((w) => w.taskId === t.id))
  const fraction = worker && worker.bytesTotal > 0 ? worker.bytesDone / worker.bytesTotal : null
  return (
    <div className="q-details-progress">
      <ProgressBar value={fraction ?? 0} label={`Progress of ${name}`} />
      <span className="num">
        {worker
          ? `${formatBytes(worker.bytesDone)} / ${formatBytes(worker.bytesTotal)}`
          : formatBytes(t.bytesTotal)}
      </span>
    </div>
  )
}

/** What can be done with the task in its state: cancel, retry, or move it in priority. */
function Actions({ t }: { t: Task }) {
  const open = t.status === 'pending' || t.status === 'active'
  return (
    <>
      {open && (
        <button type="button" className="button danger" onClick={() => void actions.cancel(t.id)}>
          <Ban size={14} aria-hidden /> Cancel task
        </button>
      )}
      {(t.status === 'fail' || t.status === 'cancelled') && (
        <button type="button" className="button primary" onClick={() => void actions.retry(t.id)}>
          <RotateCcw size={14} aria-hidden /> Retry task
        </button>
      )}
      {t.status === 'pending' && (
        <>
          <button
            type="button"
            className="button"
            title="Run sooner: lower the priority number by one (lower runs first)"
            disabled={t.priority <= -1000}
            onClick={() => void actions.setPriority(t.id, t.priority - 1)}
          >
            <ArrowUp size={14} aria-hidden /> Move up
          </button>
          <button
            type="button"
            className="button"
            title="Run later: raise the priority number by one"
            disabled={t.priority >= 1000}
            onClick={() => void actions.setPriority(t.id, t.priority + 1)}
          >
            <ArrowDown size={14} aria-hidden /> Move down
          </button>
        </>
      )}
    </>
  )
}

/** The task's paths, operation, batch, size, priority, attempts and times. */
function Facts({ t }: { t: Task }) {
  const batch = useBatches((s) => s.data?.find((b) => b.id === t.batchId))
  return (
    <dl className="q-facts">
      <dt>Source</dt>
      <dd className="path">{t.src ?? '—'}</dd>
      <dt>Destination</dt>
      <dd className="path">{t.dst ?? '—'}</dd>
      <dt>Operation</dt>
      <dd>
        {t.type} <span className="muted">({lanes[t.lane].toLowerCase()} lane)</span>
        {t.spec.preset && <span className="muted">, preset {t.spec.preset.name}</span>}
      </dd>
      <dt>Batch</dt>
      <dd>{batch?.label ?? `#${t.batchId}`}</dd>
      <dt>Size</dt>
      <dd className="num">{t.bytesTotal > 0 ? formatBytes(t.bytesTotal) : '—'}</dd>
      <dt>Priority</dt>
      <dd className="num">
        {t.priority} <span className="muted">(lower runs first)</span>
      </dd>
      <dt>Attempts</dt>
      <dd className="num">
        {t.attempts} of {t.maxAttempts}
      </dd>
      <dt>Queued</dt>
      <dd className="num">{formatTime(t.createdAt)}</dd>
      {t.startedAt !== null && (
        <>
          <dt>Started</dt>
          <dd className="num">{formatTime(t.startedAt)}</dd>
        </>
      )}
      {t.finishedAt !== null && (
        <>
          <dt>Finished</dt>
          <dd className="num">{formatTime(t.finishedAt)}</dd>
        </>
      )}
      {t.result && (
        <>
          <dt>Result</dt>
          <dd>{t.result}</dd>
        </>
      )}
      <dt>Task</dt>
      <dd className="num muted">#{t.id}</dd>
    </dl>
  )
}

function ErrorBlock({ error, failed }: { error: string; failed: boolean }) {
  const pre = useRef<HTMLPreElement>(null)
  const [copied, setCopied] = useState<string>()
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(error)
      setCopied('Copied.')
    } catch {
      // No clipboard here (a page without permission): select the text for Ctrl+C instead.
      const range = document.createRange()
      if (pre.current) range.selectNodeContents(pre.current)
      const sel = window.getSelection()
      sel?.removeAllRanges()
      sel?.addRange(range)
      setCopied('Selected: press Ctrl+C to copy.')
    }
  }
  return (
    <section className="q-error" aria-labelledby="q-error-title">
      <div className="q-error-head">
        <h3 id="q-error-title">{failed ? 'Why it failed' : 'Last error'}</h3>
        <button type="button" className="button" onClick={() => void copy()}>
          <Copy size={14} aria-hidden /> Copy error
        </button>
        <span className="muted" role="status">
          {copied}
        </span>
      </div>
      <pre ref={pre} className="q-error-text" data-testid="task-error">
        {error}
      </pre>
    </section>
  )
}
