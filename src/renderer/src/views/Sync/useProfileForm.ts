import { type FormEvent, useRef, useState } from 'react'
import type { Profile } from '../../../../shared/profiles'
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
  const [form, setForm] = useState<ProfileForm>(() =>
    mode.kind === 'edit' ? formFromProfile(mode.profile) : newForm(),
  )
  const [touched, setTouched] = useState<Partial<Record<FormField, boolean>>>({})
  const [submitted, setSubmitted] = useState(false)
  const [saving, setSaving] = useState(false)
  const [refusal, setRefusal] = useState<string>()
  const formRef = useRef<HTMLFormElement>(null)
  const { name, spec, errors } = validateProfileForm(form, { taken })
  const shown: ShownError = (f) => (submitted || touched[f] ? errors[f] : undefined)
  const change: ChangeForm = (patch, field) => {
    setForm((f) => ({ ...f, ...patch }))
    if (field) setTouched((t) => ({ ...t, [field]: true }))
    setRefusal(undefined)
  }

  async function save(e: FormEvent) {
    e.preventDefault()
    setSubmitted(true)
    if (!spec) {
      const first = FIELD_ORDER.find((f) => errors[f])
      if (first) formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus()
      return
    }
    setSaving(true)
    setRefusal(undefined)
    try {
      if (mode.kind === 'edit') {
        const rename = name !== mode.profile.name ? name : undefined
        await syncActions.update(mode.profile.name, { ...changes(mode.profile, spec), rename })
      } else await syncActions.create(name, spec)
      onSaved()
    } catch (err) {
      setRefusal((err as Error).message)
    } finally {
      setSaving(false)
    }
  }

  return { form, change, shown, save, saving, refusal, formRef }
}
