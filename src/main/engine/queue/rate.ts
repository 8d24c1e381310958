/** Bytes a second over a sliding window of the last few seconds. */
export class RateMeter {
  private samples: { at: number; bytes: number }[] = []

  constructor(
    private readonly windowMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  add(bytes: number): void {
    if (bytes <= 0) return
    this.samples.push({ at: this.now(), bytes })
    this.trim()
  }

  rate(): number {
    this.trim()
    if (this.samples.length === 0) return 0
    const total = this.samples.reduce((a, s) => a + s.bytes, 0)
    const span = Math.max(1000, this.now() - this.samples[0]!.at)
    return Math.round((total * 1000) / span)
  }

  private trim(): void {
    const cutoff = this.now() - this.windowMs
    while (this.samples.length && this.samples[0]!.at < cutoff) this.samples.shift()
  }
}
