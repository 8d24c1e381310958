// Probing without spawning: codec, duration, tags and art are read in-process by music-metadata,
// which reads headers and tag blocks only, and results are remembered by (path, size, mtime).
import { parseFile } from 'music-metadata'

export interface Probe {
  codec: string
  container: string
  /** Decided by codec (an .m4a may be ALAC or AAC), not by extension. */
  lossless: boolean
  duration: number
  bitrate: number
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
}

const LOSSLESS_CODEC = /^(flac|alac|pcm|wavpack|monkey|ape|tta|dsd|mlp|truehd|shorten)/i
const MEMO_LIMIT = 10_000
const memo = new Map<string, Probe>()

export class ProbeError extends Error {}

export async function probe(path: string, size: number, mtimeMs: number): Promise<Probe> {
  const key = `${path}\0${size}\0${mtimeMs}`
  const hit = memo.get(key)
  if (hit) return hit
  let meta
  try {
    meta = await parseFile(path, { skipPostHeaders: true })
  } catch (err) {
    throw new ProbeError(`Not a readable audio file: ${(err as Error).message}`)
  }
  const f = meta.format
  if (!f.codec && !f.container) throw new ProbeError('Not a readable audio file: no audio stream found.')
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
  const result: Probe = {
    codec,
    container: f.container ?? '',
    lossless: f.lossless === true || LOSSLESS_CODEC.test(codec),
    duration: f.duration ?? 0,
    bitrate: f.bitrate ?? 0,
    hasArt: (c.picture?.length ?? 0) > 0,
    comment: c.comment?.[0]?.text ?? null,
    musicbrainz,
    replaygain,
    binaryTags: [...new Set(binaryTags)],
  }
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value!)
  memo.set(key, result)
  return result
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
  const meta = await parseFile(path).catch(() => undefined)
  const pictures = meta?.common.picture ?? []
  const p = pictures.find((x) => /front/i.test(x.type ?? '')) ?? pictures[0]
  return p && p.data.length ? { data: p.data, mime: imageMime(p.data) } : undefined
}
