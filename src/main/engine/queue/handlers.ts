import type { EngineContext } from '../context'
import type { HandlerGroup } from '../handlers'
import { FerryError } from '../../../shared/errors'
import { enqueue } from './enqueue'

type QueueCommands =
  | 'queue.enqueue'
  | 'queue.list'
  | 'queue.batches'
  | 'queue.progress'
  | 'queue.pause'
  | 'queue.resume'
  | 'queue.work'
  | 'queue.flush'
  | 'batch.pause'
  | 'batch.resume'
  | 'task.get'
  | 'task.cancel'
  | 'task.retry'
  | 'task.setPriority'

export function queueHandlers(ctx: EngineContext): HandlerGroup<QueueCommands> {
  const { queue, dispatcher } = ctx
  /** Clients refetch what they show, and get the new counts with it (no snapshot request needed). */
  const changed = () => {
    dispatcher.settle()
    ctx.events.emit('queue.changed', { at: Date.now() })
    ctx.events.emit('queue.progress', dispatcher.progress())
    dispatcher.kick()
  }
  return {
    'queue.enqueue': async (input) => {
      dispatcher.warm(input.mode === 'convert' ? 'convert' : 'transfer')
      const result = await enqueue(queue, input, ctx.presets)
      changed()
      return result
    },
    'queue.list': (q) => {
      const { tasks, total } = queue.list(q)
      return { tasks, total, offset: q.offset, limit: q.limit }
    },
    'queue.batches': ({ limit, status, search }) => queue.batches(limit, { status, search }),
    'queue.progress': ({ batchId }) => dispatcher.progress(batchId),
    'queue.pause': ({ now }) => {
      dispatcher.pause(now)
      return dispatcher.progress()
    },
    'queue.work': async () => {
      await ctx.startWork()
      return { working: true as const }
    },
    'queue.resume': () => {
      dispatcher.resume()
      return dispatcher.progress()
    },
    'queue.flush': ({ status, batchId }) => {
      const removed = queue.flush(status, batchId)
      changed()
      return { removed }
    },
    'batch.pause': ({ batchId }) => {
      queue.pauseBatch(batchId)
      changed()
      return queue.batch(batchId)
    },
    'batch.resume': ({ batchId }) => {
      queue.resumeBatch(batchId)
      changed()
      return queue.batch(batchId)
    },
    'task.get': ({ taskId }) => {
      const t = queue.get(taskId)
      if (!t) throw new FerryError('not_found', `No task ${taskId}.`)
      return t
    },
    'task.cancel': (sel) => {
      const { cancelled, active } = queue.cancel(sel)
      dispatcher.cancel(active)
      changed()
      return { cancelled }
    },
    'task.retry': (sel) => {
      const retried = queue.retry(sel)
      changed()
      return { retried }
    },
    'task.setPriority': ({ taskId, priority }) => {
      const t = queue.setPriority(taskId, priority)
      changed()
      return t
    },
  }
}
