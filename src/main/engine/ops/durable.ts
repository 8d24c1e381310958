// Making writes durable, alone or in groups. An fsync on a journaling filesystem waits for a journal
// commit; a copy that fsyncs its file and then its folder waits for two. A *group commit* (as a
// database flushes its log once for every transaction that committed meanwhile) makes the files of
// every operation in flight durable in one round: their fsyncs issued together (the filesystem
// folds them into one journal commit), then one fsync per distinct folder. Each operation still
// waits for its own files and folder, in its own order (file, rename, folder), before it reports.
import { closeSync, openSync } from 'node:fs'
import { fsyncDir, fsyncFd } from './fsutil'

/** Makes files' data and folders' entries durable; resolves once they are. */
export interface Durability {
  /** fsyncs `files`; rejects with the first error (the write is not durable). */
  files(paths: string[]): Promise<void>
  /** fsyncs folders (a rename into them survives a power cut); where a folder refuses, nothing to do. */
  folders(paths: string[]): Promise<void>
}

/** fsyncs a file: the open and close at once (they take microseconds), the fsync in the thread pool. */
export async function fsyncFile(path: string): Promise<void> {
  const fd = openSync(path, 'r+')
  try {
    await fsyncFd(fd)
  } finally {
    closeSync(fd)
  }
}

/** Each call syncs at once (one operation at a time: a convert worker, a test). */
export const syncAtOnce: Durability = {
  files: async (paths) => void (await Promise.all(paths.map(fsyncFile))),
  folders: async (paths) => void (await Promise.all([...new Set(paths)].map(fsyncDir))),
}

interface Waiter {
  files: string[]
  folders: string[]
  resolve(): void
  reject(err: unknown): void
}

/**
 * The group commit of one worker. A sync joins the round about to start; rounds run one at a time,
 * so the operations that reach a sync while a round runs form the next group: the group grows with
 * the load, and a lone operation never waits for anyone.
 */
export class GroupCommit implements Durability {
  private waiting: Waiter[] = []
  private flushing = false
  /** Rounds flushed and operations they served (for tests and measurements). */
  rounds = 0
  served = 0

  files(paths: string[]): Promise<void> {
    return this.wait(paths, [])
  }

  folders(paths: string[]): Promise<void> {
    return this.wait([], paths)
  }

  private wait(files: string[], folders: string[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ files, folders, resolve, reject })
      this.maybeFlush()
    })
  }

  private maybeFlush(): void {
    // One round at a time, started as soon as someone waits: while it runs, the operations still
    // copying carry on and whoever reaches a sync meanwhile joins the next round (waiting for every
    // operation in flight instead would stall the copies behind each round: measured slower).
    if (this.flushing || this.waiting.length === 0) return
    const group = this.waiting
    this.waiting = []
    this.flushing = true
    void this.flush(group).finally(() => {
      this.flushing = false
      this.maybeFlush()
    })
  }

  private async flush(group: Waiter[]): Promise<void> {
    this.rounds++
    this.served += group.length
    // Files first, each waiter told of its own; then each folder once (fsyncDir never throws).
    const fileResults = await Promise.allSettled(group.map((w) => Promise.all(w.files.map(fsyncFile))))
    const folders = [...new Set(group.flatMap((w) => w.folders))]
    await Promise.all(folders.map(fsyncDir))
    group.forEach((w, i) => {
      const r = fileResults[i]!
      if (r.status === 'fulfilled') w.resolve()
      else w.reject(r.reason)
    })
  }
}
