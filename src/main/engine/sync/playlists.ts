// Playlists rewritten for the device: converted names, sanitised folders, relative paths with `/`,
// and entries whose track is not on the device dropped (with their #EXTINF line).
import { readFile } from 'node:fs/promises'
import { isAbsolute, join, posix } from 'node:path'

/** A playlist's lines. UTF-8 when it decodes as such (.m3u8 always), else Latin-1 (old .m3u). */
export async function readPlaylist(path: string): Promise<string[]> {
  const buf = await readFile(path)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf)
  } catch {
    text = buf.toString('latin1')
  }
  return text.replace(/^\uFEFF/, '').split(/\r?\n/)
}

/**
 * @param srcDir the playlist's own folder (relative entries are relative to it)
 * @param dstDir the playlist's folder on the device, relative to the destination root
 * @param lookup a source file's path on the device (relative to the root), if it is synced
 */
export function renderPlaylist(
  lines: string[],
  srcDir: string,
  dstDir: string,
  lookup: (absSource: string) => string | undefined,
): string {
  const out: string[] = []
  let pendingInfo: string | null = null
  for (const raw of lines) {
    const line = raw.trim()
    if (!line) continue
    if (line.startsWith('#')) {
      if (/^#EXTINF/i.test(line)) pendingInfo = line
      else out.push(line) // #EXTM3U and other directives
      continue
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(line)) {
      if (pendingInfo) out.push(pendingInfo)
      out.push(line) // a stream URL: kept as it is
      pendingInfo = null
      continue
    }
    const entry = line.replace(/\\/g, '/')
    const abs = isAbsolute(entry) || /^[A-Za-z]:\//.test(entry) ? entry : join(srcDir, entry)
    const target = lookup(abs)
    if (target) {
      if (pendingInfo) out.push(pendingInfo)
      out.push(posix.relative(dstDir || '.', target))
    }
    pendingInfo = null
  }
  return `${out.join('\n')}\n`
}
