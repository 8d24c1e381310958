// A run a trigger started failed: the next firing waits, longer after each failure in a row, so a
// device that always fails (full, read-only, a bad file) is not synced again and again.

const MINUTE = 60_000
/** 1, 2, 4 … minutes after consecutive failures, at most an hour. */
export function triggerBackoffMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(2 ** (failures - 1), 60) * MINUTE
}

export class Backoff {
  failures = 0
  until = 0

  failed(now: number): number {
    this.failures++
    this.until = now + triggerBackoffMs(this.failures)
    return this.until
  }

  succeeded(): void {
    this.failures = 0
    this.until = 0
  }

  active(now: number): boolean {
    return now < this.until
  }
}
