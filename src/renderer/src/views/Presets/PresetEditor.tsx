import * as Dialog from '@radix-ui/react-dialog'
import { type FormEvent, type ReactNode, useId, useMemo, useRef, useState } from 'react'
import { EXTRA_OPTIONS, type Codec, type Preset, type PresetSpec } from '../../../../shared/presets'
import { ErrorText } from '../../components/ErrorText'
import { presetActions } from '../../store/presets'
import { describePreset, LAME_VBR_KBPS } from './describe'
import {
  availableCodecs,
  CODEC_ENCODER,
  CODEC_LABEL,
  duplicateName,
  type FormField,
  formFromPreset,
  MP3_CBR_RATES,
  newForm,
  type PresetForm,
  sampleRatesFor,
  validatePresetForm,
  withCodec,
} from './form'

interface ControlAttrs {
  id: string
  name: string
  'aria-invalid'?: true
  'aria-describedby'?: string
}

export type EditorMode =
  { kind: 'new' } | { kind: 'edit'; preset: Preset } | { kind: 'duplicate'; from: Preset }

/** The order fields are checked in, so the first invalid one gets the focus on save. */
const FIELD_ORDER: FormField[] = [
  'name',
  'description',
  'codec',
  'mode',
  'quality',
  'bitrate',
  'sampleRate',
  'options',
]

function initialForm(mode: EditorMode, taken: string[]): PresetForm {
  if (mode.kind === 'edit') return formFromPreset(mode.preset)
  if (mode.kind === 'duplicate') {
    const f = formFromPreset(mode.from, duplicateName(mode.from.name, taken))
    return { ...f, description: `Based on ${mode.from.name}: ${mode.from.description}`.slice(0, 200) }
  }
  return newForm()
}

/** The preset editor in a dialog: new, edit or duplicate. Keyed by mode so each opening starts afresh. */
export function PresetEditor(props: {
  mode: EditorMode | null
  presets: Preset[]
  encoders?: string[]
  ffmpegKnown: boolean
  onClose(): void
}) {
  const { mode, onClose } = props
  const key = !mode
    ? 'closed'
    : mode.kind === 'edit'
      ? `edit:${mode.preset.name}`
      : mode.kind === 'duplicate'
        ? `dup:${mode.from.name}`
        : 'new'
  return (
    <Dialog.Root open={mode !== null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        {mode && <EditorContent key={key} {...props} mode={mode} />}
      </Dialog.Portal>
    </Dialog.Root>
  )
}

function EditorContent({
  mode,
  presets,
  encoders,
  ffmpegKnown,
  onClose,
}: {
  mode: EditorMode
  presets: Preset[]
  encoders?: string[]
  ffmpegKnown: boolean
  onClose(): void
}) {
  const taken = useMemo(
    () => presets.map((p) => p.name).filter((n) => mode.kind !== 'edit' || n !== mode.preset.name),
    [presets, mode],
  )
  const [form, setForm] = useState(() => initialForm(mode, taken))
  const [touched, setTouched] = useState<Partial<Record<FormField, boolean>>>({})
  const [submitted, setSubmitted] = useState(false)
  const [saving, setSaving] = useState(false)
  const [refusal, setRefusal] = useState<string>()
  const formRef = useRef<HTMLFormElement>(null)
  const uid = useId()

  // Without an ffmpeg answer yet, every codec is offered; once it answers, only what it can make.
  const codecs: Codec[] | undefined = encoders
    ? availableCodecs(encoders)
    : ffmpegKnown
      ? ['copy']
      : undefined
  const { spec, errors } = validatePresetForm(form, { taken, codecs })
  const shown = (f: FormField) => (submitted || touched[f] ? errors[f] : undefined)
  const change = (patch: Partial<PresetForm>) => {
    setForm((f) => ({ ...f, ...patch }))
    setTouched((t) => ({ ...t, ...Object.fromEntries(Object.keys(patch).map((k) => [k, true])) }))
    setRefusal(undefined)
  }
  const codecChoices = codecs && !codecs.includes(form.codec) ? [...codecs, form.codec] : (codecs ?? null)

  async function save(e: FormEvent) {
    e.preventDefault()
    setSubmitted(true)
    if (!spec) {
      const first = FIELD_ORDER.find((f) => errors[f])
      if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus()
      return
    }
    setSaving(true)
    setRefusal(undefined)
    try {
      const name = form.name.trim()
      const full = spec as Partial<PresetSpec>
      if (mode.kind === 'edit')
        await presetActions.update(mode.preset, {
          rename: name !== mode.preset.name ? name : undefined,
          description: form.description,
          spec: full,
        })
      else await presetActions.create({ name, description: form.description || undefined, spec: full })
      onClose()
    } catch (err) {
      setRefusal((err as Error).message)
    } finally {
      setSaving(false)
    }
  }

  const title =
    mode.kind === 'edit'
      ? `Edit ${mode.preset.name}`
      : mode.kind === 'duplicate'
        ? `Duplicate ${mode.from.name}`
        : 'New preset'
  /** One labelled control, with its error (once touched) and hint, both tied to it for screen readers. */
  const field = (
    name: FormField,
    label: string,
    control: (attrs: ControlAttrs) => ReactNode,
    hint?: ReactNode,
    wide = false,
  ) => {
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
  const lossless = form.codec === 'flac' || form.codec === 'alac'
  const rates = sampleRatesFor(form.codec)

  return (
    <Dialog.Content className="dialog preset-editor" aria-describedby={`${uid}-produces`}>
      <Dialog.Title asChild>
        <h2>{title}</h2>
      </Dialog.Title>
      <p id={`${uid}-produces`} className="preset-produces" aria-live="polite">
        <span className="muted">Produces: </span>
        {describePreset(formToSentenceSpec(form))}
      </p>
      <form ref={formRef} onSubmit={(e) => void save(e)} noValidate className="preset-form">
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
          form.codec === 'copy'
            ? 'Files are copied byte for byte.'
            : `Encoder: ${CODEC_ENCODER[form.codec]}.`,
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
        {(form.codec === 'mp3' || form.codec === 'vorbis' || form.codec === 'opus') &&
          field('mode', 'Bitrate mode', (a) => (
            <select
              {...a}
              value={form.mode}
              onChange={(e) => change({ mode: e.target.value as 'vbr' | 'cbr' })}
            >
              <option value="vbr">VBR (variable: best quality for the size)</option>
              <option value="cbr">CBR (constant: for players that mishandle VBR)</option>
            </select>
          ))}
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
        {(form.codec === 'aac' ||
          form.codec === 'opus' ||
          (form.codec === 'vorbis' && form.mode === 'cbr')) &&
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
            form.codec === 'aac'
              ? '16 to 512.'
              : form.codec === 'opus'
                ? '6 to 510; 128 is transparent for most music.'
                : undefined,
          )}
        {form.codec !== 'copy' && (
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
              <>
                Optional. Allowed:{' '}
                {Object.keys(EXTRA_OPTIONS).map((o, i) => (
                  <span key={o}>
                    {i > 0 && ', '}
                    <code>{o}</code>
                  </span>
                ))}
                .
              </>,
              true,
            )}
          </>
        )}
        {(submitted || Object.keys(touched).length > 0) && errors.form && (
          <p className="pf-error wide">{errors.form}</p>
        )}
        <div className="wide">
          <ErrorText>{refusal}</ErrorText>
        </div>
        <div className="dialog-actions wide">
          <Dialog.Close asChild>
            <button type="button" className="button">
              Cancel
            </button>
          </Dialog.Close>
          <button type="submit" className="button primary" disabled={saving}>
            {saving ? 'Saving…' : mode.kind === 'edit' ? 'Save' : 'Create preset'}
          </button>
        </div>
      </form>
    </Dialog.Content>
  )
}

/** The sentence follows the form even while a field is invalid (a half-typed bitrate shows as "?"). */
function formToSentenceSpec(f: PresetForm) {
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
