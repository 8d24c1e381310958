import type { FormEvent } from 'react'
import type { Profile } from '../../../../shared/profiles'
import { useFormState } from '../../components/useFormState'
import { type ProfileInput, syncActions } from '../../store/sync'
import { type FormField, formFromProfile, newForm, type ProfileForm, validateProfileForm } from './form'

export type EditorMode = { kind: 'new' } | { kind: 'edit'; profile: Profile }

/** Changes the form; the field named is marked touched, so its error shows from now on. */
export type ChangeForm = (patch: Partial<ProfileForm>, field?: FormField) => void
/** A field's error once the user has touched it or tried to save, else nothing. */
export type ShownError = (f: FormField) => string | undefined

/** The fields in the order they appear, so a refused save focuses the first one in error. */
const FIELD_ORDER: FormField[] = [
  'name',
  'sources',
  'destination',
  'preset',
  'include',
  'exclude',
  'includeGlobs',
  'excludeGlobs',
  'intervalMinutes',
]

/** Only what changed goes to profiles.update (an unchanged source is not checked again). */
function changes(p: Profile, spec: ProfileInput): Partial<ProfileInput> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(spec))
    if (JSON.stringify(v) !== JSON.stringify(p[k as keyof Profile])) out[k] = v
  return out as Partial<ProfileInput>
}

/**
 * The editor's form: what the user typed, which errors to show, and saving it as a new profile or as
 * the changes to the one edited (the engine's refusal kept to show until the next change).
 */
export function useProfileForm(mode: EditorMode, profiles: Profile[], onSaved: () => void) {
  const taken = profiles.map((p) => p.name).filter((n) => mode.kind !== 'edit' || n !== mode.profile.name)
  const { form, checked, shown, change, submit, saving, refusal, formRef } = useFormState({
    initial: (): ProfileForm => (mode.kind === 'edit' ? formFromProfile(mode.profile) : newForm()),
    validate: (f) => validateProfileForm(f, { taken }),
    fieldOrder: FIELD_ORDER,
    focusSelector: (f) => `[data-field="${f}"]`,
    touches: 'field',
  })
  const { name, spec } = checked

  const save = (e: FormEvent) =>
    submit(
      e,
      spec &&
        (async () => {
          if (mode.kind === 'edit') {
            const rename = name !== mode.profile.name ? name : undefined
            await syncActions.update(mode.profile.name, { ...changes(mode.profile, spec), rename })
          } else await syncActions.create(name, spec)
          onSaved()
        }),
    )

  return { form, change, shown, save, saving, refusal, formRef }
}
