// What a preset produces, in one sentence a user can read: "MP3, VBR V0 ≈ 245 kbit/s, ID3v2.3, cover
// kept, lossy sources copied as they are". Pure: no DOM, no engine.
import type { z } from 'zod'
import type { presetSpecShape } from '../../../../shared/presets'

type SpecInput = z.input<typeof presetSpecShape>

/** LAME's average bitrate per VBR quality (V0…V9), as its documentation gives it. */
export const LAME_VBR_KBPS = [245, 225, 190, 175, 165, 130, 115, 100, 85, 65] as const

/** libvorbis's nominal bitrate per quality (-1…10) for stereo 44.1 kHz. */
const VORBIS_KBPS: Record<number, number> = {
  [-1]: 45,
  0: 64,
  1: 80,
  2: 96,
  3: 112,
  4: 128,
  5: 160,
  6: 192,
  7: 224,
  8: 256,
  9: 320,
  10: 500,
}

const khz = (hz: number) => `${hz / 1000} kHz`

/** How the audio itself is encoded: "MP3, VBR V0 ≈ 245 kbit/s". */
function encoding(s: SpecInput): string {
  switch (s.codec) {
    case 'mp3':
      if (s.mode === 'cbr') return `MP3, CBR ${s.bitrate ?? '?'} kbit/s`
      return `MP3, VBR V${s.quality ?? '?'}${
        s.quality !== undefined && LAME_VBR_KBPS[s.quality] ? ` ≈ ${LAME_VBR_KBPS[s.quality]} kbit/s` : ''
      }`
    case 'aac':
      return `AAC ${s.bitrate ?? '?'} kbit/s in .m4a`
    case 'opus':
      return s.mode === 'cbr'
        ? `Opus, CBR ${s.bitrate ?? '?'} kbit/s`
        : `Opus, VBR ≈ ${s.bitrate ?? '?'} kbit/s`
    case 'vorbis':
      if (s.mode === 'cbr') return `Ogg Vorbis, ${s.bitrate ?? '?'} kbit/s`
      return `Ogg Vorbis, quality ${s.quality ?? '?'}${
        s.quality !== undefined && VORBIS_KBPS[s.quality] ? ` ≈ ${VORBIS_KBPS[s.quality]} kbit/s` : ''
      }`
    case 'flac':
      return 'FLAC, lossless'
    case 'alac':
      return 'ALAC, lossless, in .m4a'
    case 'copy':
      return 'No transcoding: every file copied as it is'
  }
}

/**
 * The sentence for a preset's spec. Fields the codec ignores are left out (a copy says nothing of
 * covers or sample rates: it copies bytes).
 */
export function describePreset(s: SpecInput): string {
  const parts = [encoding(s)]
  if (s.codec === 'copy') return parts[0]!
  if (s.sampleRate) parts.push(`resampled to ${khz(s.sampleRate)}`)
  if (s.channels === 1) parts.push('mono')
  else if (s.channels === 2) parts.push('stereo')
  if (s.codec === 'mp3') parts.push(`ID3v2.${s.id3v2Version ?? 3}`)
  parts.push(s.art === 'remove' ? 'cover removed' : 'cover kept')
  parts.push(s.lossy === 'transcode' ? 'lossy sources transcoded too' : 'lossy sources copied as they are')
  if (s.options?.length) parts.push(`extra options ${s.options.join(' ')}`)
  return parts.join(', ')
}
