// Audio fixtures made during the test run with the ffmpeg Ferry ships (lavfi sine and noise, real
// tags, a real cover), and readers that check outputs by reading them, not by trusting arguments.
import { execFile } from 'node:child_process'
import { chmod, mkdir, open, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { path as bundledFfmpeg } from '@ffmpeg-installer/ffmpeg'
import { parseFile } from 'music-metadata'

const exec = promisify(execFile)
export const FFMPEG = bundledFfmpeg

export async function ffmpeg(args: string[]): Promise<void> {
  await exec(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args])
}

export const TAGS = {
  title: 'Tïtle — 曲名',
  artist: 'Ärtist Ñame',
  album: 'Albüm',
  album_artist: 'Album Artist',
  track: '3/12',
  disc: '1/2',
  date: '2019',
  genre: 'Jazz',
  composer: 'Compøser',
  comment: 'A comment, with commas',
  REPLAYGAIN_TRACK_GAIN: '-6.50 dB',
  REPLAYGAIN_ALBUM_GAIN: '-7.00 dB',
  MUSICBRAINZ_TRACKID: '11111111-1111-4111-8111-111111111111',
  MUSICBRAINZ_ALBUMID: '22222222-2222-4222-8222-222222222222',
  MUSICBRAINZ_ARTISTID: '33333333-3333-4333-8333-333333333333',
}

/** RIFF INFO (WAV) has no defined text encoding: players read it as Latin-1, so WAV gets ASCII. */
const ASCII: Partial<Record<keyof typeof TAGS, string>> = {
  title: 'Title in ASCII',
  artist: 'Artist Name',
  album: 'Album',
  composer: 'Composer',
}
const metadataArgs = (ascii = false) =>
  Object.entries(TAGS).flatMap(([k, v]) => [
    '-metadata',
    `${k}=${(ascii && ASCII[k as keyof typeof TAGS]) || v}`,
  ])

export interface Fixture {
  file: string
  format: string
  lossless: boolean
  art: boolean
}

/** One file per source format, tagged, most with a cover; names with spaces, accents and other scripts. */
export async function makeFixtures(dir: string, seconds = 3): Promise<Fixture[]> {
  await mkdir(dir, { recursive: true })
  const cover = join(dir, '.cover-src.png')
  await ffmpeg(['-f', 'lavfi', '-i', 'color=c=red:s=96x96:d=1', '-frames:v', '1', cover])
  const tone = ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}:sample_rate=44100`]
  const specs: (Fixture & { codec: string[] })[] = [
    { file: '01 Song with spaces.flac', format: 'flac', lossless: true, art: true, codec: ['-c:a', 'flac'] },
    { file: '02 Café accentué.wav', format: 'wav', lossless: true, art: false, codec: ['-c:a', 'pcm_s16le'] },
    {
      file: '03 Ωμέγα.aiff',
      format: 'aiff',
      lossless: true,
      art: true,
      codec: ['-c:a', 'pcm_s16be', '-write_id3v2', '1'],
    },
    { file: '04 日本語 ALAC.m4a', format: 'alac', lossless: true, art: false, codec: ['-c:a', 'alac'] },
    {
      file: '05 Русский AAC.m4a',
      format: 'aac',
      lossless: false,
      art: false,
      codec: ['-c:a', 'aac', '-b:a', '128k'],
    },
    {
      file: '06 mp3 source.mp3',
      format: 'mp3',
      lossless: false,
      art: true,
      codec: ['-c:a', 'libmp3lame', '-q:a', '4', '-id3v2_version', '3'],
    },
    {
      file: '07 vorbis.ogg',
      format: 'vorbis',
      lossless: false,
      art: false,
      codec: ['-c:a', 'libvorbis', '-q:a', '3'],
    },
    {
      file: '08 opus.opus',
      format: 'opus',
      lossless: false,
      art: false,
      codec: ['-c:a', 'libopus', '-b:a', '96k'],
    },
  ]
  for (const s of specs) {
    const art = s.art
      ? ['-i', cover, '-map', '0:a', '-map', '1:v', '-c:v', 'copy', '-disposition:v', 'attached_pic']
      : []
    await ffmpeg([
      ...tone,
      ...art,
      '-ac',
      '2',
      ...s.codec,
      ...metadataArgs(s.format === 'wav'),
      join(dir, s.file),
    ])
  }
  return specs.map(({ codec: _c, ...f }) => f)
}

/** A short untagged FLAC (a sine tone), where any real audio file will do. */
export async function makeToneFlac(file: string, seconds = 1): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await ffmpeg(['-f', 'lavfi', '-i', `sine=duration=${seconds}`, '-c:a', 'flac', file])
}

/** A long lossless file (noise is slow to encode), for cancel and throughput tests. */
export async function makeLongFlac(file: string, seconds: number): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `anoisesrc=d=${seconds}:c=pink:r=44100`,
    '-ac',
    '2',
    '-c:a',
    'flac',
    file,
  ])
}

export interface Read {
  codec: string
  container: string
  lossless: boolean
  duration: number
  bitrate: number
  tagTypes: string[]
  art: boolean
  tags: Record<string, string>
}

/** What a player would see: codec, container, tags (normalised to comparable strings), art. */
export async function readAudio(file: string): Promise<Read> {
  const m = await parseFile(file)
  const c = m.common
  const tags: Record<string, string> = {}
  const put = (k: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
      tags[k] = Array.isArray(v) ? v.join('; ') : String(v)
  }
  put('title', c.title)
  put('artist', c.artist)
  put('album', c.album)
  put('albumartist', c.albumartist)
  put('track', c.track.no && `${c.track.no}/${c.track.of ?? ''}`)
  put('disk', c.disk.no && `${c.disk.no}/${c.disk.of ?? ''}`)
  put('year', c.year)
  put('genre', c.genre)
  put('composer', c.composer)
  put(
    'comment',
    c.comment?.map((x) => x.text),
  )
  put('replaygain_track_gain', c.replaygain_track_gain?.dB)
  put('replaygain_album_gain', c.replaygain_album_gain?.dB)
  put('musicbrainz_recordingid', c.musicbrainz_recordingid)
  put('musicbrainz_albumid', c.musicbrainz_albumid)
  put('musicbrainz_artistid', c.musicbrainz_artistid)
  return {
    codec: m.format.codec ?? '',
    container: m.format.container ?? '',
    lossless: m.format.lossless === true,
    duration: m.format.duration ?? 0,
    bitrate: m.format.bitrate ?? 0,
    tagTypes: m.format.tagTypes,
    art: (c.picture?.length ?? 0) > 0,
    tags,
  }
}

/** An MP3's rate mode, from its first frame: a Xing header means VBR, an Info header CBR. */
export async function mp3RateMode(file: string): Promise<'vbr' | 'cbr' | 'unknown'> {
  const fh = await open(file, 'r')
  try {
    const buf = Buffer.alloc(256 * 1024)
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0)
    const head = buf.subarray(0, bytesRead)
    if (head.includes('Xing')) return 'vbr'
    if (head.includes('Info')) return 'cbr'
    return 'unknown'
  } finally {
    await fh.close()
  }
}

/**
 * An ffmpeg stand-in that counts encodes, then runs the real one: a shell script that appends a line
 * to `log` for every run with an input file (fluent-ffmpeg's -formats/-encoders queries are not
 * encodes) and execs the bundled binary. With `hang`, an encode never starts (a stuck ffmpeg).
 */
export async function countingFfmpeg(
  dir: string,
  opts: { hang?: boolean } = {},
): Promise<{ path: string; log: string }> {
  await mkdir(dir, { recursive: true })
  const path = join(dir, 'ffmpeg')
  const log = join(dir, 'runs.log')
  await writeFile(log, '')
  const body = [
    '#!/bin/sh',
    'for a in "$@"; do if [ "$a" = "-i" ]; then',
    `  echo "$$ $*" >> '${log}'`,
    opts.hang ? '  exec sleep 600' : '  break',
    'fi; done',
    `exec '${FFMPEG}' "$@"`,
    '',
  ].join('\n')
  await writeFile(path, body)
  await chmod(path, 0o755)
  return { path, log }
}
