import type { PresetSpec } from '../../../shared/presets'
import type { Probe } from './probe'

type EncodeCodec = Exclude<PresetSpec['codec'], 'copy'>

const ENCODER: Record<EncodeCodec, string> = {
  mp3: 'libmp3lame',
  aac: 'aac',
  opus: 'libopus',
  vorbis: 'libvorbis',
  flac: 'flac',
  alac: 'alac',
}

/** Muxer per codec: named, not guessed from the (temporary) output name. */
const MUXER: Record<EncodeCodec, string> = {
  mp3: 'mp3',
  aac: 'ipod',
  opus: 'ogg',
  vorbis: 'ogg',
  flac: 'flac',
  alac: 'ipod',
}

/** Containers whose ffmpeg muxer can carry a cover as an attached picture. */
const ART_CAPABLE = new Set<EncodeCodec>(['mp3', 'flac'])

/** ffmpeg output options for one encode, as an argument array. */
/**
 * @param pictureInput input 1 is an ffmetadata file holding the cover as a Vorbis-comment picture
 *   (METADATA_BLOCK_PICTURE): how an Ogg file (Opus, Vorbis) carries one.
 */
export function encodeArgs(
  spec: PresetSpec,
  source: Probe,
  removeArt: boolean,
  pictureInput = false,
): string[] {
  const codec = spec.codec as EncodeCodec
  const keepArt = spec.art === 'keep' && !removeArt && source.hasArt && ART_CAPABLE.has(codec)
  const args = ['-map', '0:a:0']
  if (keepArt) args.push('-map', '0:v:0', '-c:v', 'copy', '-disposition:v:0', 'attached_pic')
  // Tags: Ogg sources keep theirs on the audio stream, the others globally.
  const oggSource = /ogg|opus|vorbis/i.test(source.container)
  args.push('-map_metadata', oggSource ? '0:s:a:0' : '0')
  if (pictureInput) args.push('-map_metadata:s:a:0', '1')
  args.push('-c:a', ENCODER[codec])
  switch (codec) {
    case 'mp3':
      if (spec.mode === 'cbr') args.push('-b:a', `${spec.bitrate}k`)
      else args.push('-q:a', String(spec.quality))
      args.push('-id3v2_version', String(spec.id3v2Version), '-write_id3v1', '0')
      break
    case 'aac':
      args.push('-b:a', `${spec.bitrate}k`)
      break
    case 'opus':
      args.push('-b:a', `${spec.bitrate}k`, '-vbr', spec.mode === 'cbr' ? 'off' : 'on')
      break
    case 'vorbis':
      if (spec.mode === 'cbr') args.push('-b:a', `${spec.bitrate}k`)
      else args.push('-q:a', String(spec.quality))
      break
    case 'flac':
    case 'alac':
      break
  }
  if (spec.sampleRate) args.push('-ar', String(spec.sampleRate))
  if (spec.channels) args.push('-ac', String(spec.channels))
  args.push(...spec.options, '-f', MUXER[codec])
  return args
}

/** Codecs whose container (Ogg) takes a cover only as a Vorbis-comment picture. */
export const takesPictureComment = (codec: PresetSpec['codec']) => codec === 'opus' || codec === 'vorbis'

/**
 * An ffmetadata file holding a cover as METADATA_BLOCK_PICTURE (a FLAC picture block, base64): a file,
 * not an argument, since a cover's base64 outgrows the length the OS allows one argument.
 */
export function pictureMetadata(cover: { data: Uint8Array; format: string }): string {
  const u32 = (n: number) => {
    const b = Buffer.alloc(4)
    b.writeUInt32BE(n)
    return b
  }
  const mime = Buffer.from(cover.format)
  const block = Buffer.concat([
    u32(3), // front cover
    u32(mime.length),
    mime,
    u32(0), // no description
    u32(0), // width, height, depth, colours: unknown
    u32(0),
    u32(0),
    u32(0),
    u32(cover.data.length),
    Buffer.from(cover.data),
  ])
  // ffmetadata escapes = ; # \ and newlines with a backslash; base64 only ever has "=".
  return `;FFMETADATA1\nMETADATA_BLOCK_PICTURE=${block.toString('base64').replace(/=/g, '\\=')}\n`
}
