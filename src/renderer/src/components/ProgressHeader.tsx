import { Pause, Play } from 'lucide-react'
import { useEffect } from 'react'
import { waitingMessage } from '../../../shared/model'
import { api } from '../api'
import { useProgress } from '../store/progress'
import { formatBytes, formatDuration } from './format'
import { ProgressBar } from './ProgressBar'

/**
 * On every view: the whole queue at a glance — bar, done/total, bytes, rate, ETA — and pause/resume.
 * Fed by the engine's throttled progress events; the numbers keep a fixed width so nothing jumps.
 */
export function ProgressHeader() {
  const p = useProgress((s) => s.progress)
  const start = useProgress((s) => s.api.start)
  useEffect(() => start(), [start])
  if (!p) return <header className="progress-header" aria-label="Queue progress" />
  const done = p.counts.ok + p.counts.skip + p.counts.fail + p.counts.cancelled
  const open = p.counts.pending + p.counts.active
  const fraction = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.total > 0 ? done / p.total : 0
  const waiting = p.waitingFor[0]
  const state = p.paused
    ? 'Paused'
    : waiting && p.counts.active === 0
      ? 'Waiting'
      : open > 0
        ? 'Working'
        : 'Idle'
  return (
    <header className="progress-header" aria-label="Queue progress">
      <div className="progress-line">
        <span className={`state-pill ${state.toLowerCase()}`}>{state}</span>
        <ProgressBar
          value={open > 0 || done > 0 ? fraction : 0}
          label="Overall progress"
          tone={p.paused ? 'paused' : undefined}
        />
        <button
          type="button"
          className="icon-button"
          onClick={() =>
            void api.invoke(p.paused ? 'queue.resume' : 'queue.pause', p.paused ? undefined : { now: false })
          }
          aria-label={p.paused ? 'Resume the queue' : 'Pause the queue'}
          title={p.paused ? 'Resume the queue' : 'Pause the queue (running tasks finish)'}
        >
          {p.paused ? <Play size={16} aria-hidden /> : <Pause size={16} aria-hidden />}
        </button>
      </div>
      <div className="progress-facts" aria-live="off">
        <span className="num" data-testid="progress-count">
          {done}/{p.total} tasks
        </span>
        <span className="num">
          {formatBytes(p.bytesDone)} / {formatBytes(p.bytesTotal)}
        </span>
        <span className="num">{formatBytes(p.rate)}/s</span>
        <span className="num">ETA {open > 0 ? formatDuration(p.eta) : '—'}</span>
        {p.counts.fail > 0 && <span className="bad num">{p.counts.fail} failed</span>}
        {waiting && <span className="warn">{waitingMessage(waiting)}</span>}
      </div>
    </header>
  )
}
