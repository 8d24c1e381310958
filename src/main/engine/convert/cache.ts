import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { CacheStats } from '../../../shared/model'
import type { Db } from '../db/open'
import type { SettingsStore } from '../db/settings'
import type { Queue } from '../queue/queue'
import { readSettings } from '../system/settings'
import type { CacheUse } from '../ops/types'
import { cacheTempDir } from './cache-paths'

/**
 * The transcode cache: encoded files kept by (source identity + preset), so converting the same
 * source with the same preset again costs a copy, not an encode. Workers write the files (under a
 * temporary name, then renamed); the engine keeps the index and evicts least recently used entries
 * beyond the size limit, never one a queued task still reads from.
 */
export class TranscodeCache {
  constructor(
    private readonly db: Db,
    private readonly settings: SettingsStore,
    /** Which entries a queued task still reads from (never evicted). */
    private readonly queue: Pick<Queue, 'isReadByOpenTask'>,
    readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  get maxBytes(): number {
    return readSettings(this.settings)['cache.maxBytes']
  }

  get enabled(): boolean {
    return this.maxBytes > 0
  }

  /** A worker encoded into the cache, or served from it. */
  record(use: CacheUse): void {
    this.db
      .prepare(
        `INSERT INTO transcode_cache (key, path, size, created_at, last_used) VALUES (@key, @path, @size, @now, @now)
         ON CONFLICT(key) DO UPDATE SET last_used = @now, size = @size, path = @path`,
      )
      .run({ key: use.key, path: use.path, size: use.size, now: this.now() })
  }

  stats(): CacheStats {
    const r = this.db
      .prepare('SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM transcode_cache')
      .get() as {
      n: number
      bytes: number
    }
    return { dir: this.dir, entries: r.n, bytes: r.bytes, maxBytes: this.maxBytes }
  }

  /** Evicts least recently used entries until the cache fits its limit. */
  async evict(): Promise<{ removed: number; bytes: number }> {
    const { bytes } = this.stats()
    return this.remove(bytes - this.maxBytes)
  }

  /** Empties the cache, but for the entries queued tasks still read from. */
  async clear(): Promise<{ removed: number; bytes: number; kept: number }> {
    const r = await this.remove(Number.POSITIVE_INFINITY)
    return { ...r, kept: this.stats().entries }
  }

  /**
   * At start-up (no worker running): drops what a crash left half-written, forgets entries whose file
   * is gone, and indexes whole files the engine never got to record.
   */
  async reconcile(): Promise<void> {
    await rm(cacheTempDir(this.dir), { recursive: true, force: true })
    const known = new Map(
      (this.db.prepare('SELECT key, path FROM transcode_cache').all() as { key: string; path: string }[]).map(
        (r) => [r.path, r.key],
      ),
    )
    const onDisk = new Set<string>()
    for (const shard of await readdir(this.dir).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue
      for (const name of await readdir(join(this.dir, shard)).catch(() => [] as string[])) {
        const m = /^([0-9a-f]{64})\.\w+$/.exec(name)
        if (!m) continue
        const path = join(this.dir, shard, name)
        onDisk.add(path)
        if (!known.has(path)) {
          const s = await stat(path).catch(() => undefined)
          if (s) this.record({ key: m[1]!, path, size: s.size, hit: false })
        }
      }
    }
    for (const [path, key] of known) {
      if (!onDisk.has(path)) this.db.prepare('DELETE FROM transcode_cache WHERE key = ?').run(key)
    }
  }

  private async remove(atLeast: number): Promise<{ removed: number; bytes: number }> {
    if (atLeast <= 0) return { removed: 0, bytes: 0 }
    const rows = this.db
      .prepare('SELECT key, path, size FROM transcode_cache ORDER BY last_used, key')
      .all() as { key: string; path: string; size: number }[]
    let freed = 0
    let removed = 0
    for (const r of rows) {
      if (freed >= atLeast) break
      if (this.queue.isReadByOpenTask(r.path)) continue
      await rm(r.path, { force: true })
      this.db.prepare('DELETE FROM transcode_cache WHERE key = ?').run(r.key)
      freed += r.size
      removed++
    }
    return { removed, bytes: freed }
  }
}
