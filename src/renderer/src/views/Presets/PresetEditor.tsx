import * as Dialog from '@radix-ui/react-dialog'
import { type FormEvent, useId, useMemo } from 'react'
import type { Codec, Preset, PresetSpec } from '../../../../shared/presets'
import { DialogFooter } from '../../components/DialogFooter'
import { useFormState } from '../../components/useFormState'
import { presetActions } from '../../store/presets'
import { describePreset } from './describe'
import {
  availableCodecs,
  duplicateName,
  type FormField,
  formFromPreset,
  newForm,
  type PresetForm,
  sentenceSpec,
  validatePresetForm,
} from './form'
import { PresetFields } from './PresetFields'

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
        {/* Overlay and content in one child: Radix gives each child of Portal its own portal, and a
            child mounted with the dialog's content would land above the overlay only by chance. */}
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
  const codecs = offeredCodecs(encoders, ffmpegKnown)
  const { form, touched, submitted, errors, shown, change, formRef, save, saving, refusal } = usePresetEditor(
    mode,
    presets,
    codecs,
    onClose,
  )
  const uid = useId()

  return (
    <>
      <Dialog.Overlay className="dialog-overlay" />
      <Dialog.Content className="dialog preset-editor" aria-describedby={`${uid}-produces`}>
        <Dialog.Title asChild>
          <h2>{editorTitle(mode)}</h2>
        </Dialog.Title>
        <p id={`${uid}-produces`} className="preset-produces" aria-live="polite">
          <span className="muted">Produces: </span>
          {describePreset(sentenceSpec(form))}
        </p>
        <form ref={formRef} onSubmit={(e) => void save(e)} noValidate className="preset-form">
          <PresetFields form={form} change={change} shown={shown} codecs={codecs} />
          {(submitted || Object.keys(touched).length > 0) && errors.form && (
            <p className="pf-error wide">{errors.form}</p>
          )}
          <DialogFooter
            refusal={refusal}
            saving={saving}
            submitLabel={mode.kind === 'edit' ? 'Save' : 'Create preset'}
            wide
          />
        </form>
      </Dialog.Content>
    </>
  )
}

/** Without an ffmpeg answer yet, every codec is offered (undefined); once it answers, only what it can make. */
function offeredCodecs(encoders: string[] | undefined, ffmpegKnown: boolean): Codec[] | undefined {
  return encoders ? availableCodecs(encoders) : ffmpegKnown ? ['copy'] : undefined
}

function editorTitle(mode: EditorMode): string {
  return mode.kind === 'edit'
    ? `Edit ${mode.preset.name}`
    : mode.kind === 'duplicate'
      ? `Duplicate ${mode.from.name}`
      : 'New preset'
}

/**
 * The form's state: its values, which fields were touched, its errors (shown once a field is touched
 * or the form submitted), and saving it — to the first invalid field's focus, or to the engine.
 */
function usePresetEditor(
  mode: EditorMode,
  presets: Preset[],
  codecs: Codec[] | undefined,
  onClose: () => void,
) {
  const taken = useMemo(
    () => presets.map((p) => p.name).filter((n) => mode.kind !== 'edit' || n !== mode.preset.name),
    [presets, mode],
  )
  const { form, checked, touched, submitted, shown, change, submit, saving, refusal, formRef } = useFormState(
    {
      initial: () => initialForm(mode, taken),
      validate: (f) => validatePresetForm(f, { taken, codecs }),
      fieldOrder: FIELD_ORDER,
      focusSelector: (f) => `[name="${f}"]`,
      touches: 'patch',
    },
  )
  const { spec, errors } = checked

  const save = (e: FormEvent) =>
    submit(
      e,
      spec &&
        (async () => {
          await savePreset(mode, form, spec as Partial<PresetSpec>)
          onClose()
        }),
    )

  return { form, touched, submitted, errors, shown, change, formRef, save, saving, refusal }
}

/** Sends the form to the engine: an update of the preset edited, or a new one. */
async function savePreset(mode: EditorMode, form: PresetForm, spec: Partial<PresetSpec>) {
  const name = form.name.trim()
  if (mode.kind === 'edit')
    await presetActions.update(mode.preset, {
      rename: name !== mode.preset.name ? name : undefined,
      description: form.description,
      spec,
    })
  else await presetActions.create({ name, description: form.description || undefined, spec })
}
