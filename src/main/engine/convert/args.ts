import type { PresetSpec } from '../../../shared/presets'
import type { Probe } from './probe'

type EncodeCodec = Exclude<PresetSpec['codec'], 'copy'>

/** The ffmpeg encoder each codec Ferry offers is made with. */
export const ENCODER: Record<EncodeCodec, string> = {
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

/** Containers whose ffmpeg muxer takes a cover as an attached picture stream. */
export const ART_CAPABLE = new Set<PresetSpec['codec']>(['mp3', 'flac'])

/**
 * ffmpeg output options for one encode, as an argument array.
 *
 * @param coverInput input 1 is the cover, an image file Ferry wrote from the source's picture as
 *   music-metadata reads it. The source's own picture stream is never mapped: ffmpeg does not expose
 *   every cover as one (an APEv2 binary cover, some ASF pictures), and a map that matches no stream
 *   fails the encode.
 */
export function encodeArgs(
  spec: PresetSpec,
  source: Probe,
  removeArt: boolean,
  coverInput = false,
): string[] {
  const codec = spec.codec as EncodeCodec
  const args = ['-map', '0:a:0']
  if (coverInput && spec.art === 'keep' && !removeArt && ART_CAPABLE.has(codec)) {
    // "Cover (front)" is the picture type ffmpeg writes (APIC type 3, FLAC picture type 3).
    args.push('-map', '1:v:0', '-c:v', 'copy', '-disposition:v:0', 'attached_pic')
    args.push('-metadata:s:v:0', 'comment=Cover (front)')
  }
  // Tags: Ogg sources keep theirs on the audio stream, the others globally.
  const oggSource = /ogg|opus|vorbis/i.test(source.container)
  args.push('-map_metadata', oggSource ? '0:s:a:0' : '0')
  for (const key of source.binaryTags ?? []) args.push('-metadata', `${key}=`) // "key=" removes it
  for (const [key, value] of Object.entries(source.metadata ?? {})) args.push('-metadata', `${key}=${value}`)
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
  const rate = spec.sampleRate || lossyRate(codec, source.sampleRate ?? 0)
  if (rate) args.push('-ar', String(rate))
  if (spec.channels) args.push('-ac', String(spec.channels))
  args.push(...spec.options, '-f', MUXER[codec])
  return args
}

/**
 * The rate a lossy encode of a high-resolution source is made at when the preset names none: 44.1 kHz
 * for the 44.1 kHz family (88.2, 176.4 kHz and every DSD rate), else 48 kHz. Left to itself, ffmpeg
 * would make a 96 kHz AAC of a DSD64 file (which few players take) and a 48 kHz MP3 of it.
 */
function lossyRate(codec: EncodeCodec, sourceRate: number): number | undefined {
  if (sourceRate <= 48_000 || (codec !== 'mp3' && codec !== 'aac' && codec !== 'vorbis')) return undefined
  return sourceRate % 44_100 === 0 ? 44_100 : 48_000
}
