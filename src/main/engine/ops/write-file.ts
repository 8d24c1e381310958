import { createHash } from 'node:crypto'
import type { Stats } from 'node:fs'
import { copyFile, mkdir, open, rename, rm, utimes } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { OpContext } from './types'
import { fsyncDir, tempPathFor } from './fsutil'

const CHUNK = 1024 * 1024
/** Below this size the kernel's copy (copy_file_range, reflinks) is used; above it, a loop with progress. */
const FAST_COPY_LIMIT = 16 * 1024 * 1024

export class Cancelled extends Error {
  constructor() {
    super('cancelled')
  }
}

/**
 * Makes `target` a copy of `src`: into a hidden temporary file beside it, synced, mtime kept, then
 * renamed into place and the folder synced. A reader never sees a partial file under the final name,
 * and whatever goes wrong, the temporary file is removed.
 */
export async function writeAtomically(
  src: string,
  srcStat: Stats,
  target: string,
  taskId: number,
  ctx: OpContext,
  opts: { verify?: boolean } = {},
): Promise<void> {
  await mkdir(dirname(target), { recursive: true })
  const tmp = tempPathFor(target, taskId)
  try {
    const srcHash = await copyInto(src, tmp, srcStat.size, ctx, opts.verify === true)
    if (opts.verify) {
      const tmpHash = await hashFile(tmp, ctx)
      if (tmpHash !== srcHash)
        throw new Error(`The copy of ${src} does not match the original (checksum differs).`)
    }
    await utimes(tmp, srcStat.atime, srcStat.mtime)
    if (ctx.signal.aborted) throw new Cancelled()
    await rename(tmp, target)
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined)
    throw err
  }
  await fsyncDir(dirname(target))
}

/** Copies and fsyncs; returns the source's sha256 when asked to (computed while copying). */
async function copyInto(
  src: string,
  tmp: string,
  size: number,
  ctx: OpContext,
  hash: boolean,
): Promise<string | undefined> {
  if (size <= FAST_COPY_LIMIT && !hash) {
    await copyFile(src, tmp)
    const fh = await open(tmp, 'r+')
    try {
      await fh.sync()
    } finally {
      await fh.close()
    }
    ctx.progress(size, size)
    return undefined
  }
  const h = hash ? createHash('sha256') : undefined
  const input = await open(src, 'r')
  const output = await open(tmp, 'wx')
  try {
    const buf = Buffer.allocUnsafe(CHUNK)
    let done = 0
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
      ctx.progress(done, size)
    }
    await output.sync()
  } finally {
    await input.close()
    await output.close()
  }
  return h?.digest('hex')
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
