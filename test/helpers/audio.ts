// Audio fixtures made during the test run with the ffmpeg Ferry ships (lavfi sine and noise, real
// tags, a real cover), and readers that check outputs by reading them, not by trusting arguments.
import { execFile, spawn } from 'node:child_process'
import { accessSync, constants, realpathSync } from 'node:fs'
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

type Common = Awaited<ReturnType<typeof parseFile>>['common']

/**
 * The tags a player shows, as comparable strings (lists joined with "; ", empty ones left out): the
 * common ones, and `more` as each reader needs them.
 */
function playerTags(c: Common, more: Record<string, unknown>): Record<string, string> {
  const tags: Record<string, string> = {}
  const all: Record<string, unknown> = {
    title: c.title,
    artist: c.artist,
    album: c.album,
    albumartist: c.albumartist,
    track: c.track.no && `${c.track.no}/${c.track.of ?? ''}`,
    disk: c.disk.no && `${c.disk.no}/${c.disk.of ?? ''}`,
    year: c.year,
    genre: c.genre,
    composer: c.composer,
    comment: c.comment?.map((x) => x.text),
    ...more,
  }
  for (const [k, v] of Object.entries(all))
    if (v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
      tags[k] = Array.isArray(v) ? v.join('; ') : String(v)
  return tags
}

/** What a player would see: codec, container, tags (normalised to comparable strings), art. */
export async function readAudio(file: string): Promise<Read> {
  const m = await parseFile(file)
  const c = m.common
  const tags = playerTags(c, {
    replaygain_track_gain: c.replaygain_track_gain?.dB,
    replaygain_album_gain: c.replaygain_album_gain?.dB,
    musicbrainz_recordingid: c.musicbrainz_recordingid,
    musicbrainz_albumid: c.musicbrainz_albumid,
    musicbrainz_artistid: c.musicbrainz_artistid,
  })
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

/** Every tag Ferry carries over, as Vorbis comments in a FLAC (MusicBrainz ids by Picard's names). */
export const ALL_TAGS = {
  ...TAGS,
  REPLAYGAIN_TRACK_PEAK: '0.988831',
  REPLAYGAIN_ALBUM_PEAK: '0.999969',
  MUSICBRAINZ_RELEASETRACKID: '44444444-4444-4444-8444-444444444444',
  MUSICBRAINZ_ALBUMARTISTID: '55555555-5555-4555-8555-555555555555',
  MUSICBRAINZ_RELEASEGROUPID: '66666666-6666-4666-8666-666666666666',
  MUSICBRAINZ_WORKID: '77777777-7777-4777-8777-777777777777',
}

/** A stereo 44.1 kHz FLAC carrying ALL_TAGS and `cover` (a JPEG or PNG) as its front cover. */
export async function makeTaggedFlac(file: string, cover: string, seconds: number): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}:sample_rate=44100`],
    ...['-i', cover, '-map', '0:a', '-map', '1:v', '-c:v', 'copy', '-disposition:v', 'attached_pic'],
    ...['-ac', '2', '-c:a', 'flac'],
    ...Object.entries(ALL_TAGS).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]),
    file,
  ])
}

/** Tags as a player reads them (every one Ferry carries, numbers normalised) and the cover's bytes. */
export async function readTags(file: string): Promise<{ tags: Record<string, string>; cover?: Buffer }> {
  const c = (await parseFile(file)).common
  const tags = playerTags(c, {
    replaygain_track_gain: c.replaygain_track_gain?.dB.toFixed(2),
    replaygain_track_peak: c.replaygain_track_peak?.ratio.toFixed(6),
    replaygain_album_gain: c.replaygain_album_gain?.dB.toFixed(2),
    replaygain_album_peak: c.replaygain_album_peak?.ratio.toFixed(6),
    musicbrainz_recordingid: c.musicbrainz_recordingid,
    musicbrainz_trackid: c.musicbrainz_trackid,
    musicbrainz_albumid: c.musicbrainz_albumid,
    musicbrainz_artistid: c.musicbrainz_artistid,
    musicbrainz_albumartistid: c.musicbrainz_albumartistid,
    musicbrainz_releasegroupid: c.musicbrainz_releasegroupid,
    musicbrainz_workid: c.musicbrainz_workid,
  })
  const picture = c.picture?.[0]
  return { tags, cover: picture ? Buffer.from(picture.data) : undefined }
}

/**
 * Decodes a file's first audio stream to stereo 16-bit PCM with the given ffmpeg, as a player would:
 * what ffmpeg warns about on the way (`-v warning`), how many samples came out, at which rate.
 */
export async function decode(
  ffmpegPath: string,
  file: string,
): Promise<{ warnings: string; samples: number; rate: number; seconds: number }> {
  const { bytes, stderr } = await toPcm(ffmpegPath, file, [], 'decode')
  const rate = (await parseFile(file, { duration: false })).format.sampleRate ?? 0
  const samples = bytes / 4
  return { warnings: stderr.trim(), samples, rate, seconds: rate ? samples / rate : 0 }
}

/**
 * Decodes a file's first audio stream to stereo 16-bit PCM (with `extra` output options), as a
 * player would: how many bytes came out, and what ffmpeg warned about on the way (`-v warning`).
 * Rejects, saying it could not `verb` the file, when ffmpeg fails.
 */
export function toPcm(
  ffmpegPath: string,
  file: string,
  extra: string[],
  verb: string,
): Promise<{ bytes: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const args = ['-hide_banner', '-nostdin', '-v', 'warning', '-i', file, '-map', '0:a:0', '-ac', '2']
    const child = spawn(ffmpegPath, [...args, ...extra, '-c:a', 'pcm_s16le', '-f', 's16le', '-'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let bytes = 0
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      bytes += d.length
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${ffmpegPath} could not ${verb} ${file}: ${stderr}`))
      resolve({ bytes, stderr })
    })
  })
}

export interface Mp3Start {
  /** Where the ID3v2 tag ends by its declared size (0 without one). */
  tagEnd: number
  /** Where the first MPEG frame header is (-1 when none is found). */
  firstFrame: number
  /** The first frame's VBR header: "Xing" (VBR), "Info" (CBR), or null when it is an audio frame. */
  vbrHeader: 'Xing' | 'Info' | null
  /** The LAME extension after it: the encoder string ("LAME3.100", "Lavc58.35"), delay and padding. */
  encoder: string | null
  delay: number
  padding: number
}

/** Reads an MP3's start the way decoders do: the ID3v2 tag, then the first frame and its headers. */
export async function readMp3Start(file: string): Promise<Mp3Start> {
  const fh = await open(file, 'r')
  const buf = Buffer.alloc(1024 * 1024)
  const { bytesRead } = await fh.read(buf, 0, buf.length, 0).finally(() => fh.close())
  const b = buf.subarray(0, bytesRead)
  let tagEnd = 0
  if (b.toString('latin1', 0, 3) === 'ID3') {
    const size = ((b[6]! & 127) << 21) | ((b[7]! & 127) << 14) | ((b[8]! & 127) << 7) | (b[9]! & 127)
    tagEnd = 10 + size + (b[5]! & 0x10 ? 10 : 0)
  }
  let at = tagEnd
  while (at + 1 < b.length && !(b[at] === 0xff && (b[at + 1]! & 0xe0) === 0xe0)) at++
  const none = { tagEnd, firstFrame: -1, vbrHeader: null, encoder: null, delay: 0, padding: 0 }
  if (at + 4 > b.length) return none
  const mpeg1 = (b[at + 1]! & 0x18) === 0x18
  const mono = (b[at + 3]! & 0xc0) === 0xc0
  const side = mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17
  const x = at + 4 + side
  const id = b.toString('latin1', x, x + 4)
  if (id !== 'Xing' && id !== 'Info') return { ...none, firstFrame: at }
  const flags = b.readUInt32BE(x + 4)
  let p = x + 8
  if (flags & 1) p += 4 // frames
  if (flags & 2) p += 4 // bytes
  if (flags & 4) p += 100 // seek table
  if (flags & 8) p += 4 // quality
  const encoder = b.toString('latin1', p, p + 9).replace(/\0+$/, '')
  const lame = /^(LAME|Lavc|Lavf)/.test(encoder)
  const d = p + 21 // 12 bits of delay, then 12 of padding
  return {
    tagEnd,
    firstFrame: at,
    vbrHeader: id,
    encoder: lame ? encoder : null,
    delay: lame ? (b[d]! << 4) | (b[d + 1]! >> 4) : 0,
    padding: lame ? ((b[d + 1]! & 0x0f) << 8) | b[d + 2]! : 0,
  }
}

/** Debian's (or any other) ffmpeg on PATH, when it is not the bundled one. */
export function ffmpegOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir) continue
    const p = join(dir, 'ffmpeg')
    try {
      accessSync(p, constants.X_OK)
      if (realpathSync(p) !== realpathSync(FFMPEG)) return p
    } catch {
      // not here
    }
  }
  return undefined
}

/**
 * Appends an APEv2 tag (header, items, footer), as taggers write one at the end of a WavPack, Monkey's
 * Audio or MP3 file. A binary item is "<file name>\0<bytes>": the cover, under "Cover Art (Front)".
 */
export async function appendApeTag(
  file: string,
  items: Record<string, string | { name: string; data: Uint8Array }>,
): Promise<void> {
  const u32 = (n: number) => {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(n)
    return b
  }
  const body = Buffer.concat(
    Object.entries(items).map(([key, v]) => {
      const value =
        typeof v === 'string' ? Buffer.from(v) : Buffer.concat([Buffer.from(`${v.name}\0`), v.data])
      const flags = typeof v === 'string' ? 0 : 1 << 1 // item type: 0 UTF-8 text, 1 binary
      return Buffer.concat([u32(value.length), u32(flags), Buffer.from(`${key}\0`, 'ascii'), value])
    }),
  )
  const block = (isHeader: boolean) =>
    Buffer.concat([
      Buffer.from('APETAGEX'),
      u32(2000),
      u32(body.length + 32), // items and footer
      u32(Object.keys(items).length),
      u32((0x80000000 | (isHeader ? 0x20000000 : 0)) >>> 0), // has a header; this is the header
      Buffer.alloc(8),
    ])
  const fh = await open(file, 'a')
  try {
    await fh.write(Buffer.concat([block(true), body, block(false)]))
  } finally {
    await fh.close()
  }
}
