import type { Preset } from '../../../shared/presets'

/** Encoded size, guessed from the preset's bitrate against ~900 kbps for CD-quality lossless. */
export function estimateEncoded(size: number, preset: Preset): number {
  const s = preset.spec
  const kbps =
    s.codec === 'flac' || s.codec === 'alac'
      ? 700
      : s.mode === 'cbr' || s.codec === 'opus' || s.codec === 'aac'
        ? (s.bitrate ?? 256)
        : s.codec === 'mp3'
          ? [245, 225, 190, 175, 165, 130, 115, 100, 85, 65][s.quality ?? 0]!
          : 160
  return Math.round(size * Math.min(1, kbps / 900))
}
