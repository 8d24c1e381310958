// What a drop carries, as paths of the engine's machine where it can tell, else as names only.
import { isAbsolute } from '../../store/drop'

export interface DropContent {
  /** Absolute paths: from the desktop's pathForFile, or file:// URIs (text/uri-list). */
  paths: string[]
  /** Names of dropped files the browser gave no path for (Chromium hands over File objects only). */
  names: string[]
}

/** True when a drag holds files or file URIs (not a bit of text or a link being dragged about). */
export function carriesFiles(dt: DataTransfer | null): boolean {
  if (!dt) return false
  const types = Array.from(dt.types ?? [])
  return types.includes('Files') || types.includes('text/uri-list')
}

/** "file:///home/me/My%20Album" → "/home/me/My Album"; another host or scheme: undefined. */
export function pathFromUri(uri: string): string | undefined {
  let url: URL
  try {
    url = new URL(uri.trim())
  } catch {
    return undefined
  }
  if (url.protocol !== 'file:' || (url.hostname !== '' && url.hostname !== 'localhost')) return undefined
  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    return undefined
  }
  if (/^\/[A-Za-z]:\//.test(path)) path = path.slice(1) // file:///C:/Music → C:/Music
  if (path.length > 1) path = path.replace(/\/+$/, '')
  return path && !path.includes('\0') ? path : undefined
}

export function readDrop(dt: DataTransfer, pathForFile?: (file: File) => string): DropContent {
  const paths: string[] = []
  const names: string[] = []
  const files = Array.from(dt.files ?? [])
  for (const file of files) {
    let p: string | undefined
    try {
      p = pathForFile?.(file)
    } catch {
      p = undefined
    }
    if (p && isAbsolute(p)) paths.push(p)
  }
  const uris = dt.getData('text/uri-list')
  for (const line of uris.split(/\r?\n/)) {
    if (!line.trim() || line.startsWith('#')) continue
    const p = pathFromUri(line)
    if (p) paths.push(p)
  }
  if (!paths.length) {
    // Some file managers put plain paths in text/plain.
    for (const line of dt.getData('text/plain').split(/\r?\n/)) {
      const p = line.trim()
      if (p.startsWith('/') && !p.includes('\0')) paths.push(p.length > 1 ? p.replace(/\/+$/, '') : p)
      else if (p.startsWith('file://')) {
        const u = pathFromUri(p)
        if (u) paths.push(u)
      }
    }
  }
  if (!paths.length) for (const file of files) if (file.name) names.push(file.name)
  return { paths: [...new Set(paths)], names: [...new Set(names)] }
}
