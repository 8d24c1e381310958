// batch.finished: one event when a batch has nothing left to run, for notifications (one per batch or
// sync run, never one per file). The queue notes every batch where a task reached a final state; after
// each change the engine asks which of those have no pending or active task left.
import type { BatchFinished } from '../../../shared/model'
import type { EventBus } from '../events'
import type { Queue } from './queue'

export class BatchFinishWatch {
  constructor(
    private readonly queue: Queue,
    private readonly events: EventBus,
  ) {}

  /** Emits batch.finished for each batch that just ended. Cheap when nothing ended (no query). */
  check(): void {
    for (const batchId of this.queue.takeEnded()) {
      const finished = this.finished(batchId)
      if (finished) this.events.emit('batch.finished', finished)
    }
  }

  /** The batch's outcome when it has nothing left to run, else undefined. */
  finished(batchId: number): BatchFinished | undefined {
    if (this.queue.openTasks(batchId) > 0) return undefined
    const b = this.queue.batchOrigin(batchId)
    if (!b) return undefined
    // Counted in files: a convert's follow-up move is not a second one.
    const { ok, skip, fail, cancelled } = this.queue.fileCounts(batchId)
    const counts = { ok, skip, fail, cancelled }
    return { batchId, label: b.label, profile: b.profile, counts, at: Date.now() }
  }
}
