// The preset editor's form: its state as the inputs hold it (strings), the spec it stands for, and
// the engine's own rules (src/shared/presets.ts) checked as the user types, each problem placed on
// the field it is about. Pure: no DOM, no engine.
import type { z } from 'zod'
import {
  CODECS,
  type Codec,
  checkExtraOptions,
  checkPresetSpec,
  type Preset,
  presetName,
  presetSpecShape,
} from '../../../../shared/presets'

export type SpecInput = z.input<typeof presetSpecShape>

export interface PresetForm {
  name: string
  description: string
  codec: Codec
  mode: 'vbr' | 'cbr'
  /** MP3: 0–9 (V0 best); Vorbis: -1–10. */
  quality: string
  /** kbit/s. */
  bitrate: string
  /** '' keeps the source's rate. */
  sampleRate: string
  /** '' keeps the source's channels. */
  channels: '' | '1' | '2'
  id3v2Version: '3' | '4'
  art: 'keep' | 'remove'
  lossy: 'copy' | 'transcode'
  /** Extra ffmpeg options, separated by spaces: "-cutoff 19000". */
  options: string
}

export type FormField = keyof PresetForm
export type FormErrors = Partial<Record<FormField | 'form', string>>

/** The ffmpeg encoder each codec is made with (as src/main/engine/convert/args.ts runs it). */
export const CODEC_ENCODER: Record<Exclude<Codec, 'copy'>, string> = {
  mp3: 'libmp3lame',
  aac: 'aac',
  opus: 'libopus',
  vorbis: 'libvorbis',
  flac: 'flac',
  alac: 'alac',
}

export const CODEC_LABEL: Record<Codec, string> = {
  mp3: 'MP3',
  aac: 'AAC (.m4a)',
  opus: 'Opus',
  vorbis: 'Ogg Vorbis',
  flac: 'FLAC (lossless)',
  alac: 'ALAC (lossless, .m4a)',
  copy: 'Copy (no transcoding)',
}

export const MP3_CBR_RATES = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
export const SAMPLE_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000]
const OPUS_RATES = [8000, 12000, 16000, 24000, 48000]

/** Sample rates a codec can be resampled to (the engine refuses the others). */
export function sampleRatesFor(codec: Codec): number[] {
  if (codec === 'opus') return OPUS_RATES
  if (codec === 'mp3') return SAMPLE_RATES.filter((r) => r <= 48000)
  return SAMPLE_RATES
}

/** Which codecs this ffmpeg can make, from its encoder names; copy needs none. */
export function availableCodecs(encoders: readonly string[]): Codec[] {
  return CODECS.filter((c) => c === 'copy' || encoders.includes(CODEC_ENCODER[c]))
}

/** Where each codec starts when the user picks it. */
const CODEC_START: Record<Codec, Pick<PresetForm, 'mode' | 'quality' | 'bitrate'>> = {
  mp3: { mode: 'vbr', quality: '0', bitrate: '320' },
  aac: { mode: 'cbr', quality: '', bitrate: '256' },
  opus: { mode: 'vbr', quality: '', bitrate: '128' },
  vorbis: { mode: 'vbr', quality: '6', bitrate: '192' },
  flac: { mode: 'vbr', quality: '', bitrate: '' },
  alac: { mode: 'vbr', quality: '', bitrate: '' },
  copy: { mode: 'vbr', quality: '', bitrate: '' },
}

export function newForm(): PresetForm {
  return {
    name: '',
    description: '',
    codec: 'mp3',
    ...CODEC_START.mp3,
    sampleRate: '',
    channels: '',
    id3v2Version: '3',
    art: 'keep',
    lossy: 'copy',
    options: '',
  }
}

/** The form after the user picks another codec: that codec's own starting values. */
export function withCodec(f: PresetForm, codec: Codec): PresetForm {
  const rates = sampleRatesFor(codec).map(String)
  return {
    ...f,
    codec,
    ...CODEC_START[codec],
    sampleRate: rates.includes(f.sampleRate) ? f.sampleRate : '',
    options: codec === 'copy' ? '' : f.options,
  }
}

export function formFromPreset(p: Preset, name = p.name): PresetForm {
  const s = p.spec
  const start = CODEC_START[s.codec]
  return {
    name,
    description: p.description,
    codec: s.codec,
    mode: s.mode ?? start.mode,
    quality: s.quality !== undefined ? String(s.quality) : start.quality,
    bitrate: s.bitrate !== undefined ? String(s.bitrate) : start.bitrate,
    sampleRate: s.sampleRate ? String(s.sampleRate) : '',
    channels: s.channels ? (String(s.channels) as '1' | '2') : '',
    id3v2Version: String(s.id3v2Version) as '3' | '4',
    art: s.art,
    lossy: s.lossy,
    options: s.options.join(' '),
  }
}

/** A free name for a duplicate: "mp3-v0-copy", then "mp3-v0-copy-2"… (at most 40 characters). */
export function duplicateName(name: string, taken: readonly string[]): string {
  for (let i = 1; ; i++) {
    const suffix = i === 1 ? '-copy' : `-copy-${i}`
    const candidate = name.slice(0, 40 - suffix.length) + suffix
    if (!taken.includes(candidate)) return candidate
  }
}

/** Which field an engine rule's sentence is about. */
function fieldOf(message: string): FormField | 'form' {
  if (/Hz/.test(message)) return 'sampleRate'
  if (/option/.test(message)) return 'options'
  if (/presets are CBR/.test(message)) return 'mode'
  if (/needs a bitrate|bitrate from/.test(message)) return 'bitrate'
  if (/quality/.test(message)) return 'quality'
  if (/bitrate/.test(message)) return 'bitrate'
  return 'form'
}

const sentence = (s: string) => s[0]!.toUpperCase() + s.slice(1) + (/[.!?)]$/.test(s) ? '' : '.')

/** The spec the form stands for: only the fields its codec and mode take. */
export function formToSpec(f: PresetForm): { spec: SpecInput; errors: FormErrors } {
  const errors: FormErrors = {}
  const spec: SpecInput = {
    codec: f.codec,
    sampleRate: f.sampleRate ? Number(f.sampleRate) : null,
    channels: f.channels ? (Number(f.channels) as 1 | 2) : null,
    id3v2Version: Number(f.id3v2Version) as 3 | 4,
    art: f.art,
    lossy: f.lossy,
    options: f.codec === 'copy' ? [] : f.options.trim().split(/\s+/).filter(Boolean),
  }
  const bitrate = () => {
    const text = f.bitrate.trim()
    if (!/^\d+$/.test(text)) {
      errors.bitrate = text
        ? `The bitrate is a whole number of kbit/s, not "${text}".`
        : 'Give a bitrate in kbit/s.'
      return undefined
    }
    return Number(text)
  }
  const quality = () => {
    const n = Number(f.quality)
    if (f.quality.trim() === '' || !Number.isFinite(n)) {
      errors.quality = 'Choose a quality.'
      return undefined
    }
    return n
  }
  switch (f.codec) {
    case 'mp3':
    case 'vorbis':
      spec.mode = f.mode
      if (f.mode === 'cbr') spec.bitrate = bitrate()
      else spec.quality = quality()
      break
    case 'aac':
      spec.mode = 'cbr'
      spec.bitrate = bitrate()
      break
    case 'opus':
      spec.mode = f.mode
      spec.bitrate = bitrate()
      break
    default:
      break
  }
  return { spec, errors }
}

/**
 * Every problem the engine would find, placed on its field, before anything is sent: the name
 * (its pattern, not taken), the codec (this ffmpeg has its encoder), and the preset rules of
 * src/shared/presets.ts (the very functions the engine runs). `spec` is set only when all is well.
 */
export function validatePresetForm(
  f: PresetForm,
  ctx: { taken: readonly string[]; codecs?: readonly Codec[] },
): { spec?: SpecInput; errors: FormErrors } {
  const { spec, errors } = formToSpec(f)
  const name = f.name.trim()
  if (!name) errors.name = 'Give the preset a name, e.g. mp3-v0-car.'
  else {
    const parsed = presetName.safeParse(name)
    if (!parsed.success) errors.name = sentence(parsed.error.issues[0]!.message)
    else if (ctx.taken.includes(name)) errors.name = `A preset named "${name}" already exists.`
  }
  if (f.description.length > 200)
    errors.description = `At most 200 characters (this is ${f.description.length}).`
  if (ctx.codecs && !ctx.codecs.includes(f.codec) && f.codec !== 'copy')
    errors.codec = `The ffmpeg in use has no ${CODEC_ENCODER[f.codec]} encoder: choose another codec, or another ffmpeg in Settings.`

  const optionProblems = checkExtraOptions(spec.options ?? [])
  if (optionProblems.length) errors.options = optionProblems.join(' ')
  else if ((spec.options?.length ?? 0) > 16) errors.options = 'At most 16 options and values.'
  else if (spec.options?.some((o) => o.length > 64)) errors.options = 'An option is at most 64 characters.'

  for (const message of checkPresetSpec(spec)) {
    const field = fieldOf(message)
    errors[field] ??= message
  }
  // Anything the schema still refuses (a bitrate out of its bounds), in the schema's words.
  const shape = presetSpecShape.safeParse(spec)
  if (!shape.success)
    for (const issue of shape.error.issues) {
      const field = String(issue.path[0] ?? 'form')
      const key = (field in f ? field : 'form') as FormField | 'form'
      errors[key] ??=
        key === 'bitrate' ? 'The bitrate is a whole number from 6 to 512 kbit/s.' : sentence(issue.message)
    }
  return Object.keys(errors).length ? { errors } : { spec, errors }
}

/** The sentence follows the form even while a field is invalid (a half-typed bitrate shows as "?"). */
export function sentenceSpec(f: PresetForm) {
  const n = (s: string) => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined)
  return {
    codec: f.codec,
    mode: f.codec === 'aac' ? ('cbr' as const) : f.mode,
    quality: n(f.quality),
    bitrate: n(f.bitrate),
    sampleRate: f.sampleRate ? Number(f.sampleRate) : null,
    channels: f.channels ? (Number(f.channels) as 1 | 2) : null,
    id3v2Version: Number(f.id3v2Version) as 3 | 4,
    art: f.art,
    lossy: f.lossy,
    options: f.options.trim().split(/\s+/).filter(Boolean),
  }
}
