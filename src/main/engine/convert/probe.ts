// Probing without spawning: codec, duration, tags and art are read in-process by music-metadata,
// which reads headers and tag blocks only, and results are remembered by (path, size, mtime). A file
// is read as what its bytes say it is, whatever its name; one music-metadata cannot read (a damaged
// tag block) is asked of ffmpeg, which is what has to decode it.
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { extname } from 'node:path'
import { type IAudioMetadata, type IOptions, parseFile, parseStream } from 'music-metadata'
import { readWithFfmpeg } from '../ffmpeg/read'
import { EXTENSION, type Family, familyOfExtension, MIME, sniff } from './sniff'

export interface Probe {
  codec: string
  container: string
  /** Decided by codec (an .m4a may be ALAC or AAC), not by extension. */
  lossless: boolean
  duration: number
  bitrate: number
  /** Hz; 0 or absent when unknown. */
  sampleRate?: number
  hasArt: boolean
  comment: string | null
  /** MusicBrainz identifiers, by music-metadata's common names (musicbrainz_albumid…). */
  musicbrainz: Record<string, string>
  /** ReplayGain as taggers write it: replaygain_track_gain "-6.50 dB", replaygain_track_peak "0.988831"… */
  replaygain: Record<string, string>
  /**
   * Binary APEv2 items (covers): ffmpeg turns each into a text tag holding the item's file name, which
   * is no tag at all and is left out of the output.
   */
  binaryTags?: string[]
  /**
   * Tags ffmpeg is told to write (key → value; "" removes one): the source's tags under names ffmpeg
   * carries but players do not read (APEv2 "Album Artist", "Year"), and tags some ffmpeg releases do
   * not see (an ID3 tag in a WAV's "id3 " chunk, which ffmpeg 4.1 skips).
   */
  metadata?: Record<string, string>
  /** The extension the file's bytes call for, when its name says otherwise (".mp3" for an MP3 named .flac). */
  realExtension?: string
  /**
   * Why Ferry could not read the file's tags itself (music-metadata's words), when ffmpeg read the file
   * instead: only what ffmpeg reads of its tags is carried over, and no cover.
   */
  unreadTags?: string
}

const LOSSLESS_CODEC = /^(flac|alac|pcm|wavpack|monkey|ape|tta|dsd|mlp|truehd|shorten|wmalossless)/i
const MEMO_LIMIT = 10_000
const memo = new Map<string, Probe>()

export class ProbeError extends Error {}

/**
 * @param ffmpegPath the ffmpeg to ask about a file music-metadata cannot read; without one (the sync
 *   planner, which only needs to know whether the file is lossless) the file's bytes decide.
 */
export async function probe(
  path: string,
  size: number,
  mtimeMs: number,
  ffmpegPath?: string,
): Promise<Probe> {
  const key = `${path}\0${size}\0${mtimeMs}`
  const hit = memo.get(key)
  if (hit) return hit
  const family = await sniff(path).catch(() => undefined)
  const lying = family && family !== familyOfExtension(extname(path)) ? family : undefined
  const realExtension = lying ? EXTENSION[lying] : undefined
  let meta: IAudioMetadata
  try {
    meta = await parse(path, lying, { skipPostHeaders: true }, size)
    if (!meta.format.codec && !meta.format.container) throw new Error('no audio stream found.')
  } catch (err) {
    return unreadable(path, (err as Error).message, family, realExtension, ffmpegPath)
  }
  const f = meta.format
  const codec = f.codec ?? f.container ?? 'unknown'
  const c = meta.common
  const musicbrainz: Record<string, string> = {}
  const ids = {
    musicbrainz_recordingid: c.musicbrainz_recordingid,
    musicbrainz_trackid: c.musicbrainz_trackid,
    musicbrainz_albumid: c.musicbrainz_albumid,
    musicbrainz_artistid: c.musicbrainz_artistid?.join('/'),
    musicbrainz_albumartistid: c.musicbrainz_albumartistid?.join('/'),
    musicbrainz_releasegroupid: c.musicbrainz_releasegroupid,
    musicbrainz_workid: c.musicbrainz_workid,
  }
  for (const [k, v] of Object.entries(ids)) if (v) musicbrainz[k] = v
  const replaygain: Record<string, string> = {}
  const gain = (k: string, r: { dB: number } | undefined) => {
    if (r && Number.isFinite(r.dB)) replaygain[k] = `${r.dB.toFixed(2)} dB`
  }
  const peak = (k: string, r: { ratio: number } | undefined) => {
    if (r && Number.isFinite(r.ratio)) replaygain[k] = r.ratio.toFixed(6)
  }
  gain('replaygain_track_gain', c.replaygain_track_gain)
  peak('replaygain_track_peak', c.replaygain_track_peak)
  gain('replaygain_album_gain', c.replaygain_album_gain)
  peak('replaygain_album_peak', c.replaygain_album_peak)
  const binaryTags = (meta.native.APEv2 ?? [])
    .filter((t) => typeof t.value === 'object' && t.value !== null)
    .map((t) => t.id)
  const metadata = { ...apeNames(meta), ...wavId3(meta) }
  const result: Probe = {
    codec,
    container: f.container ?? '',
    lossless: f.lossless === true || LOSSLESS_CODEC.test(codec),
    duration: f.duration ?? 0,
    bitrate: f.bitrate ?? 0,
    sampleRate: f.sampleRate ?? 0,
    hasArt: (c.picture?.length ?? 0) > 0,
    comment: c.comment?.[0]?.text ?? null,
    musicbrainz,
    replaygain,
    binaryTags: [...new Set(binaryTags)],
    ...(Object.keys(metadata).length ? { metadata } : {}),
    ...(realExtension ? { realExtension } : {}),
  }
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value!)
  memo.set(key, result)
  return result
}

/** music-metadata picks its parser by the name: a file whose name lies is read by its content's type. */
function parse(
  path: string,
  lying: Family | undefined,
  options: IOptions,
  size?: number,
): Promise<IAudioMetadata> {
  const mimeType = lying && MIME[lying]
  return mimeType
    ? parseStream(createReadStream(path), { mimeType, size }, options)
    : parseFile(path, options)
}

/** A file music-metadata could not read: ffmpeg's reading of it, or (without ffmpeg) its bytes'. */
async function unreadable(
  path: string,
  why: string,
  family: Family | undefined,
  realExtension: string | undefined,
  ffmpegPath: string | undefined,
): Promise<Probe> {
  const none = { bitrate: 0, hasArt: false, comment: null, musicbrainz: {}, replaygain: {}, unreadTags: why }
  const named = realExtension ? { realExtension } : {}
  if (ffmpegPath) {
    const read = await readWithFfmpeg(ffmpegPath, path)
    if (!read.audio)
      throw new ProbeError(
        `Not a readable audio file. ${read.ffmpeg} said: ${read.words || 'no audio stream found.'}`,
      )
    const { codec, sampleRate } = read.audio
    return {
      ...none,
      ...named,
      codec,
      container: read.format ?? '',
      lossless: LOSSLESS_CODEC.test(codec),
      duration: read.duration,
      sampleRate,
    }
  }
  const lossless = family && (await losslessByBytes(path, family))
  if (lossless === undefined) throw new ProbeError(`Not a readable audio file: ${why}`)
  return { ...none, ...named, codec: family!, container: family!, lossless, duration: 0, sampleRate: 0 }
}

/** Whether a container holds lossless audio, by its bytes; undefined when they do not tell. */
async function losslessByBytes(path: string, family: Family): Promise<boolean | undefined> {
  switch (family) {
    case 'flac':
    case 'wavpack':
    case 'ape':
    case 'dsf':
    case 'dsdiff':
    case 'tta':
    case 'aiff':
    case 'wav':
      return true
    case 'mpeg':
    case 'ogg':
    case 'musepack':
      return false
    case 'mp4': {
      const entry = await mp4SampleEntry(path)
      return entry === undefined ? undefined : entry === 'alac' || entry === 'fLaC'
    }
    default:
      return undefined
  }
}

/** The first sample entry's type in an MP4 ('alac', 'mp4a'…): what its first track is coded with. */
async function mp4SampleEntry(path: string): Promise<string | undefined> {
  const fh = await open(path, 'r')
  try {
    const chunk = Buffer.alloc(1 << 20)
    // stsd: size, "stsd", version and flags, entry count, then the first entry's size and type.
    for (let at = 0; at < 512 * (1 << 20); at += chunk.length - 32) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, at)
      const b = chunk.subarray(0, bytesRead)
      const i = b.indexOf('stsd', 0, 'latin1')
      if (i >= 0 && i + 20 <= b.length) return b.toString('latin1', i + 16, i + 20)
      if (bytesRead < chunk.length) return undefined
    }
    return undefined
  } finally {
    await fh.close()
  }
}

/**
 * APEv2 names ffmpeg carries as they are, where no player reads them: taggers' "Album Artist" and
 * "Year" become ffmpeg's album_artist and date (so TPE2 and TDRC in ID3, ©ART and ©day in MP4).
 */
function apeNames(meta: IAudioMetadata): Record<string, string> {
  const out: Record<string, string> = {}
  const names: Record<string, string> = { 'album artist': 'album_artist', year: 'date' }
  for (const t of meta.native.APEv2 ?? []) {
    const to = names[t.id.toLowerCase()]
    if (!to || typeof t.value !== 'string') continue
    out[t.id] = '' // "key=" removes it
    out[to] = t.value
  }
  return out
}

/** ID3v2 frames (as ffmpeg names them) → ffmpeg's keys. */
const ID3_KEYS: Record<string, string> = {
  TIT2: 'title',
  TPE1: 'artist',
  TALB: 'album',
  TPE2: 'album_artist',
  TRCK: 'track',
  TPOS: 'disc',
  TYER: 'date',
  TDRC: 'date',
  TCON: 'genre',
  TCOM: 'composer',
  TCOP: 'copyright',
  TPUB: 'publisher',
  TIT1: 'grouping',
  TLAN: 'language',
}

/**
 * A WAV's ID3 tag (an "id3 " chunk, as foobar2000 and Mp3tag write one), as ffmpeg keys. ffmpeg 4.1
 * does not read that chunk; a later one does, and these are then the values it read.
 */
function wavId3(meta: IAudioMetadata): Record<string, string> {
  if (!/^(WAVE|RIFF|RF64)/i.test(meta.format.container ?? '')) return {}
  const out: Record<string, string> = {}
  for (const [type, tags] of Object.entries(meta.native)) {
    if (!type.startsWith('ID3v2')) continue
    for (const t of tags) {
      const v = t.value as unknown
      if (t.id.startsWith('TXXX:') && typeof v === 'string') out[t.id.slice(5)] = v
      else if (t.id === 'COMM' && typeof v === 'object' && v && 'text' in v) out.comment = String(v.text)
      else if (ID3_KEYS[t.id] && (typeof v === 'string' || typeof v === 'number'))
        out[ID3_KEYS[t.id]!] = String(v)
    }
  }
  return out
}

export interface Cover {
  data: Uint8Array
  /** Decided by the image's own bytes: a tag's declared type may be missing or wrong (APEv2 has none). */
  mime: CoverMime | null
}

export type CoverMime = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/bmp' | 'image/webp'

/** An image's type by its signature. */
export function imageMime(data: Uint8Array): CoverMime | null {
  const b = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, 16))
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (b.toString('latin1', 0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png'
  if (/^GIF8[79]a/.test(b.toString('latin1', 0, 6))) return 'image/gif'
  if (b.toString('latin1', 0, 2) === 'BM') return 'image/bmp'
  if (b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp'
  return null
}

/**
 * The source's cover (its front cover, else its first picture), read again only when a converter needs
 * its bytes. Read here rather than by ffmpeg, which does not see every cover music-metadata does (an
 * APEv2 binary item it takes for an attachment, some ASF pictures).
 */
export async function readCover(path: string): Promise<Cover | undefined> {
  const family = await sniff(path).catch(() => undefined)
  const lying = family && family !== familyOfExtension(extname(path)) ? family : undefined
  const meta = await parse(path, lying, {}).catch(() => undefined)
  const pictures = meta?.common.picture ?? []
  const p = pictures.find((x) => /front/i.test(x.type ?? '')) ?? pictures[0]
  return p && p.data.length ? { data: p.data, mime: imageMime(p.data) } : undefined
}
