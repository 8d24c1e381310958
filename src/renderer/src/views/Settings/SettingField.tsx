import { type ReactNode, useId, useState } from 'react'

/**
 * A setting typed into a text box: checked as the user types, saved on Enter or when the box loses
 * focus (not on every keystroke: "12" would otherwise resize the worker pool to 1 first). The
 * engine's refusal, if any, shows under it.
 */
export function SettingField({
  label,
  hint,
  value,
  parse,
  save,
  width = 7,
  suffix,
}: {
  label: string
  hint?: ReactNode
  /** The value as the engine has it, written for the box. */
  value: string
  /** The value to save, or why the text is not one. */
  parse(text: string): { ok: true; value: number } | { ok: false; error: string }
  save(value: number): Promise<unknown>
  width?: number
  suffix?: string
}) {
  const id = useId()
  const { text, error, saved, edit, commit, revert } = useSettingDraft(value, parse, save)
  return (
    <div className="setting-row">
      <label htmlFor={id} className="setting-label">
        {label}
      </label>
      <div className="setting-control">
        <input
          id={id}
          type="text"
          inputMode="numeric"
          value={text}
          size={width}
          aria-invalid={error ? true : undefined}
          aria-describedby={
            [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined
          }
          onChange={(e) => edit(e.target.value)}
          onBlur={() => void commit()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void commit()
            if (e.key === 'Escape' && revert()) e.stopPropagation()
          }}
        />
        {suffix && <span className="muted">{suffix}</span>}
        <span role="status" className="setting-saved">
          {saved && !error ? 'Saved' : ''}
        </span>
      </div>
      {error && (
        <p id={`${id}-error`} className="setting-error">
          {error}
        </p>
      )}
      {hint && (
        <p id={`${id}-hint`} className="setting-hint muted">
          {hint}
        </p>
      )}
    </div>
  )
}

/**
 * The text in the box and what becomes of it: the user's draft (null shows the engine's value),
 * checked as typed, saved by commit, dropped by revert; the engine's refusal and "Saved" after.
 */
function useSettingDraft(value: string, parse: Parse, save: (value: number) => Promise<unknown>) {
  /** What the user typed and has not saved yet; null shows the engine's value. */
  const [draft, setDraft] = useState<string | null>(null)
  const [refusal, setRefusal] = useState<string>()
  const [saved, setSaved] = useState(false)
  const text = draft ?? value
  const parsed = parse(text.trim())
  const error = !parsed.ok ? parsed.error : refusal

  function edit(next: string) {
    setDraft(next)
    setRefusal(undefined)
    setSaved(false)
  }

  async function commit() {
    setSaved(false)
    if (!parsed.ok) return
    if (text.trim() === value) return setDraft(null)
    try {
      await save(parsed.value)
      setDraft(null)
      setRefusal(undefined)
      setSaved(true)
    } catch (err) {
      setRefusal((err as Error).message)
    }
  }

  /** Drops the draft, if there is one; says whether there was (Escape then goes no further). */
  function revert(): boolean {
    if (draft === null) return false
    setDraft(null)
    setRefusal(undefined)
    return true
  }

  return { text, error, saved, edit, commit, revert }
}

type Parse = (text: string) => { ok: true; value: number } | { ok: false; error: string }

/** A whole number within bounds, in words a user can act on. */
export function wholeNumber(min: number, max: number) {
  return (text: string): { ok: true; value: number } | { ok: false; error: string } => {
    if (!/^\d+$/.test(text)) return { ok: false, error: `A whole number from ${min} to ${max}.` }
    const n = Number(text)
    if (n < min || n > max) return { ok: false, error: `From ${min} to ${max}, not ${n}.` }
    return { ok: true, value: n }
  }
}
