import { createHash } from 'node:crypto'
import { join } from 'node:path'

/** The cache key: the source's identity (path, size, mtime) and what the preset produces. */
export function cacheKey(src: string, size: number, mtimeMs: number, presetHash: string, removeArt: boolean) {
  return createHash('sha256')
    .update([src, size, Math.trunc(mtimeMs), presetHash, removeArt ? 'no-art' : 'art'].join('\0'))
    .digest('hex')
}

export function cacheFile(cacheDir: string, key: string, extension: string): string {
  return join(cacheDir, key.slice(0, 2), `${key}.${extension}`)
}

export const cacheTempDir = (cacheDir: string) => join(cacheDir, 'tmp')
