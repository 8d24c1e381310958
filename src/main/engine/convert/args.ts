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
export function encodeArgs(spec: PresetSpec, source: Probe, removeArt: boolean): string[] {
  const codec = spec.codec as EncodeCodec
  const keepArt = spec.art === 'keep' && !removeArt && source.hasArt && ART_CAPABLE.has(codec)
  const args = ['-map', '0:a:0']
  if (keepArt) args.push('-map', '0:v:0', '-c:v', 'copy', '-disposition:v:0', 'attached_pic')
  // Tags: Ogg sources keep theirs on the audio stream, the others globally.
  const oggSource = /ogg|opus|vorbis/i.test(source.container)
  args.push('-map_metadata', oggSource ? '0:s:a:0' : '0', '-c:a', ENCODER[codec])
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
