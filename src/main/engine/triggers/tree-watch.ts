// A folder tree watched for changes: one fs.watch per folder (what inotify offers on Linux; macOS and
// Windows watch a whole tree natively with one handle). Folders made later are watched as they
// appear. Watches are a limited resource of the whole system (inotify's max_user_watches): a tree
// that would take more than its share, or a system that refuses one more (ENOSPC, EMFILE), turns
// the watch off as a whole and says why, so the caller can fall back to looking now and then.
import { type FSWatcher, readFileSync, watch } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join, sep } from 'node:path'
import { errorCode } from '../ops/fsutil'

export interface TreeWatchEvents {
  /** Something changed at `path` (a file or folder made, changed, renamed, removed). */
  change(path: string): void
  /** Watching stopped for good: why, in a sentence. */
  failed(reason: string): void
}

/** Names never worth a watch: system folders no library needs. */
const SKIP = new Set(['$RECYCLE.BIN', 'System Volume Information', 'lost+found', '.Trash', '.Trashes'])

/** How many folders one engine may watch: half of what the system allows, so other programs keep theirs. */
export function watchBudget(): number {
  if (process.platform !== 'linux') return Number.POSITIVE_INFINITY
  try {
    const max = Number(readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8').trim())
    return Number.isFinite(max) && max > 0 ? Math.floor(max / 2) : 4096
  } catch {
    return 4096
  }
}

export class TreeWatch {
  private readonly watchers = new Map<string, FSWatcher>()
  private readonly listeners = new Set<TreeWatchEvents>()
  private stopped = false
  /** Why watching stopped, once it has. */
  failure: string | null = null
  /** Settles once the tree has been walked and every folder watched (or watching failed). */
  readonly ready: Promise<void>

  constructor(
    readonly root: string,
    /** Shared by every tree of the engine: folders watched so far, and the most allowed. */
    private readonly budget: { used: number; max: number },
  ) {
    this.ready = this.native() ? Promise.resolve() : this.add(root)
  }

  get folders(): number {
    return this.watchers.size
  }

  subscribe(l: TreeWatchEvents): () => void {
    this.listeners.add(l)
    if (this.failure) l.failed(this.failure)
    return () => this.listeners.delete(l)
  }

  get subscribers(): number {
    return this.listeners.size
  }

  close(): void {
    this.stopped = true
    for (const w of this.watchers.values()) w.close()
    this.budget.used -= this.watchers.size
    this.watchers.clear()
  }

  /** macOS and Windows: one recursive watch for the whole tree. */
  private native(): boolean {
    if (process.platform !== 'darwin' && process.platform !== 'win32') return false
    try {
      const w = watch(this.root, { recursive: true, persistent: false }, (_e, name) =>
        this.emit(name ? join(this.root, String(name)) : this.root),
      )
      w.on('error', (err) => this.fail(`watching ${this.root} stopped: ${err.message}`))
      this.watchers.set(this.root, w)
      return true
    } catch (err) {
      this.fail(`cannot watch ${this.root}: ${(err as Error).message}`)
      return true
    }
  }

  /** Watches `dir` and every folder below it. */
  private async add(dir: string): Promise<void> {
    const pending = [dir]
    while (pending.length && !this.stopped && !this.failure) {
      const d = pending.pop()!
      if (this.watchers.has(d)) continue
      if (!this.watchOne(d)) return
      let entries
      try {
        entries = await readdir(d, { withFileTypes: true })
      } catch {
        continue // gone already, or unreadable: its parent's watch still sees it go or come back
      }
      for (const e of entries) if (e.isDirectory() && !SKIP.has(e.name)) pending.push(join(d, e.name))
    }
  }

  private watchOne(dir: string): boolean {
    if (this.budget.used >= this.budget.max) {
      this.fail(
        `the library has more folders than Ferry may watch (${this.budget.max.toLocaleString('en')}, half of the system's inotify limit)`,
      )
      return false
    }
    try {
      const w = watch(dir, { persistent: false }, (event, name) => this.onEvent(dir, event, name))
      w.on('error', () => this.forget(dir))
      this.watchers.set(dir, w)
      this.budget.used++
      return true
    } catch (err) {
      const code = errorCode(err)
      if (code === 'ENOENT' || code === 'ENOTDIR') return true // gone meanwhile
      if (code === 'ENOSPC' || code === 'EMFILE')
        this.fail(
          code === 'ENOSPC'
            ? "the system's limit of watched folders (inotify max_user_watches) is reached"
            : 'the system has no more file handles for watching folders',
        )
      else this.fail(`cannot watch ${dir}: ${(err as Error).message}`)
      return false
    }
  }

  private onEvent(dir: string, _event: string, name: string | Buffer | null): void {
    if (this.stopped) return
    const path = name ? join(dir, String(name)) : dir
    this.emit(path)
    if (!name) return
    // A folder made (or moved in) is watched with all it holds; one removed lets its watches go.
    void stat(path).then(
      (s) => {
        if (s.isDirectory() && !this.watchers.has(path) && !this.stopped && !this.failure) void this.add(path)
      },
      () => this.forgetBelow(path),
    )
  }

  private forget(dir: string): void {
    const w = this.watchers.get(dir)
    if (!w) return
    w.close()
    this.watchers.delete(dir)
    this.budget.used--
  }

  private forgetBelow(path: string): void {
    if (!this.watchers.has(path)) return
    const prefix = path + sep
    for (const d of [...this.watchers.keys()]) if (d === path || d.startsWith(prefix)) this.forget(d)
  }

  private emit(path: string): void {
    for (const l of this.listeners) l.change(path)
  }

  private fail(reason: string): void {
    if (this.failure) return
    this.failure = reason
    this.close()
    for (const l of this.listeners) l.failed(reason)
  }
}

/** One TreeWatch per folder, shared by the profiles that have it among their sources. */
export class TreeWatches {
  private readonly trees = new Map<string, TreeWatch>()
  private readonly budget: { used: number; max: number }

  constructor(maxFolders = watchBudget()) {
    this.budget = { used: 0, max: maxFolders }
  }

  subscribe(root: string, l: TreeWatchEvents): { tree: TreeWatch; unsubscribe: () => void } {
    let tree = this.trees.get(root)
    if (!tree || (tree.failure && tree.subscribers === 0)) {
      tree = new TreeWatch(root, this.budget)
      this.trees.set(root, tree)
    }
    const t = tree
    const off = t.subscribe(l)
    return {
      tree: t,
      unsubscribe: () => {
        off()
        if (t.subscribers === 0) {
          t.close()
          if (this.trees.get(root) === t) this.trees.delete(root)
        }
      },
    }
  }

  close(): void {
    for (const t of this.trees.values()) t.close()
    this.trees.clear()
  }
}
