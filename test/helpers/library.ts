// A library of the files real collections hold, made during the test run: every format Ferry reads,
// each with full, empty and broken tags, covers embedded in each way its format allows, and the odd
// ones (10 ms long, two audio streams, 0 bytes, an extension that lies, garbage). Audio and tags come
// from ffmpeg (the bundled 4.1 and the one on PATH take turns, as libraries hold files from both
// eras); what ffmpeg cannot write (an APEv2 tag, a WAV's id3 chunk, a DSF file) is written here byte
// by byte, with tag bytes ffmpeg made. Nothing is copied from anywhere.
import { execFile } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { appendApeTag, TAGS, toPcm } from './audio'

const exec = promisify(execFile)

/** What a sync must make of a source. */
export type Expect =
  /** A playable output, as long as the source, with its tags and cover. */
  | 'plays'
  /** Shorter than one frame of some targets: a playable output, or a failure that says so. */
  | 'tiny'
  /** ffmpeg cannot decode it: a failure in ffmpeg's words, naming the ffmpeg used. */
  | 'fails'

export interface Source {
  /** Relative to the library root, `/`-separated. */
  rel: string
  /** Lossless by its codec (whatever its extension says): the presets transcode it; a lossy one is copied. */
  lossless: boolean
  expect: Expect
  /** full: every tag the format holds, and a cover where it holds one; broken: a damaged tag block. */
  tags: 'full' | 'empty' | 'broken' | 'none'
  /** The cover's bytes, where the source has one. */
  cover?: Buffer
  /** The ffmpeg whose output this is (audio or tag bytes); none for the 0-byte and garbage files. */
  madeBy?: string
}

export interface Library {
  root: string
  sources: Source[]
  cover: Buffer
}

export const SECONDS = 1.5

const run = (bin: string, args: string[]) =>
  exec(bin, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args], { maxBuffer: 64 << 20 })

const tone = (seconds = SECONDS) => [
  ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}:sample_rate=44100`],
]
/** An output option: after every input. */
const STEREO = ['-ac', '2']
const tagArgs = (tags: Record<string, string>) =>
  Object.entries(tags).flatMap(([k, v]) => ['-metadata', `${k}=${v}`])
/** No tags at all, not even ffmpeg's own "encoder". */
const NO_TAGS = ['-map_metadata', '-1', '-fflags', '+bitexact']
const picture = (i: number) => [
  ...['-map', '0:a', '-map', `${i}:v`, '-c:v', 'copy', '-disposition:v', 'attached_pic'],
]

/** RIFF INFO and ID3v1 have no defined text encoding (players read Latin-1): those get ASCII. */
const ASCII_TAGS: Record<string, string> = {
  ...TAGS,
  title: 'Title in ASCII',
  artist: 'Artist Name',
  album: 'Album',
  composer: 'Composer',
}

/** APEv2 keys, as taggers (foobar2000, Mp3tag) write them. */
const APE_TAGS: Record<string, string> = {
  Title: TAGS.title,
  Artist: TAGS.artist,
  Album: TAGS.album,
  'Album Artist': TAGS.album_artist,
  Track: TAGS.track,
  Disc: TAGS.disc,
  Year: TAGS.date,
  Genre: TAGS.genre,
  Composer: TAGS.composer,
  Comment: TAGS.comment,
  REPLAYGAIN_TRACK_GAIN: TAGS.REPLAYGAIN_TRACK_GAIN,
  REPLAYGAIN_ALBUM_GAIN: TAGS.REPLAYGAIN_ALBUM_GAIN,
  MUSICBRAINZ_TRACKID: TAGS.MUSICBRAINZ_TRACKID,
  MUSICBRAINZ_ALBUMID: TAGS.MUSICBRAINZ_ALBUMID,
  MUSICBRAINZ_ARTISTID: TAGS.MUSICBRAINZ_ARTISTID,
}

/**
 * Makes the library under `root` with the two ffmpegs given (`older` is the bundled 4.1, `newer` the
 * one on PATH; either may be the same binary).
 */
export async function makeLibrary(root: string, older: string, newer: string): Promise<Library> {
  await mkdir(root, { recursive: true })
  const work = join(root, '..', '.library-work')
  await mkdir(work, { recursive: true })
  const coverPath = join(work, 'cover.jpg')
  await run(older, ['-f', 'lavfi', '-i', 'testsrc=s=96x96:d=1', '-frames:v', '1', coverPath])
  const cover = await readFile(coverPath)
  const [pictureBlock, id3v23, id3v24] = await Promise.all([
    flacPictureBlock(older, work, coverPath),
    id3Tag(newer, work, coverPath, 3),
    id3Tag(older, work, coverPath, 4),
  ])
  const at = async (rel: string) => {
    const file = join(root, rel)
    await mkdir(dirname(file), { recursive: true })
    return file
  }
  /** Each file is one job, made three at a time. */
  const jobs: (() => Promise<Source>)[] = []
  const make = (job: () => Promise<Source>) => jobs.push(job)
  /** Each format is made by both ffmpegs with full tags; its empty and broken ones by one each. */
  const makers = [
    { bin: older, name: 'ffmpeg 4.1' },
    { bin: newer, name: 'ffmpeg on PATH' },
  ]

  // ffmpeg-native containers: tags from -metadata, the cover as an attached picture where the muxer
  // takes one (FLAC PICTURE block, MP4 covr, ID3 APIC in MP3 and AIFF).
  const native: {
    dir: string
    ext: string
    lossless: boolean
    codec: string[]
    /** How the cover goes in: as an attached picture, as a comment, or not at all. */
    art: 'stream' | 'ogg' | 'none'
    ascii?: boolean
    /** Damages the tag block of a file made with full tags. */
    breakTags: (file: string) => Promise<void>
  }[] = [
    {
      dir: 'FLAC',
      ext: 'flac',
      lossless: true,
      codec: ['-c:a', 'flac'],
      art: 'stream',
      breakTags: breakFlacComment,
    },
    {
      dir: 'ALAC',
      ext: 'm4a',
      lossless: true,
      codec: ['-c:a', 'alac'],
      art: 'stream',
      breakTags: breakIlst,
    },
    {
      dir: 'AAC',
      ext: 'm4a',
      lossless: false,
      codec: ['-c:a', 'aac', '-b:a', '128k'],
      art: 'stream',
      breakTags: breakIlst,
    },
    {
      dir: 'MP3 ID3v2.3',
      ext: 'mp3',
      lossless: false,
      codec: ['-c:a', 'libmp3lame', '-q:a', '4', '-id3v2_version', '3'],
      art: 'stream',
      breakTags: breakId3FrameSize,
    },
    {
      dir: 'MP3 ID3v2.4',
      ext: 'mp3',
      lossless: false,
      codec: ['-c:a', 'libmp3lame', '-q:a', '4', '-id3v2_version', '4'],
      art: 'stream',
      breakTags: truncateId3,
    },
    {
      dir: 'MP3 ID3v1',
      ext: 'mp3',
      lossless: false,
      codec: ['-c:a', 'libmp3lame', '-q:a', '4', '-id3v2_version', '0', '-write_id3v1', '1'],
      art: 'none',
      ascii: true,
      breakTags: truncateId3v1,
    },
    {
      dir: 'Ogg Vorbis',
      ext: 'ogg',
      lossless: false,
      codec: ['-c:a', 'libvorbis', '-q:a', '3'],
      art: 'ogg',
      breakTags: breakOggComment,
    },
    {
      dir: 'Opus',
      ext: 'opus',
      lossless: false,
      codec: ['-c:a', 'libopus', '-b:a', '96k'],
      art: 'ogg',
      breakTags: breakOggComment,
    },
    {
      dir: 'AIFF',
      ext: 'aiff',
      lossless: true,
      codec: ['-c:a', 'pcm_s16be', '-write_id3v2', '1'],
      art: 'stream',
      breakTags: breakAiffId3,
    },
    {
      dir: 'WAV',
      ext: 'wav',
      lossless: true,
      codec: ['-c:a', 'pcm_s16le'],
      art: 'none',
      ascii: true,
      breakTags: breakWavInfo,
    },
    {
      // ffmpeg's ASF muxer writes a cover as a video stream, never as a WM/Picture attribute.
      dir: 'WMA',
      ext: 'wma',
      lossless: false,
      codec: ['-c:a', 'wmav2', '-b:a', '128k'],
      art: 'none',
      breakTags: breakAsfContent,
    },
  ]
  for (const [i, f] of native.entries()) {
    const tags = tagArgs(f.ascii ? ASCII_TAGS : TAGS)
    const art =
      f.art === 'stream'
        ? ['-i', coverPath, ...picture(1)]
        : f.art === 'ogg'
          ? ['-metadata', `METADATA_BLOCK_PICTURE=${pictureBlock.toString('base64')}`]
          : []
    const holds = f.art === 'none' ? undefined : cover
    for (const m of makers)
      make(async () => {
        const file = await at(`${f.dir}/Full tags (${m.name}).${f.ext}`)
        await run(m.bin, [...tone(), ...art, ...STEREO, ...f.codec, ...tags, file])
        return {
          rel: rel(root, file),
          lossless: f.lossless,
          expect: 'plays',
          tags: 'full',
          cover: holds,
          madeBy: m.bin,
        }
      })
    const m = makers[i % 2]!
    make(async () => {
      const file = await at(`${f.dir}/No tags.${f.ext}`)
      await run(m.bin, [...tone(), ...STEREO, ...f.codec, ...NO_TAGS, file])
      return { rel: rel(root, file), lossless: f.lossless, expect: 'plays', tags: 'empty', madeBy: m.bin }
    })
    const other = makers[(i + 1) % 2]!
    make(async () => {
      const file = await at(`${f.dir}/Broken tags.${f.ext}`)
      await run(other.bin, [...tone(), ...art, ...STEREO, ...f.codec, ...tags, file])
      await f.breakTags(file)
      return {
        rel: rel(root, file),
        lossless: f.lossless,
        expect: 'plays',
        tags: 'broken',
        cover: holds,
        madeBy: other.bin,
      }
    })
  }

  // APEv2 tags, which ffmpeg's WavPack muxer would write but without a cover: all of it written here,
  // the cover as a binary item. On an MP3 (as old taggers left them) and on WavPack.
  const apeFormats = [
    { dir: 'WavPack', ext: 'wv', lossless: true, codec: ['-c:a', 'wavpack', '-f', 'wv'] },
    {
      dir: 'MP3 APEv2',
      ext: 'mp3',
      lossless: false,
      codec: ['-c:a', 'libmp3lame', '-q:a', '4', '-id3v2_version', '0', '-write_id3v1', '0', '-f', 'mp3'],
    },
  ]
  const apeTags = { ...APE_TAGS, 'Cover Art (Front)': { name: 'cover.jpg', data: cover } }
  for (const [i, f] of apeFormats.entries()) {
    const audio = async (name: string, bin: string) => {
      const file = await at(`${f.dir}/${name}.${f.ext}`)
      await run(bin, [...tone(), ...STEREO, ...f.codec, ...NO_TAGS, file])
      return file
    }
    const source = (file: string, tags: Source['tags'], bin: string, holds?: Buffer): Source => ({
      rel: rel(root, file),
      lossless: f.lossless,
      expect: 'plays',
      tags,
      cover: holds,
      madeBy: bin,
    })
    for (const m of makers)
      make(async () => {
        const file = await audio(`Full tags (${m.name})`, m.bin)
        await appendApeTag(file, apeTags)
        return source(file, 'full', m.bin, cover)
      })
    const m = makers[i % 2]!
    make(async () => {
      const file = await audio('No tags', m.bin)
      await appendApeTag(file, {})
      return source(file, 'empty', m.bin)
    })
    make(async () => {
      const file = await audio('Broken tags', m.bin)
      await appendApeTag(file, apeTags)
      await breakApeFooter(file)
      return source(file, 'broken', m.bin, cover)
    })
  }

  // WAV with an "id3 " chunk (as foobar2000 and Mp3tag write one): the only way a WAV holds a cover.
  make(async () => {
    const file = await at('WAV/id3 chunk.wav')
    await run(older, [...tone(), ...STEREO, '-c:a', 'pcm_s16le', ...NO_TAGS, file])
    await appendRiffChunk(file, 'id3 ', id3v23)
    return { rel: rel(root, file), lossless: true, expect: 'plays', tags: 'full', cover, madeBy: newer }
  })

  // DSF: ffmpeg reads DSD but writes none; the container is simple and the DSD stream comes from a
  // sigma-delta modulator, so this is a real one. Its tag is an ID3v2 tag at the end, as DSF specifies.
  make(async () => {
    const file = await at('DSF/Full tags.dsf')
    await writeFile(file, dsf(SECONDS, id3v23))
    return { rel: rel(root, file), lossless: true, expect: 'plays', tags: 'full', cover, madeBy: newer }
  })
  make(async () => {
    const file = await at('DSF/No tags.dsf')
    await writeFile(file, dsf(SECONDS))
    return { rel: rel(root, file), lossless: true, expect: 'plays', tags: 'empty' }
  })
  make(async () => {
    // A tag cut short: the file lost its last bytes, where the tag (and its cover) is.
    const file = await at('DSF/Broken tags.dsf')
    const whole = dsf(SECONDS, id3v24)
    await writeFile(file, whole.subarray(0, whole.length - 1500))
    return { rel: rel(root, file), lossless: true, expect: 'plays', tags: 'broken', madeBy: older }
  })

  // The odd ones.
  make(async () => {
    const file = await at('Odd/Ten milliseconds.flac')
    await run(newer, [
      ...tone(0.01),
      '-i',
      coverPath,
      ...picture(1),
      ...STEREO,
      '-c:a',
      'flac',
      ...tagArgs(TAGS),
      file,
    ])
    return { rel: rel(root, file), lossless: true, expect: 'tiny', tags: 'full', cover, madeBy: newer }
  })
  make(async () => {
    // Two audio streams (a stereo mix and a commentary, say): the first is the one converted.
    const file = await at('Odd/Two audio streams.m4a')
    await run(older, [
      ...tone(),
      ...['-f', 'lavfi', '-i', `sine=frequency=880:duration=${SECONDS / 2}:sample_rate=44100`],
      ...['-map', '0:a', '-map', '1:a', ...STEREO, '-c:a', 'alac', ...tagArgs(TAGS), file],
    ])
    return { rel: rel(root, file), lossless: true, expect: 'plays', tags: 'full', madeBy: older }
  })
  make(async () => {
    const file = await at('Odd/Zero bytes.flac')
    await writeFile(file, '')
    return { rel: rel(root, file), lossless: true, expect: 'fails', tags: 'none' }
  })
  make(async () => {
    const file = await at('Odd/Not audio.flac')
    await writeFile(file, Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 251)))
    return { rel: rel(root, file), lossless: true, expect: 'fails', tags: 'none' }
  })
  make(async () => {
    // A FLAC whose frames were overwritten after its header (a bad sector): the header reads, the audio not.
    const file = await at('Odd/Damaged audio.flac')
    await run(newer, [...tone(), ...STEREO, '-c:a', 'flac', ...tagArgs(TAGS), file])
    await damageAudio(file)
    return { rel: rel(root, file), lossless: true, expect: 'fails', tags: 'full', madeBy: newer }
  })
  // Extensions that lie: an MP3 named .flac, a FLAC named .mp3.
  make(async () => {
    const file = await at('Odd/An MP3 named.flac')
    await run(newer, [
      ...[...tone(), '-i', coverPath, ...picture(1), ...STEREO, '-c:a', 'libmp3lame', '-q:a', '4'],
      ...['-id3v2_version', '3', ...tagArgs(TAGS), '-f', 'mp3', file],
    ])
    return { rel: rel(root, file), lossless: false, expect: 'plays', tags: 'full', cover, madeBy: newer }
  })
  make(async () => {
    const file = await at('Odd/A FLAC named.mp3')
    await run(older, [
      ...[...tone(), '-i', coverPath, ...picture(1), ...STEREO, '-c:a', 'flac'],
      ...[...tagArgs(TAGS), '-f', 'flac', file],
    ])
    return { rel: rel(root, file), lossless: true, expect: 'plays', tags: 'full', cover, madeBy: older }
  })

  const sources: Source[] = new Array(jobs.length)
  let next = 0
  const worker = async () => {
    for (let i; (i = next++) < jobs.length;) sources[i] = await jobs[i]!()
  }
  await Promise.all([worker(), worker(), worker()])
  await rm(work, { recursive: true, force: true })
  return { root, sources, cover }
}

const rel = (root: string, file: string) => file.slice(root.length + 1)

/** The FLAC PICTURE block of `cover`, as ffmpeg writes it: what an Ogg METADATA_BLOCK_PICTURE holds. */
async function flacPictureBlock(bin: string, work: string, cover: string): Promise<Buffer> {
  const file = join(work, 'picture.flac')
  await run(bin, [...tone(0.1), '-i', cover, ...picture(1), '-c:a', 'flac', file])
  const block = flacBlocks(await readFile(file)).find((b) => b.type === 6)
  if (!block) throw new Error('ffmpeg wrote no PICTURE block')
  return block.body
}

/** An ID3v2 tag (every TAGS frame and an APIC cover), as ffmpeg writes one at the start of an MP3. */
async function id3Tag(bin: string, work: string, cover: string, version: 3 | 4): Promise<Buffer> {
  const file = join(work, `tag-v2.${version}.mp3`)
  await run(bin, [
    ...[...tone(0.1), '-i', cover, ...picture(1), '-c:a', 'libmp3lame', '-id3v2_version', String(version)],
    ...[...tagArgs(TAGS), file],
  ])
  const buf = await readFile(file)
  return buf.subarray(0, id3End(buf))
}

function id3End(buf: Buffer): number {
  if (buf.toString('latin1', 0, 3) !== 'ID3') return 0
  return 10 + (((buf[6]! & 127) << 21) | ((buf[7]! & 127) << 14) | ((buf[8]! & 127) << 7) | (buf[9]! & 127))
}

function flacBlocks(buf: Buffer): { type: number; at: number; size: number; body: Buffer }[] {
  if (buf.toString('latin1', 0, 4) !== 'fLaC') throw new Error('not a FLAC file')
  const out = []
  for (let at = 4; ;) {
    const type = buf[at]! & 0x7f
    const size = buf.readUIntBE(at + 1, 3)
    out.push({ type, at, size, body: buf.subarray(at + 4, at + 4 + size) })
    if (buf[at]! & 0x80) return out
    at += 4 + size
  }
}

/** A tagger that died mid-write: the first comment claims more bytes than its block holds. */
async function breakFlacComment(file: string): Promise<void> {
  const buf = await readFile(file)
  const block = flacBlocks(buf).find((b) => b.type === 4)!
  const first = block.at + 4 + 4 + block.body.readUInt32LE(0) + 4 // past the vendor string and the count
  buf.writeUInt32LE(0x7ffffff0, first)
  await writeFile(file, buf)
}

/** The first item of an .m4a's ilst claims more bytes than the list holds. */
async function breakIlst(file: string): Promise<void> {
  const buf = await readFile(file)
  const at = buf.indexOf('ilst', 0, 'latin1')
  if (at < 4) throw new Error('no ilst')
  buf.writeUInt32BE(0x7ffffff0, at + 4)
  await writeFile(file, buf)
}

/** The first frame of an ID3v2.3 tag claims more bytes than the tag holds. */
async function breakId3FrameSize(file: string): Promise<void> {
  const buf = await readFile(file)
  buf.writeUInt32BE(0x00fffff0, 14)
  await writeFile(file, buf)
}

/** An ID3v2 tag cut short: its header still claims its whole size, which now runs into the audio. */
async function truncateId3(file: string): Promise<void> {
  const buf = await readFile(file)
  const end = id3End(buf)
  await writeFile(file, Buffer.concat([buf.subarray(0, Math.floor(end / 2)), buf.subarray(end)]))
}

/** An ID3v1 tag cut short (the last 40 of its 128 bytes gone). */
async function truncateId3v1(file: string): Promise<void> {
  const buf = await readFile(file)
  if (buf.toString('latin1', buf.length - 128, buf.length - 125) !== 'TAG') throw new Error('no ID3v1 tag')
  await writeFile(file, buf.subarray(0, buf.length - 40))
}

/** The ID3 tag in an AIFF's ID3 chunk, with its first frame claiming more than the tag holds. */
async function breakAiffId3(file: string): Promise<void> {
  const buf = await readFile(file)
  const at = buf.indexOf('ID3 ', 12, 'latin1')
  if (at < 0 || buf.toString('latin1', at + 8, at + 11) !== 'ID3') throw new Error('no ID3 chunk')
  buf.writeUInt32BE(0x0fffffff & 0x7f7f7f7f, at + 8 + 14) // a syncsafe size past the end
  await writeFile(file, buf)
}

/** The first entry of a WAV's LIST INFO claims more bytes than the list holds. */
async function breakWavInfo(file: string): Promise<void> {
  const buf = await readFile(file)
  const at = buf.indexOf('INFO', 12, 'latin1')
  if (at < 0) throw new Error('no LIST INFO')
  buf.writeUInt32LE(0x7ffffff0, at + 8)
  await writeFile(file, buf)
}

/** The title length in an ASF Content Description object runs past the object. */
async function breakAsfContent(file: string): Promise<void> {
  const buf = await readFile(file)
  // 75B22633-668E-11CF-A6D9-00AA0062CE6C, as ASF stores GUIDs.
  const guid = Buffer.from('3326b2758e66cf11a6d900aa0062ce6c', 'hex')
  const at = buf.indexOf(guid)
  if (at < 0) throw new Error('no ASF Content Description object')
  buf.writeUInt16LE(0xfff0, at + 24)
  await writeFile(file, buf)
}

/** An APEv2 footer whose declared size reaches back past the start of the file. */
async function breakApeFooter(file: string): Promise<void> {
  const buf = await readFile(file)
  const footer = buf.length - 32
  if (buf.toString('latin1', footer, footer + 8) !== 'APETAGEX') throw new Error('no APE footer')
  buf.writeUInt32LE(buf.length + 4096, footer + 12)
  buf.writeUInt32LE(1000, footer + 16)
  await writeFile(file, buf)
}

/** Overwrites everything after a FLAC's metadata with noise that holds no frame sync code. */
async function damageAudio(file: string): Promise<void> {
  const buf = await readFile(file)
  const blocks = flacBlocks(buf)
  const last = blocks[blocks.length - 1]!
  const audio = last.at + 4 + last.size
  for (let i = audio; i < buf.length; i++) buf[i] = (i * 37) % 127
  await writeFile(file, buf)
}

/** The comment packet of an Ogg Vorbis or Opus file, its first comment claiming more than the packet. */
async function breakOggComment(file: string): Promise<void> {
  const buf = await readFile(file)
  const second = buf.indexOf('OggS', 4, 'latin1')
  const segments = buf[second + 26]!
  const body = second + 27 + segments
  const opus = buf.toString('latin1', body, body + 8) === 'OpusTags'
  const vendorAt = body + (opus ? 8 : 7)
  const first = vendorAt + 4 + buf.readUInt32LE(vendorAt) + 4
  buf.writeUInt32LE(0x7ffffff0, first)
  const pageEnd = body + [...buf.subarray(second + 27, body)].reduce((a, b) => a + b, 0)
  buf.writeUInt32LE(0, second + 22)
  buf.writeUInt32LE(oggCrc(buf.subarray(second, pageEnd)), second + 22)
  await writeFile(file, buf)
}

function oggCrc(page: Buffer): number {
  let c = 0
  for (const b of page) {
    c ^= b << 24
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1
    c >>>= 0
  }
  return c
}

/** Appends a chunk to a RIFF (WAV) file and grows the RIFF size to match. */
async function appendRiffChunk(file: string, id: string, body: Buffer): Promise<void> {
  const buf = await readFile(file)
  const head = Buffer.alloc(8)
  head.write(id, 0, 'latin1')
  head.writeUInt32LE(body.length, 4)
  const pad = body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)
  const out = Buffer.concat([buf, head, body, pad])
  out.writeUInt32LE(out.length - 8, 4)
  await writeFile(file, out)
}

/**
 * A stereo DSF file (DSD64: 2.8224 MHz, 1 bit) of a 440 Hz tone, by a second-order sigma-delta
 * modulator, with `id3` as its metadata chunk.
 */
export function dsf(seconds: number, id3?: Buffer): Buffer {
  const rate = 2_822_400
  const samples = Math.round(seconds * rate)
  const block = 4096
  const blocks = Math.ceil(samples / 8 / block)
  const data = Buffer.alloc(blocks * block * 2)
  for (let ch = 0; ch < 2; ch++) {
    let i1 = 0
    let i2 = 0
    let y = 0
    for (let n = 0; n < samples; n++) {
      const x = 0.5 * Math.sin((2 * Math.PI * 440 * n) / rate)
      i1 += x - y
      i2 += i1 - y
      y = i2 >= 0 ? 1 : -1
      if (y > 0) {
        const byte = n >> 3
        const at = Math.floor(byte / block) * block * 2 + ch * block + (byte % block)
        data[at]! |= 1 << (n & 7) // least significant bit first
      }
    }
  }
  const u64 = (n: number) => {
    const b = Buffer.alloc(8)
    b.writeBigUInt64LE(BigInt(n))
    return b
  }
  const u32 = (n: number) => {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(n)
    return b
  }
  const fmt = Buffer.concat([
    Buffer.from('fmt '),
    u64(52),
    ...[1, 0, 2, 2, rate, 1].map(u32), // version, DSD raw, stereo, 2 channels, rate, 1 bit (LSB first)
    u64(samples),
    u32(block),
    u32(0),
  ])
  const dataChunk = Buffer.concat([Buffer.from('data'), u64(12 + data.length), data])
  const size = 28 + fmt.length + dataChunk.length
  const head = Buffer.concat([
    Buffer.from('DSD '),
    u64(28),
    u64(size + (id3?.length ?? 0)),
    u64(id3 ? size : 0),
  ])
  return Buffer.concat([head, fmt, dataChunk, ...(id3 ? [id3] : [])])
}

/**
 * Plays a file with the ffmpeg given, as a player would (its first audio stream, resampled to 48 kHz so
 * that any two files compare): how long it lasts, and what ffmpeg warned about. Rejects when it fails.
 */
export async function play(
  ffmpegPath: string,
  file: string,
): Promise<{ seconds: number; warnings: string[] }> {
  const { bytes, stderr } = await toPcm(ffmpegPath, file, ['-ar', '48000'], 'play')
  return { seconds: bytes / 4 / 48000, warnings: stderr.split('\n').filter(Boolean) }
}
