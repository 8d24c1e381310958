// Conversion presets: the schema every side validates against (engine, CLI, renderer), and the
// allow-list of extra ffmpeg options. Pure data and zod: no node, electron or DOM imports.
import { z } from 'zod'

export const CODECS = ['mp3', 'aac', 'opus', 'vorbis', 'flac', 'alac', 'copy'] as const
export type Codec = (typeof CODECS)[number]

/** The file extension each codec's output gets. `copy` keeps the source's own. */
export const CODEC_EXTENSION: Record<Exclude<Codec, 'copy'>, string> = {
  mp3: 'mp3',
  aac: 'm4a',
  opus: 'opus',
  vorbis: 'ogg',
  flac: 'flac',
  alac: 'm4a',
}

const SAMPLE_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000] as const
const MP3_CBR = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
const OPUS_RATES = [8000, 12000, 16000, 24000, 48000]

/**
 * Extra ffmpeg options a preset may carry: a fixed list of encoder tuning flags, each with the values
 * it accepts. Nothing else gets through, so no option can name an output file, a protocol or a filter
 * that reads files.
 */
export const EXTRA_OPTIONS: Record<string, { values: RegExp; hint: string }> = {
  '-compression_level': { values: /^\d{1,2}$/, hint: 'a number from 0 to 12' },
  '-cutoff': { values: /^\d{4,5}$/, hint: 'a frequency in Hz, e.g. 19000' },
  '-application': { values: /^(audio|voip|lowdelay)$/, hint: 'audio, voip or lowdelay' },
  '-frame_duration': { values: /^(2\.5|5|10|20|40|60)$/, hint: '2.5, 5, 10, 20, 40 or 60' },
  '-joint_stereo': { values: /^[01]$/, hint: '0 or 1' },
  '-reservoir': { values: /^[01]$/, hint: '0 or 1' },
  '-aac_coder': { values: /^(twoloop|fast)$/, hint: 'twoloop or fast' },
  '-profile:a': { values: /^(aac_low|aac_main|aac_ltp)$/, hint: 'aac_low, aac_main or aac_ltp' },
}

/** Checks a list of extra options; returns the problems found (empty when all is well). */
export function checkExtraOptions(tokens: readonly string[]): string[] {
  const problems: string[] = []
  for (let i = 0; i < tokens.length; i += 2) {
    const flag = tokens[i]!
    const value = tokens[i + 1]
    const rule = EXTRA_OPTIONS[flag]
    if (!rule) {
      problems.push(
        /[/\\:]/.test(flag) || !flag.startsWith('-')
          ? `"${flag}" is refused: extra options may not name a file, an output or a protocol.`
          : `"${flag}" is not an allowed option (allowed: ${Object.keys(EXTRA_OPTIONS).join(', ')}).`,
      )
      continue
    }
    if (value === undefined) problems.push(`${flag} needs a value (${rule.hint}).`)
    else if (!rule.values.test(value)) problems.push(`${flag} takes ${rule.hint}, not "${value}".`)
  }
  return problems
}

/** What a preset says about the output. Fields that do not apply to the codec must be left out. */
export const presetSpecShape = z
  .object({
    codec: z.enum(CODECS),
    /** vbr: `quality` (MP3 0–9, lower is better; Vorbis -1–10, higher is better); cbr: `bitrate`. */
    mode: z.enum(['vbr', 'cbr']).optional(),
    quality: z.number().min(-1).max(10).optional(),
    /** kbps: CBR rate (MP3, AAC), or the target of Opus's VBR. */
    bitrate: z.number().int().min(6).max(512).optional(),
    sampleRate: z
      .number()
      .int()
      .refine((r) => (SAMPLE_RATES as readonly number[]).includes(r), {
        message: `the sample rate must be one of ${SAMPLE_RATES.join(', ')}`,
      })
      .nullable()
      .default(null),
    channels: z
      .union([z.literal(1), z.literal(2)])
      .nullable()
      .default(null),
    /** ID3v2 version of MP3 tags: 3 for old players (and Windows), 4 otherwise. */
    id3v2Version: z.union([z.literal(3), z.literal(4)]).default(3),
    art: z.enum(['keep', 'remove']).default('keep'),
    /** Lossy sources: copied as they are (no lossy-to-lossy), or transcoded anyway. */
    lossy: z.enum(['copy', 'transcode']).default('copy'),
    options: z
      .array(z.string().max(64))
      .max(16)
      .default([])
      .superRefine((opts, ctx) => {
        for (const message of checkExtraOptions(opts)) ctx.addIssue({ code: 'custom', message })
      }),
  })
  .strict()

export type PresetSpec = z.output<typeof presetSpecShape>

/** Cross-field rules, with messages a user can act on. */
export function checkPresetSpec(s: z.input<typeof presetSpecShape>): string[] {
  const p: string[] = []
  const lossless = s.codec === 'flac' || s.codec === 'alac'
  if (s.codec === 'copy' || lossless) {
    if (s.mode || s.quality !== undefined || s.bitrate !== undefined)
      p.push(`${s.codec} takes no mode, quality or bitrate.`)
  }
  if (s.codec === 'mp3') {
    if (s.mode === 'cbr') {
      if (s.bitrate === undefined || !MP3_CBR.includes(s.bitrate))
        p.push(`MP3 CBR needs a bitrate of ${MP3_CBR.join(', ')} kbps.`)
      if (s.quality !== undefined) p.push('MP3 CBR takes a bitrate, not a quality.')
    } else {
      if (s.quality === undefined || !Number.isInteger(s.quality) || s.quality < 0 || s.quality > 9)
        p.push('MP3 VBR needs a quality from 0 (best, V0) to 9.')
      if (s.bitrate !== undefined) p.push('MP3 VBR takes a quality, not a bitrate.')
    }
    if (s.sampleRate && s.sampleRate > 48000) p.push('MP3 cannot hold more than 48000 Hz.')
  }
  if (s.codec === 'aac') {
    if (s.mode === 'vbr') p.push('AAC presets are CBR (mode "cbr" with a bitrate).')
    if (s.bitrate === undefined || s.bitrate < 16 || s.bitrate > 512)
      p.push('AAC needs a bitrate from 16 to 512 kbps.')
    if (s.quality !== undefined) p.push('AAC takes a bitrate, not a quality.')
  }
  if (s.codec === 'opus') {
    if (s.bitrate === undefined || s.bitrate > 510) p.push('Opus needs a bitrate from 6 to 510 kbps.')
    if (s.quality !== undefined) p.push('Opus takes a bitrate, not a quality.')
    if (s.sampleRate && !OPUS_RATES.includes(s.sampleRate))
      p.push(`Opus runs at ${OPUS_RATES.join(', ')} Hz only.`)
  }
  if (s.codec === 'vorbis') {
    if (s.mode === 'cbr') {
      if (s.bitrate === undefined) p.push('Vorbis CBR needs a bitrate.')
    } else if (s.quality === undefined) p.push('Vorbis VBR needs a quality from -1 to 10.')
  }
  if (s.options?.length && s.codec === 'copy') p.push('The copy preset takes no extra options.')
  return p
}

export const presetName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,39}$/,
    'a preset name is 1–40 lower-case letters, digits, ".", "_" or "-" (e.g. mp3-v0)',
  )

export interface Preset {
  name: string
  description: string
  builtin: boolean
  spec: PresetSpec
  /** The output's extension, or null when the source's own is kept (copy). */
  extension: string | null
  /** Identifies what the preset produces: part of the transcode cache's key. */
  hash: string
  createdAt: number | null
  updatedAt: number | null
}
