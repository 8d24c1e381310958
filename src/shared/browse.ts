// What the engine tells a client about its own machine's folders (the folder browser, the drop
// sheet) and what an enqueue would do before it is made (the preview). Plain data, no imports.
import type { LeftOut, OverwritePolicy } from './model'

export interface FolderEntry {
  name: string
  path: string
  /** False when the engine may not list it (permission denied). */
  readable: boolean
}

/** One folder of the engine's machine: its subfolders, and what files lie directly in it (never their contents). */
export interface FolderListing {
  path: string
  /** The folder above it; null at the filesystem's root. */
  parent: string | null
  folders: FolderEntry[]
  /** Files directly in this folder (not below it): how many, their bytes, and how many are audio. */
  files: number
  bytes: number
  audioFiles: number
  /** More subfolders than a listing holds (the first ones, by name, are given). */
  truncated: boolean
}

export interface ProfilePlaces {
  name: string
  sources: string[]
  destination: string
}

/** A dropped name found on the engine's machine (a browser gave only names, not paths). */
export interface FoundName {
  name: string
  path: string
  kind: 'file' | 'folder'
}

/** Where to start browsing. Every path listed exists (but the profiles', which are as saved). */
export interface Places {
  home: string
  /** Mount roots that exist (/media/$USER, /run/media/$USER, /mnt, /Volumes) and the folders in them. */
  mounts: string[]
  /** Newest first: where copies, moves, converts and syncs wrote. */
  recentDestinations: string[]
  /** Newest first: what was added to the queue. */
  recentSources: string[]
  profiles: ProfilePlaces[]
  /** For `near`: where each name was found (in or beside recent and profile sources), first match per name. */
  found: FoundName[]
}

/** What a path handed to the engine is (fs.stat). */
export interface PathInfo {
  path: string
  kind: 'file' | 'folder' | 'special' | 'missing' | 'unreadable'
  /** A file: its size. A folder: 0 (its contents are not summed here). */
  size: number
  /** An audio file, or a folder with audio files at or below it (looked for up to a bound). */
  audio: boolean
  /** Why it cannot be added, in one sentence (missing, unreadable, special); absent when it can. */
  problem?: string
}

export interface PreviewCount {
  files: number
  /** Bytes of the sources. */
  bytes: number
}

export interface PreviewConflict {
  src: string
  dst: string
}

/** What queue.enqueue would do with the same input, computed by the engine; nothing is written. */
export interface EnqueuePreview {
  destination: string
  /** False when the destination folder is still to be made (in a folder that is there). */
  destinationExists: boolean
  /** Audio files ffmpeg will encode (a convert; lossy sources the preset keeps as they are count as copies). */
  convert: PreviewCount
  /** Files copied (or moved) as they are. */
  copy: PreviewCount
  /** Already at the destination, identical (or, for an encode, its output already there): skipped. */
  skip: PreviewCount
  /** A different file is at the destination: the overwrite policy decides (`policy`). */
  conflict: PreviewCount & { policy: OverwritePolicy; examples: PreviewConflict[] }
  /** What cannot be copied at all (FIFOs, sockets, devices, links to them), each with why (the first 100). */
  leftOut: { files: number; examples: LeftOut[] }
  /** Left out by include/exclude. */
  filtered: number
  /** Audio files among the sources (whatever the mode). */
  audioFiles: number
  /** About how many bytes the batch will write (encodes estimated from the preset). */
  bytesToWrite: number
  /** Free bytes on the destination's filesystem (the folder it would be made in when it is not there). */
  freeBytes: number | null
  fits: boolean
}

export type { OverwritePolicy }

/** A folder as a sync would see it (fs.scan): a stat-only walk, no file content read. */
export interface FolderScan {
  files: number
  folders: number
  bytes: number
  /** Unreadable folders and symlink loops, skipped: what is below them is not counted. */
  problems: string[]
  /** What is neither a file nor a folder (FIFOs, sockets, devices, links to nothing): never copied. */
  leftOut: { path: string; reason: string }[]
}

/** The ffmpeg output arguments of a preset (convert.args), for the example source it names. */
export interface ConvertArgs {
  /** The source the arguments are for, in words ("a FLAC source with a cover"). */
  source: string
  /** Whether input 1 is the cover (`-i SOURCE -i COVER`). */
  cover: boolean
  /** Empty for a preset that copies as it is (nothing is encoded). */
  args: string[]
}
