// Devices appearing. A card is a folder holding a profile's marker file, found one or two levels
// under a mount root (/media/$USER/CARD, /media/$USER/CARD/Music), or the profile's destination path
// itself. Found by fs.watch on the roots, the folders directly in them and the destinations' parents,
// plus a look at the mount table (Linux) and a slow rescan as a fallback: never by polling paths many
// times a second. A scan reads a few folders and one small file per candidate.
import { type FSWatcher, watch } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { readMarker } from '../ops/device'
import { type Clock, OneTimer } from './clock'

export interface DeviceTarget {
  profileId: number
  destination: string
  /** Whether Ferry wrote to it: then only a folder with the marker is the device. */
  syncedBefore: boolean
}

/** Per profile id, the folders where its device is now (its marker, or its destination before a first sync). */
export type DeviceMap = Map<number, string[]>

export interface DeviceWatchOptions {
  roots: string[]
  targets: () => DeviceTarget[]
  /** Every scan's result (the caller compares it with the last one). */
  onScan: (found: DeviceMap) => void
  clock: Clock
  /** Events are gathered this long before a scan. */
  debounceMs: number
  /** The fallback rescan. */
  rescanMs: number
  log: (level: 'warn' | 'info', message: string) => void
}

/** A mount's folder is made a moment before the device is mounted on it: look again after these. */
const FOLLOW_UP_MS = [1000, 3000]
const MOUNTINFO = '/proc/self/mountinfo'
const MOUNTINFO_MS = 5000

export class DeviceWatch {
  private readonly watchers = new Map<string, FSWatcher>()
  private readonly debounce: OneTimer
  private readonly rescan: OneTimer
  private readonly mountTable: OneTimer
  private readonly followUps: OneTimer[]
  private scanning = false
  private again = false
  private stopped = false
  private mounts: string | undefined

  constructor(private readonly o: DeviceWatchOptions) {
    this.debounce = new OneTimer(o.clock)
    this.rescan = new OneTimer(o.clock)
    this.mountTable = new OneTimer(o.clock)
    this.followUps = FOLLOW_UP_MS.map(() => new OneTimer(o.clock))
  }

  start(): void {
    void this.scan()
    if (process.platform === 'linux') void this.checkMounts()
  }

  stop(): void {
    this.stopped = true
    for (const t of [this.debounce, this.rescan, this.mountTable, ...this.followUps]) t.clear()
    for (const w of this.watchers.values()) w.close()
    this.watchers.clear()
  }

  /** Something changed (a profile, an event): scan soon. */
  poke(): void {
    if (this.stopped) return
    this.debounce.set(this.o.debounceMs, () => void this.scan())
    FOLLOW_UP_MS.forEach((ms, i) => this.followUps[i]!.set(ms, () => void this.scan()))
  }

  /** One scan at a time; a request during one asks for another after it. */
  async scan(): Promise<void> {
    if (this.stopped) return
    if (this.scanning) {
      this.again = true
      return
    }
    this.scanning = true
    try {
      do {
        this.again = false
        const found = await this.look()
        if (!this.stopped) this.o.onScan(found)
      } while (this.again && !this.stopped)
    } catch (err) {
      this.o.log('warn', `Looking for devices failed: ${(err as Error).message}`)
    } finally {
      this.scanning = false
      if (!this.stopped) this.rescan.set(this.o.rescanMs, () => void this.scan())
    }
  }

  private async look(): Promise<DeviceMap> {
    const targets = this.o.targets()
    const ids = new Set(targets.map((t) => t.profileId))
    const found: DeviceMap = new Map()
    const add = (id: number, path: string) => {
      const list = found.get(id) ?? []
      if (!list.includes(path)) list.push(path)
      found.set(id, list)
    }
    const watchWanted = new Set<string>()
    // Under the roots: the roots themselves (a drive letter), their folders, and the folders in those.
    const candidates = new Set<string>()
    for (const root of this.o.roots) {
      const level1 = await subfolders(root)
      if (level1 === undefined) continue
      watchWanted.add(root)
      candidates.add(root)
      for (const d1 of level1) {
        candidates.add(d1)
        watchWanted.add(d1)
        for (const d2 of (await subfolders(d1)) ?? []) candidates.add(d2)
      }
    }
    if (ids.size > 0)
      for (const c of candidates) {
        const id = await readMarker(c)
        if (id !== null && ids.has(id)) add(id, c)
      }
    // The destinations themselves: with the marker, or (before a first sync) a folder to sync into.
    for (const t of targets) {
      const dst = t.destination
      const parent = dirname(dst)
      if (await isDir(parent)) watchWanted.add(parent)
      if (await isDir(dst)) {
        watchWanted.add(dst)
        if (!t.syncedBefore || (await readMarker(dst)) === t.profileId) add(t.profileId, dst)
      } else if (!t.syncedBefore && (await isDir(parent))) add(t.profileId, dst)
    }
    this.rewatch(watchWanted)
    return found
  }

  /** Watches exactly these folders (a few: roots, their folders, destinations' parents). */
  private rewatch(wanted: Set<string>): void {
    for (const [path, w] of this.watchers)
      if (!wanted.has(path)) {
        w.close()
        this.watchers.delete(path)
      }
    for (const path of wanted) {
      if (this.watchers.has(path)) continue
      try {
        const w = watch(path, { persistent: false }, () => this.poke())
        w.on('error', () => {
          w.close()
          this.watchers.delete(path)
          this.poke()
        })
        this.watchers.set(path, w)
      } catch (err) {
        // The slow rescan still finds what appears there.
        this.o.log('warn', `Cannot watch ${path} for devices: ${(err as Error).message}`)
      }
    }
  }

  /** Linux: a mount on an existing folder makes no event; the mount table says it happened. */
  private async checkMounts(): Promise<void> {
    if (this.stopped) return
    const now = await readFile(MOUNTINFO, 'utf8').catch(() => undefined)
    if (now === undefined) return // no mount table to read: the watches and the rescan remain
    if (this.mounts !== undefined && now !== this.mounts) this.poke()
    this.mounts = now
    this.mountTable.set(MOUNTINFO_MS, () => void this.checkMounts())
  }
}

async function subfolders(dir: string): Promise<string[] | undefined> {
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    const dirs: string[] = []
    for (const e of entries) {
      if (e.isDirectory()) dirs.push(join(dir, e.name))
      else if (e.isSymbolicLink() && (await isDir(join(dir, e.name)))) dirs.push(join(dir, e.name))
    }
    return dirs
  } catch {
    return undefined
  }
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false
}
