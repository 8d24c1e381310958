import type { Lane, Task, WorkerState } from '../../../shared/model'
import type { RootIdentity } from '../ops/device'
import type { ConvertEnv, OpResult } from '../ops/types'
import type { SpawnWorker, WorkerChannel } from './protocol'

export interface PoolEvents {
  onResult(task: Task, result: OpResult): void
  onProgress(task: Task, done: number, total: number): void
}

interface Slot {
  lane: Lane
  index: number
  channel?: WorkerChannel
  ready: boolean
  bornAt: number
  task?: Task
  env?: ConvertEnv
  device?: RootIdentity
  cancelTimer?: ReturnType<typeof setTimeout>
  bytesDone: number
  bytesTotal: number
}

/** How long a cancelled operation may take to stop before its worker is killed. */
const CANCEL_GRACE_MS = 3000

/**
 * Long-lived worker processes, a set number per lane, one task each at a time. A worker that dies is
 * replaced at once, and the task it held is reported as a retryable failure. Workers start on first
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
      this.slots.push({ lane, index: i, ready: false, bornAt: 0, bytesDone: 0, bytesTotal: 0 })
    }
    for (const slot of current.slice(size)) {
      if (slot.task) continue // shrinks once its task is done
      slot.channel?.kill()
      this.slots.splice(this.slots.indexOf(slot), 1)
    }
  }

  /** A slot of the lane that has no task, if any. */
  hasIdle(lane: Lane): boolean {
    return this.slots.some((s) => s.lane === lane && !s.task)
  }

  run(task: Task, env?: ConvertEnv, device?: RootIdentity): void {
    const slot = this.slots.find((s) => s.lane === task.lane && !s.task)
    if (!slot) throw new Error(`no idle ${task.lane} worker`)
    slot.task = task
    slot.env = env
    slot.device = device
    slot.bytesDone = 0
    slot.bytesTotal = task.bytesTotal
    if (!slot.channel) this.start(slot)
    else if (slot.ready) this.dispatch(slot)
  }

  /** Asks the worker running the task to stop; kills it if it does not within a few seconds. */
  cancel(taskId: number): boolean {
    const slot = this.slots.find((s) => s.task?.id === taskId)
    if (!slot?.channel) return false
    slot.channel.send({ type: 'cancel', taskId })
    slot.cancelTimer ??= setTimeout(() => slot.channel?.kill(), CANCEL_GRACE_MS)
    return true
  }

  running(): Task[] {
    return this.slots.flatMap((s) => (s.task ? [s.task] : []))
  }

  states(): WorkerState[] {
    return this.slots.map((s) => ({
      lane: s.lane,
      slot: s.index,
      pid: s.channel?.pid ?? null,
      taskId: s.task?.id ?? null,
      task: s.task ? describe(s.task) : null,
      bytesDone: s.bytesDone,
      bytesTotal: s.bytesTotal,
    }))
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
    const channel = this.spawn(this.script, `${slot.lane}-${slot.index}`)
    slot.channel = channel
    slot.ready = false
    slot.bornAt = Date.now()
    channel.onMessage((msg) => {
      if (slot.channel !== channel) return
      if (msg.type === 'ready') {
        slot.ready = true
        if (slot.task) this.dispatch(slot)
      } else if (msg.type === 'progress' && slot.task?.id === msg.taskId) {
        slot.bytesDone = msg.done
        slot.bytesTotal = msg.total
        this.events.onProgress(slot.task, msg.done, msg.total)
      } else if (msg.type === 'result' && slot.task?.id === msg.taskId) {
        const task = slot.task
        this.release(slot)
        this.events.onResult(task, msg.result)
      }
    })
    channel.onExit((code, signal) => {
      if (slot.channel !== channel) return
      slot.channel = undefined
      slot.ready = false
      const task = slot.task
      const cancelling = slot.cancelTimer !== undefined
      this.release(slot)
      if (this.closing) return
      if (task) {
        const how = signal ? `was killed (${signal})` : `exited with code ${code}`
        this.events.onResult(
          task,
          cancelling
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

  private dispatch(slot: Slot): void {
    const t = slot.task!
    slot.channel!.send({
      type: 'run',
      req: {
        taskId: t.id,
        type: t.type,
        src: t.src,
        dst: t.dst,
        root: t.root,
        device: slot.device,
        spec: t.spec,
        env: slot.env,
      },
    })
  }

  private release(slot: Slot): void {
    if (slot.cancelTimer) clearTimeout(slot.cancelTimer)
    slot.cancelTimer = undefined
    slot.task = undefined
    slot.env = undefined
    slot.device = undefined
    slot.bytesDone = 0
    slot.bytesTotal = 0
  }
}

function describe(t: Task): string {
  return t.src ? `${t.type} ${t.src}` : `${t.type} #${t.id}`
}
