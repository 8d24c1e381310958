import { memo, useEffect } from 'react'
import type { WorkerState } from '../../../../shared/model'
import { ProgressBar } from '../../components/ProgressBar'
import { useProgress } from '../../store/progress'
import { lanes, workerTask } from './describe'

/**
 * One row per worker process, as aqueue shows them: its lane, the file it works on, how far it is.
 * Fed by the engine's progress events (at most 10 a second); fixed columns and tabular numbers, so
 * nothing moves when the numbers change.
 */
export const WorkersPanel = memo(function WorkersPanel() {
  const workers = useProgress((s) => s.progress?.workers)
  const start = useProgress((s) => s.api.start)
  useEffect(() => start(), [start])
  if (!workers) return null
  const busy = workers.filter((w) => w.taskId !== null).length
  return (
    <section className="q-workers" aria-labelledby="q-workers-title">
      <h2 id="q-workers-title">
        Workers{' '}
        <span className="muted num">
          {workers.length ? `${busy} of ${workers.length} busy` : 'none running'}
        </span>
      </h2>
      {workers.length > 0 && (
        <table className="q-workers-table" aria-labelledby="q-workers-title">
          <thead className="q-sr-only">
            <tr>
              <th scope="col">Worker</th>
              <th scope="col">File</th>
              <th scope="col">Progress</th>
            </tr>
          </thead>
          <tbody>
            {workers.map((w) => (
              <WorkerRow key={`${w.lane}-${w.slot}`} w={w} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
})

function WorkerRow({ w }: { w: WorkerState }) {
  const t = workerTask(w)
  const fraction = w.bytesTotal > 0 ? Math.min(1, w.bytesDone / w.bytesTotal) : null
  const name = `${lanes[w.lane]} ${w.slot + 1}`
  return (
    <tr className={t ? 'busy' : 'idle'} aria-label={`${name}: ${t ? `${t.type} ${t.name}` : 'idle'}`}>
      <th scope="row" className="q-worker-name">
        {name}
      </th>
      <td className="q-worker-file" title={t?.path}>
        {t ? (
          <>
            <span className="muted">{t.type} </span>
            {t.name}
          </>
        ) : (
          <span className="muted">idle</span>
        )}
      </td>
      <td className="q-worker-progress">
        {t && (
          <>
            <ProgressBar value={fraction ?? 0} label={`${name} progress`} />
            <span className="num q-pct">{fraction === null ? '—' : `${Math.floor(fraction * 100)}%`}</span>
          </>
        )}
      </td>
    </tr>
  )
}
