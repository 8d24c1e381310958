// "Library changed": a profile's sources watched, and a burst of changes (an album being ripped or
// tagged) turned into one firing once the library has been quiet for a while. What Ferry itself
// writes (its temporary files, a destination or data folder inside a source) is not a change.
import { basename, sep } from 'node:path'
import { MARKER } from '../ops/device'
import { isInsideOrSame, TEMP_PREFIX } from '../ops/fsutil'
import { type Clock, OneTimer } from './clock'
import type { TreeWatch, TreeWatches } from './tree-watch'

export interface LibraryWatchOptions {
  sources: string[]
  includeHidden: boolean
  /** Folders whose changes are Ferry's own (the destination, the data folder). */
  ignore: string[]
  clock: Clock
  /** Fire once nothing changed for this long. */
  quietMs: number
  /** …but at the latest this long after the first change of a burst (a library that never rests). */
  maxWaitMs: number
  /** The changes settled: `count` events since the last firing. */
  fire(count: number): void
  /** Watching is impossible (too many folders, the system's limit): why. */
  failed(reason: string): void
}

export class LibraryWatch {
  private readonly offs: (() => void)[] = []
  private readonly trees: TreeWatch[] = []
  private readonly quiet: OneTimer
  private count = 0
  private firstAt = 0
  private lastAt = 0
  failure: string | null = null

  constructor(
    trees: TreeWatches,
    private readonly o: LibraryWatchOptions,
  ) {
    this.quiet = new OneTimer(o.clock)
    for (const src of o.sources) {
      const { tree, unsubscribe } = trees.subscribe(src, {
        change: (path) => this.onChange(path),
        failed: (reason) => this.onFailed(reason),
      })
      this.trees.push(tree)
      this.offs.push(unsubscribe)
    }
  }

  /** Settles once every source tree is walked and watched; returns how many folders are watched. */
  async ready(): Promise<number> {
    await Promise.all(this.trees.map((t) => t.ready))
    return this.trees.reduce((n, t) => n + t.folders, 0)
  }

  close(): void {
    this.quiet.clear()
    for (const off of this.offs.splice(0)) off()
  }

  private ignored(path: string): boolean {
    const name = basename(path)
    if (name.startsWith(TEMP_PREFIX) || name === MARKER) return true
    if (this.o.ignore.some((dir) => isInsideOrSame(dir, path))) return true
    if (!this.o.includeHidden) {
      for (const src of this.o.sources)
        if (
          isInsideOrSame(src, path) &&
          path
            .slice(src.length)
            .split(sep)
            .some((p) => p.startsWith('.'))
        )
          return true
    }
    return false
  }

  private onChange(path: string): void {
    if (this.failure || this.ignored(path)) return
    const now = this.o.clock.now()
    if (this.count === 0) this.firstAt = now
    this.count++
    this.lastAt = now
    if (!this.quiet.armed) this.arm(this.o.quietMs)
  }

  /** Waits for the quiet period, counted from the last change, but no longer than maxWait in all. */
  private arm(ms: number): void {
    this.quiet.set(ms, () => {
      const now = this.o.clock.now()
      const rest = Math.min(this.lastAt + this.o.quietMs, this.firstAt + this.o.maxWaitMs) - now
      if (rest > 0) return this.arm(rest)
      const n = this.count
      this.count = 0
      this.o.fire(n)
    })
  }

  private onFailed(reason: string): void {
    if (this.failure) return
    this.failure = reason
    this.quiet.clear()
    this.o.failed(reason)
  }
}
