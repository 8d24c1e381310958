import type { Lane, Task, TaskType, WorkerState } from '../../../shared/model'
import type { RootIdentity } from '../ops/device'
import type { ConvertEnv, OpResult } from '../ops/types'
import { type SpawnWorker, type WorkerChannel, workerName } from './protocol'

export interface PoolEvents {
  onResult(task: Task, result: OpResult): void
  onProgress(task: Task, done: number, total: number): void
}

/** A task a worker runs, with what it needs. */
interface Held {
  task: Task
  env?: ConvertEnv
  device?: RootIdentity
  sent: boolean
  bytesDone: number
  bytesTotal: number
}

interface Slot {
  lane: Lane
  index: number
  channel?: WorkerChannel
  ready: boolean
  bornAt: number
  /** In the order they were handed over; the first is the one shown. */
  held: Held[]
  /** Tasks asked to stop: if the worker has to be killed, these end cancelled, the others are retried. */
  cancelling: Set<number>
  cancelTimer?: ReturnType<typeof setTimeout>
}

/** How long a cancelled operation may take to stop before its worker is killed. */
const CANCEL_GRACE_MS = 3000

/**
 * A transfer worker takes several tasks at once, so that their copies overlap and their writes are
 * made durable by one group commit (ops/durable.ts): up to GROUP_TASKS tasks while the bytes they
 * hold stay under GROUP_BYTES — dozens of small files, or a few large ones. 20 × 32 MiB (copy.bench):
 * one at a time ≈ 1.7× `cp -r && sync -f`; three (128 MiB) ≈ 1.2×, the disk idle while each three
 * copied and the CPU idle while they synced; seven (256 MiB) ≈ 1.05×, the next ones copying while
 * the last round syncs (the worker's thread pool is sized for them: worker-entry.ts). A file
 * larger than that goes alone; a convert worker runs one encode.
 */
export const GROUP_TASKS = 32
export const GROUP_BYTES = 256 * 1024 * 1024
/** The operations that write through the group commit. */
const GROUPED: readonly TaskType[] = ['copy', 'move']
/**
 * rerun: an attempt of the task was cut short before (a crash, a killed worker): its file may already
 * be in place. solo: it failed before, so it runs alone (see Queue.claim).
 */
export type Claimed = Task & { rerun?: boolean; solo?: boolean }

/**
 * Long-lived worker processes, a set number per lane: one task each at a time, or (transfer) a group
 * of small ones. A worker that dies is replaced at once, and the tasks it held are reported as
 * retryable failures (or cancelled, those it was asked to stop). Workers start on first
 * use, so an engine that only answers questions spawns none.
 */
export class WorkerPool {
  private readonly slots: Slot[] = []
  private closing = false

  constructor(
    private readonly script: string,
    private readonly spawn: SpawnWorker,
    sizes: Record<Lane, number>,
    private readonly events: PoolEvents,
  ) {
    for (const lane of Object.keys(sizes) as Lane[]) this.resize(lane, sizes[lane])
  }

  resize(lane: Lane, size: number): void {
    const current = this.slots.filter((s) => s.lane === lane)
    for (let i = current.length; i < size; i++) {
      this.slots.push({ lane, index: i, ready: false, bornAt: 0, held: [], cancelling: new Set() })
    }
    for (const slot of current.slice(size)) {
      if (slot.held.length) continue // shrinks once its tasks are done
      slot.channel?.kill()
      this.slots.splice(this.slots.indexOf(slot), 1)
    }
  }

  /** A slot of the lane that has no task, if any. */
  hasIdle(lane: Lane): boolean {
    return this.slots.some((s) => s.lane === lane && s.held.length === 0)
  }

  /**
   * What the lane can take now: any task (an idle worker), a small copy or move (a transfer worker
   * whose group has room: `types`, under `maxBytes`), or nothing.
   */
  room(lane: Lane): 'idle' | { types: readonly TaskType[]; maxBytes: number } | undefined {
    if (this.hasIdle(lane)) return 'idle'
    let maxBytes = 0
    for (const s of this.slots) if (s.lane === lane) maxBytes = Math.max(maxBytes, this.groupRoom(s))
    return maxBytes > 0 ? { types: GROUPED, maxBytes } : undefined
  }

  run(task: Claimed, env?: ConvertEnv, device?: RootIdentity): void {
    this.assign(task, env, device)
    this.flush()
  }

  /**
   * Gives the task a worker (its room counts from now on) without telling the worker yet: the
   * dispatcher claims several tasks in one transaction, and they leave for their workers (`flush`)
   * only once it has committed, or are taken back (`unassign`) if it did not.
   */
  assign(task: Claimed, env?: ConvertEnv, device?: RootIdentity): void {
    // An idle worker first (files spread over the lane's workers), else a group with room for it.
    const slot =
      this.slots.find((s) => s.lane === task.lane && s.held.length === 0) ??
      this.slots.find(
        (s) => s.lane === task.lane && GROUPED.includes(task.type) && this.groupRoom(s) > task.bytesTotal,
      )
    if (!slot) throw new Error(`no idle ${task.lane} worker`)
    if (slot.held.length === 0) slot.cancelling.clear()
    slot.held.push({ task, env, device, sent: false, bytesDone: 0, bytesTotal: task.bytesTotal })
  }

  /** Sends every assigned task to its worker, starting the workers that are not running. */
  flush(): void {
    for (const slot of this.slots) {
      if (!slot.held.some((h) => !h.sent)) continue
      if (!slot.channel) this.start(slot)
      else if (slot.ready) for (const h of slot.held) this.dispatch(slot, h)
    }
  }

  /** Takes back assigned tasks not sent yet (their claim was rolled back). */
  unassign(taskIds: readonly number[]): void {
    for (const slot of this.slots) slot.held = slot.held.filter((h) => h.sent || !taskIds.includes(h.task.id))
  }

  /** Starts a worker of the lane ahead of its first task (its start-up then overlaps the enqueue). */
  warm(lane: Lane): void {
    const slot = this.slots.find((s) => s.lane === lane)
    if (slot && !slot.channel && !this.closing) this.start(slot)
  }

  /** Asks the worker running the task to stop; kills it if it does not within a few seconds. */
  cancel(taskId: number): boolean {
    const slot = this.slots.find((s) => s.held.some((h) => h.task.id === taskId))
    if (!slot?.channel) return false
    slot.cancelling.add(taskId)
    slot.channel.send({ type: 'cancel', taskId })
    slot.cancelTimer ??= setTimeout(() => slot.channel?.kill(), CANCEL_GRACE_MS)
    return true
  }

  running(): Task[] {
    return this.slots.flatMap((s) => s.held.map((h) => h.task))
  }

  states(): WorkerState[] {
    return this.slots.map((s) => {
      const first = s.held[0]
      const more = s.held.length > 1 ? ` (+${s.held.length - 1} more)` : ''
      return {
        lane: s.lane,
        slot: s.index,
        pid: s.channel?.pid ?? null,
        taskId: first?.task.id ?? null,
        task: first ? describe(first.task) + more : null,
        bytesDone: s.held.reduce((n, h) => n + h.bytesDone, 0),
        bytesTotal: s.held.reduce((n, h) => n + h.bytesTotal, 0),
      }
    })
  }

  /** Bytes a busy worker's group can still take (0: none; a group is of copies and moves only). */
  private groupRoom(s: Slot): number {
    if (s.lane !== 'transfer' || s.held.length === 0 || s.held.length >= GROUP_TASKS || s.cancelTimer)
      return 0
    // A task that failed before runs alone (see Queue.claim), and so does any other operation.
    if (!s.held.every((h) => GROUPED.includes(h.task.type) && !(h.task as Claimed).solo)) return 0
    return Math.max(0, GROUP_BYTES - s.held.reduce((n, h) => n + h.task.bytesTotal, 0))
  }

  pids(lane?: Lane): number[] {
    return this.slots
      .filter((s) => !lane || s.lane === lane)
      .flatMap((s) => (s.channel?.pid ? [s.channel.pid] : []))
  }

  /** Kills every worker. Tasks they held are not reported: the caller requeues them. */
  close(): void {
    this.closing = true
    for (const s of this.slots) {
      if (s.cancelTimer) clearTimeout(s.cancelTimer)
      s.channel?.kill()
    }
  }

  private start(slot: Slot): void {
    const channel = this.spawn(this.script, workerName(slot.lane, slot.index))
    slot.channel = channel
    slot.ready = false
    slot.bornAt = Date.now()
    channel.onMessage((msg) => {
      if (slot.channel !== channel) return
      if (msg.type === 'ready') {
        slot.ready = true
        for (const h of slot.held) this.dispatch(slot, h)
        return
      }
      const h = slot.held.find((x) => x.task.id === msg.taskId)
      if (!h) return
      if (msg.type === 'progress') {
        h.bytesDone = msg.done
        h.bytesTotal = msg.total
        this.events.onProgress(h.task, msg.done, msg.total)
      } else if (msg.type === 'result') {
        this.release(slot, h)
        this.events.onResult(h.task, msg.result)
      }
    })
    channel.onExit((code, signal) => {
      if (slot.channel !== channel) return
      slot.channel = undefined
      slot.ready = false
      const held = slot.held
      const cancelling = new Set(slot.cancelling)
      slot.held = []
      this.release(slot)
      if (this.closing) return
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`
      for (const { task } of held) {
        this.events.onResult(
          task,
          cancelling.has(task.id)
            ? { kind: 'cancelled' }
            : { kind: 'fail', error: `The worker process ${how} while running this task.`, retryable: true },
        )
      }
      // Back to full size: a worker that died young is replaced after a pause, never in a hot loop.
      if (this.slots.includes(slot)) {
        const young = Date.now() - slot.bornAt < 1000
        setTimeout(
          () => {
            if (!this.closing && !slot.channel) this.start(slot)
          },
          young ? 500 : 0,
        )
      }
    })
  }

  private dispatch(slot: Slot, h: Held): void {
    if (h.sent) return
    h.sent = true
    const t = h.task as Claimed
    slot.channel!.send({
      type: 'run',
      req: {
        taskId: t.id,
        type: t.type,
        src: t.src,
        dst: t.dst,
        root: t.root,
        device: h.device,
        spec: t.spec,
        env: h.env,
        rerun: t.rerun === true,
      },
    })
  }

  /** A task left the slot (or, without one, all did); the cancel timer stops with the last cancelled one. */
  private release(slot: Slot, h?: Held): void {
    if (h) {
      slot.held = slot.held.filter((x) => x !== h)
      slot.cancelling.delete(h.task.id)
    }
    if (slot.cancelling.size === 0 || slot.held.length === 0) {
      if (slot.cancelTimer) clearTimeout(slot.cancelTimer)
      slot.cancelTimer = undefined
      if (slot.held.length === 0) slot.cancelling.clear()
    }
  }
}

function describe(t: Task): string {
  return t.src ? `${t.type} ${t.src}` : `${t.type} #${t.id}`
}
