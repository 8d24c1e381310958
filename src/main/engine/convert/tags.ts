// Tag fixes ffmpeg cannot make itself. ffmpeg's ID3 writer turns every tag it has no frame for
// into a TXXX frame named after the source's key: a comment becomes TXXX:comment (players read
// COMM), and MusicBrainz ids keep their Vorbis names (Picard and players read "MusicBrainz Album Id"
// and a UFID frame). This rewrites those frames the way taggers write them, keeping the rest.
import { readFile, writeFile } from 'node:fs/promises'
import MP3Tag from 'mp3tag.js'
import type { PresetSpec } from '../../../shared/presets'
import { addMp4Tags } from './mp4tags'
import { addOggComments, pictureBlock } from './oggtags'
import type { Cover, Probe } from './probe'

/**
 * music-metadata's name → the name Picard writes: a TXXX description in ID3, a freeform atom in MP4.
 * The recording id is apart: a UFID frame in ID3, "MusicBrainz Track Id" in MP4.
 */
const MUSICBRAINZ_NAMES: Record<string, string> = {
  musicbrainz_trackid: 'MusicBrainz Release Track Id',
  musicbrainz_albumid: 'MusicBrainz Album Id',
  musicbrainz_artistid: 'MusicBrainz Artist Id',
  musicbrainz_albumartistid: 'MusicBrainz Album Artist Id',
  musicbrainz_releasegroupid: 'MusicBrainz Release Group Id',
  musicbrainz_workid: 'MusicBrainz Work Id',
}

const norm = (s: string) => s.toLowerCase().replace(/[\s_]/g, '')

/** Padding left in a rewritten ID3v2 tag, so that a tagger can grow it without moving the audio. */
const ID3_PADDING = 2048

/** Where an ID3v2 tag at the start of `buf` ends, by its declared size (0 when there is none). */
export function id3v2End(buf: Uint8Array): number {
  if (buf.length < 10 || buf[0] !== 0x49 || buf[1] !== 0x44 || buf[2] !== 0x33) return 0
  const size =
    ((buf[6]! & 0x7f) << 21) | ((buf[7]! & 0x7f) << 14) | ((buf[8]! & 0x7f) << 7) | (buf[9]! & 0x7f)
  const footer = buf[3] === 4 && buf[5]! & 0x10 ? 10 : 0
  return Math.min(buf.length, 10 + size + footer)
}

export async function fixMp3Tags(file: string, source: Probe, version: 3 | 4): Promise<void> {
  const needed = source.comment !== null || Object.keys(source.musicbrainz).length > 0
  if (!needed) return
  const buf = await readFile(file)
  // The tag ffmpeg wrote, alone: what follows it (the Xing/LAME frame, then the audio) is kept byte
  // for byte, never searched for by mp3tag.js, which could take a byte pair inside the tag for a frame.
  const end = id3v2End(buf)
  if (!end) throw new Error('ffmpeg wrote no ID3v2 tag to correct.')
  const tag = new MP3Tag(arrayBuffer(buf.subarray(0, end)))
  tag.read({ id3v1: false })
  if (tag.error) throw new Error(`Cannot read the tag ffmpeg wrote: ${tag.error}`)
  const v2 = tag.tags.v2 ?? {}
  const txxx = (v2.TXXX ?? []).filter((f) => {
    const d = norm(f.description)
    return d !== 'comment' && !d.startsWith('musicbrainz')
  })
  for (const [key, description] of Object.entries(MUSICBRAINZ_NAMES)) {
    const value = source.musicbrainz[key]
    if (value) txxx.push({ description, text: value })
  }
  v2.TXXX = txxx
  if (source.musicbrainz.musicbrainz_recordingid) {
    v2.UFID = [
      {
        ownerId: 'http://musicbrainz.org',
        id: [...Buffer.from(source.musicbrainz.musicbrainz_recordingid, 'latin1')],
      },
    ]
  }
  if (source.comment !== null) v2.COMM = [{ language: 'eng', descriptor: '', text: source.comment }]
  let written: ArrayBuffer | Buffer
  try {
    written = MP3Tag.writeBuffer(
      new ArrayBuffer(0),
      { ...tag.tags, v2 },
      { strict: false, id3v1: { include: false }, id3v2: { include: true, version, padding: ID3_PADDING } },
    )
  } catch (err) {
    throw new Error(`Cannot write the MP3 tag: ${(err as Error).message}`, { cause: err })
  }
  const newTag = Buffer.from(new Uint8Array(written))
  if (id3v2End(newTag) === 0) throw new Error('Cannot write the MP3 tag: mp3tag.js wrote no ID3v2 header.')
  // mp3tag.js declares the size of the frames alone and leaves its padding outside the tag: decoders
  // then meet 2 KiB of zeros before the first frame, skip them as junk, miss the Xing/LAME frame
  // (so the exact length and gapless playback are lost) and estimate the duration from the bitrate.
  // The declared size covers the padding.
  syncsafe(newTag, 6, newTag.length - 10)
  await writeFile(file, Buffer.concat([newTag, buf.subarray(end)]))
}

/** A copy in an ArrayBuffer of its own (a Buffer may be a view on a larger, shared one). */
function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.length)
  new Uint8Array(out).set(bytes)
  return out
}

function syncsafe(buf: Buffer, at: number, n: number): void {
  if (n >= 2 ** 28) throw new Error('Cannot write the MP3 tag: it would be larger than ID3v2 allows.')
  buf[at] = (n >> 21) & 0x7f
  buf[at + 1] = (n >> 14) & 0x7f
  buf[at + 2] = (n >> 7) & 0x7f
  buf[at + 3] = n & 0x7f
}

/** iTunes freeform atoms for an .m4a: ReplayGain and MusicBrainz ids, named as Picard names them. */
export function mp4Freeform(source: Probe): Record<string, string> {
  const out: Record<string, string> = { ...source.replaygain }
  const names = { musicbrainz_recordingid: 'MusicBrainz Track Id', ...MUSICBRAINZ_NAMES }
  for (const [k, name] of Object.entries(names)) {
    const v = source.musicbrainz[k]
    if (v) out[name] = v
  }
  return out
}

/**
 * Adds to an encoded file what ffmpeg cannot write into it (see above, mp4tags.ts and oggtags.ts).
 * Returns what had to be left out, for the task's result.
 */
export async function finishTags(
  file: string,
  spec: PresetSpec,
  source: Probe,
  cover: Cover | undefined,
): Promise<string | undefined> {
  switch (spec.codec) {
    case 'mp3':
      await fixMp3Tags(file, source, spec.id3v2Version)
      return undefined
    case 'aac':
    case 'alac': {
      const cov = cover?.mime ? { data: cover.data, mime: cover.mime } : undefined
      if (await addMp4Tags(file, { freeform: mp4Freeform(source), cover: cov })) return undefined
      return 'Its ReplayGain, MusicBrainz ids and cover were left out: ffmpeg laid the .m4a out in a way Ferry does not edit.'
    }
    case 'opus':
    case 'vorbis': {
      if (!cover?.mime) return undefined
      const picture = pictureBlock({ data: cover.data, mime: cover.mime }).toString('base64')
      if (await addOggComments(file, [`METADATA_BLOCK_PICTURE=${picture}`])) return undefined
      return 'Its cover was left out: ffmpeg laid the Ogg file out in a way Ferry does not edit.'
    }
    default:
      return undefined
  }
}
