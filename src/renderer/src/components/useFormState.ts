import { type FormEvent, useRef, useState } from 'react'

/**
 * An editor form's state: its values, which fields were touched, whether a save was tried, and the
 * engine's refusal of the last save (kept until the next change). A field's error shows once it is
 * touched or the form submitted; a save refused by the form's own checks focuses the first field in
 * error, in `fieldOrder`.
 */
export function useFormState<
  Form extends object,
  Field extends string,
  Checked extends { errors: Partial<Record<Field, string>> },
>({
  initial,
  validate,
  fieldOrder,
  focusSelector,
  touches,
}: {
  initial: () => Form
  /** The form's checks, run on every render: at least its errors by field. */
  validate: (form: Form) => Checked
  fieldOrder: readonly Field[]
  /** The selector of a field's control inside the form, e.g. `[name="x"]`. */
  focusSelector: (field: Field) => string
  /** What a change marks touched: every key of its patch, or only the field it names. */
  touches: 'patch' | 'field'
}) {
  const [form, setForm] = useState<Form>(initial)
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({})
  const [submitted, setSubmitted] = useState(false)
  const [saving, setSaving] = useState(false)
  const [refusal, setRefusal] = useState<string>()
  const formRef = useRef<HTMLFormElement>(null)
  const checked = validate(form)
  const errors: Checked['errors'] = checked.errors

  const shown = (f: Field) => (submitted || touched[f] ? errors[f] : undefined)
  const change = (patch: Partial<Form>, field?: Field) => {
    setForm((f) => ({ ...f, ...patch }))
    if (touches === 'patch')
      setTouched((t) => ({ ...t, ...Object.fromEntries(Object.keys(patch).map((k) => [k, true])) }))
    else if (field) setTouched((t) => ({ ...t, [field]: true }))
    setRefusal(undefined)
  }

  /** Saves through `send` (none when the form's checks refuse it); a refusal it throws is kept to show. */
  async function submit(e: FormEvent, send: (() => Promise<void>) | null | undefined) {
    e.preventDefault()
    setSubmitted(true)
    if (!send) {
      const first = fieldOrder.find((f) => errors[f])
      if (first) formRef.current?.querySelector<HTMLElement>(focusSelector(first))?.focus()
      return
    }
    setSaving(true)
    setRefusal(undefined)
    try {
      await send()
    } catch (err) {
      setRefusal((err as Error).message)
    } finally {
      setSaving(false)
    }
  }

  return { form, checked, touched, submitted, shown, change, submit, saving, refusal, formRef }
}
