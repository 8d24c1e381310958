// Time as the triggers see it: injectable, so a test can run the interval trigger on a fake clock.

export type TimerHandle = unknown

export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

/** The real clock. Its timers never keep the process alive on their own. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, Math.max(0, ms))
    t.unref?.()
    return t
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/** One pending timer at a time, rescheduled at will (a debounce, a periodic check). */
export class OneTimer {
  private handle: TimerHandle | undefined

  constructor(private readonly clock: Clock) {}

  get armed(): boolean {
    return this.handle !== undefined
  }

  /** Runs `fn` after `ms`, replacing what was pending. */
  set(ms: number, fn: () => void): void {
    this.clear()
    this.handle = this.clock.setTimeout(() => {
      this.handle = undefined
      fn()
    }, ms)
  }

  /** Runs `fn` after `ms` unless something is pending already. */
  ensure(ms: number, fn: () => void): void {
    if (!this.armed) this.set(ms, fn)
  }

  clear(): void {
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle)
    this.handle = undefined
  }
}
