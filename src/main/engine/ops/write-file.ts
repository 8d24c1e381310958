// Writing one file into place, in a worker process. The worker's metadata calls (stat, mkdir, utimes,
// rename, unlink) are synchronous: each takes microseconds, where the same call made asynchronously
// costs ≈ 30 µs of CPU in promises and thread-pool hops — most of a small file's cost, ≈ 20 calls a
// file. What can take long stays asynchronous: the copy, reads and writes, and fsync (a group commit
// issues its fsyncs together). The worker does nothing else meanwhile; a cancel waits at most for the
// call in progress, and one that does not come back in time is the pool's to kill (CANCEL_GRACE_MS).
// The engine's own process never makes these calls synchronously: it serves the windows.
import { createHash } from 'node:crypto'
import { constants, mkdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs'
import { copyFile, open, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { OpContext } from './types'
import { Cancelled } from './cancelled'
import { assertRoot, DestinationGone, mkdirBelow, type RootIdentity } from './device'
import { syncAtOnce } from './durable'
import { errorCode, tempPathFor } from './fsutil'
import { onStableSource, type SourceVersion } from './source'

export { Cancelled } from './cancelled'

const CHUNK = 1024 * 1024
/** A kernel copy of a file larger than this reports progress (the temporary file's size) every PROGRESS_MS. */
const PROGRESS_FROM = 4 * 1024 * 1024
const PROGRESS_MS = 200

/**
 * Errors by which a filesystem refuses the kernel's copy (FUSE mounts — exFAT, FAT images, phones
 * over MTP — answer ENOSYS) while plain reads and writes work.
 */
const NO_KERNEL_COPY = new Set(['ENOSYS', 'EXDEV', 'EOPNOTSUPP', 'ENOTSUP', 'EINVAL', 'ENOTTY', 'EBADF'])
/** Destinations (by st_dev) that refused it once: this worker copies there with reads and writes. */
const plainCopyDevices = new Set<string>()

export interface WriteOptions {
  /** Compare checksums of the source and the copy (a move across filesystems). */
  verify?: boolean
  /** The destination root the file must land on; checked before writing and before the rename. */
  device?: RootIdentity
  /** The destination root, where no identity was recorded (batches from older versions): never created. */
  root?: string | null
  /** The source is Ferry's own finished output: no wait for it to be a moment old (see onStableSource). */
  ownSource?: boolean
}

/**
 * Makes `target` a copy of one version of `src`: into a hidden temporary file beside it, synced,
 * given that version's mtime, then renamed into place and the folder synced. A source that changes
 * while it is read is copied again (see onStableSource). A reader never sees a partial file under
 * the final name, and whatever goes wrong, the temporary file is removed. Returns the version copied.
 */
export async function writeAtomically(
  src: string,
  target: string,
  taskId: number,
  ctx: OpContext,
  opts: WriteOptions = {},
): Promise<SourceVersion> {
  const { device } = opts
  let rootDev: string | undefined
  if (device) {
    rootDev = assertRoot(device)
    mkdirBelow(device.path, dirname(target))
  } else if (opts.root) {
    mkdirBelow(opts.root, dirname(target))
  } else {
    mkdirSync(dirname(target), { recursive: true })
  }
  const { output, version } = await onStableSource(
    src,
    ctx.signal,
    async (v) => {
      const tmp = tempPathFor(target, taskId)
      try {
        const copied = await copyInto(src, tmp, v.size, ctx, opts.verify === true, rootDev)
        return { tmp, ...copied }
      } catch (err) {
        removeQuietly(tmp)
        throw err
      }
    },
    async (o) => rmSync(o.tmp, { force: true }),
    (o) => o.bytes,
    opts.ownSource === true,
  )
  const { tmp } = output
  const durable = ctx.durable ?? syncAtOnce
  try {
    if (opts.verify) {
      const tmpHash = await hashFile(tmp, ctx)
      if (tmpHash !== output.hash)
        throw new Error(`The copy of ${src} does not match the original (checksum differs).`)
    }
    // The mtime before the fsync, so that one fsync makes data and times durable together.
    utimesSync(tmp, version.atimeMs / 1000, version.mtimeMs / 1000)
    await durable.files([tmp])
    if (ctx.signal.aborted) throw new Cancelled()
    if (device && assertRoot(device) !== rootDev) throw new DestinationGone(device.path)
    renameSync(tmp, target)
  } catch (err) {
    removeQuietly(tmp)
    throw err
  }
  // Done only once the folder holding the new name is synced too (in a group commit, with the
  // folders of the other files of its round).
  await durable.folders([dirname(target)])
  return version
}

/**
 * Copies into `tmp` (not yet synced: the caller makes it durable); returns the bytes taken and, when
 * asked, the source's sha256 (computed while copying). With `rootDev`, the temporary file must be on
 * that device, else DestinationGone.
 */
async function copyInto(
  src: string,
  tmp: string,
  size: number,
  ctx: OpContext,
  hash: boolean,
  rootDev: string | undefined,
): Promise<{ bytes: number; hash?: string }> {
  if (!hash && !(rootDev && plainCopyDevices.has(rootDev))) {
    try {
      await kernelCopy(src, tmp, size, ctx)
      const s = statSync(tmp, { bigint: true })
      if (rootDev && String(s.dev) !== rootDev) throw new DestinationGone(dirname(tmp))
      ctx.progress(size, size)
      return { bytes: Number(s.size) }
    } catch (err) {
      if (!NO_KERNEL_COPY.has(errorCode(err) ?? '')) throw err
      // The filesystem refuses the kernel's copy: plain reads and writes, here and from now on.
      if (rootDev) plainCopyDevices.add(rootDev)
      rmSync(tmp, { force: true })
    }
  }
  const h = hash ? createHash('sha256') : undefined
  const input = await open(src, 'r')
  const output = await open(tmp, 'wx')
  let done = 0
  try {
    if (rootDev && String((await output.stat({ bigint: true })).dev) !== rootDev)
      throw new DestinationGone(dirname(tmp))
    const buf = Buffer.allocUnsafe(CHUNK)
    for (;;) {
      if (ctx.signal.aborted) throw new Cancelled()
      const { bytesRead } = await input.read(buf, 0, CHUNK, null)
      if (bytesRead === 0) break
      const chunk = buf.subarray(0, bytesRead)
      h?.update(chunk)
      let written = 0
      while (written < bytesRead) {
        written += (await output.write(chunk, written, bytesRead - written)).bytesWritten
      }
      done += bytesRead
      ctx.progress(Math.min(done, size), size)
    }
  } finally {
    await input.close()
    await output.close()
  }
  return { bytes: done, hash: h?.digest('hex') }
}

/**
 * The kernel's copy (copy_file_range, or a reflink where the filesystem shares blocks), whatever the
 * size: no bytes pass through this process. It cannot be interrupted, so progress is read from the
 * temporary file's size while it runs, and a cancel removes the temporary file at once (the copy
 * goes on into the unlinked file, which vanishes when it ends) and returns: a worker killed after a
 * cancel leaves nothing at the destination.
 */
async function kernelCopy(src: string, tmp: string, size: number, ctx: OpContext): Promise<void> {
  if (ctx.signal.aborted) throw new Cancelled()
  const copying = copyFile(src, tmp, constants.COPYFILE_EXCL)
  const timer =
    size > PROGRESS_FROM
      ? setInterval(() => {
          stat(tmp).then(
            (s) => ctx.progress(Math.min(s.size, size), size),
            () => undefined,
          )
        }, PROGRESS_MS)
      : undefined
  let onAbort: (() => void) | undefined
  const cancelled = new Promise<never>((_, reject) => {
    onAbort = () => {
      // Gone now, and again once the copy ends (had it not created the file yet).
      void rm(tmp, { force: true }).catch(() => undefined)
      void copying.then(
        () => rm(tmp, { force: true }),
        () => undefined,
      )
      reject(new Cancelled())
    }
    ctx.signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    await Promise.race([copying, cancelled])
  } finally {
    clearInterval(timer)
    ctx.signal.removeEventListener('abort', onAbort!)
    copying.catch(() => undefined) // a copy abandoned by a cancel may still fail: nobody waits for it
  }
}

/** Removes a temporary file on the way out of a failure (which is what gets reported). */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true })
  } catch {
    // the failure being reported matters more; the next attempt sweeps what is left
  }
}

export async function hashFile(path: string, ctx?: OpContext): Promise<string> {
  const h = createHash('sha256')
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.allocUnsafe(CHUNK)
    for (;;) {
      if (ctx?.signal.aborted) throw new Cancelled()
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null)
      if (bytesRead === 0) break
      h.update(buf.subarray(0, bytesRead))
    }
  } finally {
    await fh.close()
  }
  return h.digest('hex')
}
