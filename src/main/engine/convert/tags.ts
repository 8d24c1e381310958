// Tag fixes ffmpeg cannot make itself. ffmpeg's ID3 writer turns every tag it has no frame for
// into a TXXX frame named after the source's key: a comment becomes TXXX:comment (players read
// COMM), and MusicBrainz ids keep their Vorbis names (Picard and players read "MusicBrainz Album Id"
// and a UFID frame). This rewrites those frames the way taggers write them, keeping the rest.
import { readFile, writeFile } from 'node:fs/promises'
import MP3Tag from 'mp3tag.js'
import type { Probe } from './probe'

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

export async function fixMp3Tags(file: string, source: Probe, version: 3 | 4): Promise<void> {
  const needed = source.comment !== null || Object.keys(source.musicbrainz).length > 0
  if (!needed) return
  const tag = new MP3Tag(await readFile(file))
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
  tag.tags.v2 = v2
  const out = tag.save({ strict: false, id3v1: { include: false }, id3v2: { include: true, version } })
  if (tag.error || !out) throw new Error(`Cannot write the MP3 tag: ${tag.error}`)
  await writeFile(file, Buffer.from(out as ArrayBuffer))
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
