import { type ReactNode, useId } from 'react'
import { type Codec, EXTRA_OPTIONS } from '../../../../shared/presets'
import { LAME_VBR_KBPS } from './describe'
import {
  CODEC_ENCODER,
  CODEC_LABEL,
  type FormErrors,
  type FormField,
  MP3_CBR_RATES,
  type PresetForm,
  sampleRatesFor,
  withCodec,
} from './form'

interface ControlAttrs {
  id: string
  name: string
  'aria-invalid'?: true
  'aria-describedby'?: string
}

/** Makes one labelled control, with its error (once touched) and hint, both tied to it for screen readers. */
type MakeField = (
  name: FormField,
  label: string,
  control: (attrs: ControlAttrs) => ReactNode,
  hint?: ReactNode,
  wide?: boolean,
) => ReactNode

/** What each group of fields is given: the form, how to change it, and how to make a field. */
interface SectionProps {
  form: PresetForm
  change(patch: Partial<PresetForm>): void
  field: MakeField
}

/**
 * The preset editor's fields: only those the chosen codec and mode take, each labelled, with its
 * error (once shown) and hint tied to it for screen readers. Inputs carry `name` = the form field, so
 * the editor can focus the first invalid one.
 */
export function PresetFields({
  form,
  change,
  shown,
  codecs,
}: {
  form: PresetForm
  change(patch: Partial<PresetForm>): void
  shown(field: FormField): FormErrors[FormField]
  /** What this ffmpeg can encode; undefined while unknown (all are offered). */
  codecs?: readonly Codec[]
}) {
  const field = useMakeField(shown)
  return (
    <>
      <IdentityFields form={form} change={change} field={field} codecs={codecs} />
      <RateFields form={form} change={change} field={field} />
      {form.codec !== 'copy' && (
        <>
          <FormatFields form={form} change={change} field={field} />
          <SourceFields form={form} change={change} field={field} />
        </>
      )}
    </>
  )
}

/** The field maker, its ids unique to this form. */
function useMakeField(shown: (field: FormField) => FormErrors[FormField]): MakeField {
  const uid = useId()
  return (name, label, control, hint, wide = false) => {
    const id = `${uid}-${name}`
    const error = shown(name)
    const described = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ')
    return (
      <Field key={name} id={id} label={label} error={error} hint={hint} wide={wide}>
        {control({
          id,
          name,
          'aria-invalid': error ? true : undefined,
          'aria-describedby': described || undefined,
        })}
      </Field>
    )
  }
}

/** Name, codec and description: what every preset has. */
function IdentityFields({ form, change, field, codecs }: SectionProps & { codecs?: readonly Codec[] }) {
  // A preset's own codec stays offered even when this ffmpeg cannot make it, marked as such.
  const codecChoices = codecs && !codecs.includes(form.codec) ? [...codecs, form.codec] : codecs
  return (
    <>
      {field(
        'name',
        'Name',
        (a) => (
          <input
            type="text"
            {...a}
            value={form.name}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => change({ name: e.target.value })}
          />
        ),
        <>
          On the command line: <code>ferry convert -p NAME</code>
        </>,
      )}
      {field(
        'codec',
        'Codec',
        (a) => (
          <select
            {...a}
            value={form.codec}
            onChange={(e) => change(withCodec(form, e.target.value as Codec))}
          >
            {(codecChoices ?? (Object.keys(CODEC_LABEL) as Codec[])).map((c) => (
              <option key={c} value={c}>
                {CODEC_LABEL[c]}
                {codecs && !codecs.includes(c) ? ' — not in this ffmpeg' : ''}
              </option>
            ))}
          </select>
        ),
        form.codec === 'copy' ? 'Files are copied byte for byte.' : `Encoder: ${CODEC_ENCODER[form.codec]}.`,
      )}
      {field(
        'description',
        'Description',
        (a) => (
          <input
            type="text"
            {...a}
            value={form.description}
            placeholder="What it is for, e.g. the car's USB stick"
            onChange={(e) => change({ description: e.target.value })}
          />
        ),
        undefined,
        true,
      )}
    </>
  )
}

/** Bitrate mode, then quality (VBR) or bitrate (CBR, or codecs without a mode): what the codec takes. */
function RateFields({ form, change, field }: SectionProps) {
  return (
    <>
      {(form.codec === 'mp3' || form.codec === 'vorbis' || form.codec === 'opus') &&
        field(
          'mode',
          'Bitrate mode',
          (a) => (
            <select
              {...a}
              value={form.mode}
              onChange={(e) => change({ mode: e.target.value as 'vbr' | 'cbr' })}
            >
              <option value="vbr">VBR (variable)</option>
              <option value="cbr">CBR (constant)</option>
            </select>
          ),
          form.mode === 'vbr' ? 'The best quality for the size.' : 'For players that mishandle VBR.',
        )}
      {form.codec === 'mp3' &&
        form.mode === 'vbr' &&
        field('quality', 'Quality', (a) => (
          <select {...a} value={form.quality} onChange={(e) => change({ quality: e.target.value })}>
            {LAME_VBR_KBPS.map((kbps, q) => (
              <option key={q} value={String(q)}>
                V{q} (≈ {kbps} kbit/s){q === 0 ? ' — best' : ''}
              </option>
            ))}
          </select>
        ))}
      {form.codec === 'vorbis' &&
        form.mode === 'vbr' &&
        field(
          'quality',
          'Quality',
          (a) => (
            <select {...a} value={form.quality} onChange={(e) => change({ quality: e.target.value })}>
              {Array.from({ length: 12 }, (_, i) => i - 1).map((q) => (
                <option key={q} value={String(q)}>
                  {q}
                  {q === 10 ? ' — best' : ''}
                </option>
              ))}
            </select>
          ),
          'Higher is better; 6 is about 192 kbit/s.',
        )}
      {form.codec === 'mp3' &&
        form.mode === 'cbr' &&
        field('bitrate', 'Bitrate', (a) => (
          <select {...a} value={form.bitrate} onChange={(e) => change({ bitrate: e.target.value })}>
            {MP3_CBR_RATES.map((r) => (
              <option key={r} value={String(r)}>
                {r} kbit/s
              </option>
            ))}
          </select>
        ))}
      {(form.codec === 'aac' || form.codec === 'opus' || (form.codec === 'vorbis' && form.mode === 'cbr')) &&
        field(
          'bitrate',
          'Bitrate (kbit/s)',
          (a) => (
            <input
              type="text"
              inputMode="numeric"
              {...a}
              value={form.bitrate}
              onChange={(e) => change({ bitrate: e.target.value })}
            />
          ),
          bitrateHint(form.codec),
        )}
    </>
  )
}

/** The bounds of a typed bitrate, for the codecs whose range needs saying. */
function bitrateHint(codec: Codec): string | undefined {
  return codec === 'aac'
    ? '16 to 512.'
    : codec === 'opus'
      ? '6 to 510; 128 is transparent for most music.'
      : undefined
}

/** Sample rate, channels, MP3 tags and cover art: the shape of the files an encode writes. */
function FormatFields({ form, change, field }: SectionProps) {
  const rates = sampleRatesFor(form.codec)
  return (
    <>
      {field('sampleRate', 'Sample rate', (a) => (
        <select {...a} value={form.sampleRate} onChange={(e) => change({ sampleRate: e.target.value })}>
          <option value="">As the source</option>
          {rates.map((r) => (
            <option key={r} value={String(r)}>
              {r / 1000} kHz
            </option>
          ))}
        </select>
      ))}
      {field('channels', 'Channels', (a) => (
        <select
          {...a}
          value={form.channels}
          onChange={(e) => change({ channels: e.target.value as PresetForm['channels'] })}
        >
          <option value="">As the source</option>
          <option value="2">Stereo</option>
          <option value="1">Mono</option>
        </select>
      ))}
      {form.codec === 'mp3' &&
        field('id3v2Version', 'Tags', (a) => (
          <select
            {...a}
            value={form.id3v2Version}
            onChange={(e) => change({ id3v2Version: e.target.value as '3' | '4' })}
          >
            <option value="3">ID3v2.3 (older players, Windows)</option>
            <option value="4">ID3v2.4</option>
          </select>
        ))}
      {field('art', 'Cover art', (a) => (
        <select
          {...a}
          value={form.art}
          onChange={(e) => change({ art: e.target.value as 'keep' | 'remove' })}
        >
          <option value="keep">Keep the cover</option>
          <option value="remove">Remove it (smaller files)</option>
        </select>
      ))}
    </>
  )
}

/** What to do with lossy sources, and extra ffmpeg options. */
function SourceFields({ form, change, field }: SectionProps) {
  const lossless = form.codec === 'flac' || form.codec === 'alac'
  return (
    <>
      {field(
        'lossy',
        'Lossy sources',
        (a) => (
          <select
            {...a}
            value={form.lossy}
            onChange={(e) => change({ lossy: e.target.value as 'copy' | 'transcode' })}
          >
            <option value="copy">Copy them as they are</option>
            <option value="transcode">Transcode them too</option>
          </select>
        ),
        lossless
          ? 'MP3, AAC… sources cannot gain quality as lossless files.'
          : 'Transcoding a lossy file again loses quality.',
      )}
      {field(
        'options',
        'Extra ffmpeg options',
        (a) => (
          <input
            type="text"
            {...a}
            value={form.options}
            placeholder="e.g. -cutoff 19000"
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => change({ options: e.target.value })}
          />
        ),
        <ExtraOptionsHint />,
        true,
      )}
    </>
  )
}

/** The extra options the engine allows, each as code. */
function ExtraOptionsHint() {
  return (
    <>
      Optional. Allowed:{' '}
      {Object.keys(EXTRA_OPTIONS).map((o, i) => (
        <span key={o}>
          {i > 0 && ', '}
          <code>{o}</code>
        </span>
      ))}
      .
    </>
  )
}

function Field({
  id,
  label,
  error,
  hint,
  wide,
  children,
}: {
  id: string
  label: string
  error?: string
  hint?: ReactNode
  wide?: boolean
  children: ReactNode
}) {
  return (
    <div className={wide ? 'pf-field wide' : 'pf-field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error && (
        <p id={`${id}-error`} className="pf-error">
          {error}
        </p>
      )}
      {hint && (
        <p id={`${id}-hint`} className="pf-hint muted">
          {hint}
        </p>
      )}
    </div>
  )
}
