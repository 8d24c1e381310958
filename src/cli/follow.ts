// Following the queue by its events: the engine sends queue.progress after every change (at most 10
// a second per client) and batch.finished once per batch, to an engine in this process and over the
// WebSocket alike; the CLI listens, and asks for a snapshot only when one of them says something moved.
import type { QueueProgress } from '../shared/model'
import type { Session } from './connect'

/** Tasks not yet ended: while there are some, the batch (or the queue) is not done. */
export const openTasks = (p: QueueProgress): number => p.counts.pending + p.counts.active

/**
 * Resolves with the last progress of `batchId` (or of the whole queue) once none of its tasks is
 * pending or active; `onProgress` sees each snapshot before that. It subscribes first and then asks
 * once, so no change falls between the two; after that, every queue.progress or batch.finished
 * event brings a snapshot (the event's own for the whole queue; asked for, one request at a time,
 * for a batch), and the snapshot taken after the last change is the one that finds nothing open.
 * Rejects when the connection to the engine is lost, or a request fails.
 */
export function followQueue(
  session: Pick<Session, 'api' | 'lost'>,
  batchId: number | undefined,
  onProgress: (p: QueueProgress) => void,
): Promise<QueueProgress> {
  const { api } = session
  return new Promise<QueueProgress>((resolve, reject) => {
    let settled = false
    let asking = false
    let askAgain = false
    const stops: (() => void)[] = []
    const end = (settle: () => void) => {
      if (settled) return
      settled = true
      for (const stop of stops) stop()
      settle()
    }
    const seen = (p: QueueProgress) => {
      if (settled) return
      if (openTasks(p) === 0) end(() => resolve(p))
      else onProgress(p)
    }
    /** One request in flight at most; an event that comes meanwhile asks once more after it. */
    const ask = () => {
      if (settled) return
      if (asking) {
        askAgain = true
        return
      }
      asking = true
      api.invoke('queue.progress', batchId === undefined ? {} : { batchId }).then(
        (p) => {
          asking = false
          seen(p)
          if (askAgain) {
            askAgain = false
            ask()
          }
        },
        (err: unknown) => end(() => reject(err)),
      )
    }
    stops.push(
      api.on('queue.progress', (p) => (batchId === undefined && !asking ? seen(p) : ask())),
      api.on('batch.finished', (b) => {
        if (batchId === undefined || b.batchId === batchId) ask()
      }),
    )
    session.lost?.catch((err: unknown) => end(() => reject(err)))
    ask()
  })
}
