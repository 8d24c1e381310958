import * as Dialog from '@radix-ui/react-dialog'
import { FolderOpen, Plus, X } from 'lucide-react'
import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react'
import type { Preset } from '../../../../shared/presets'
import type { Profile } from '../../../../shared/profiles'
import { ErrorText } from '../../components/ErrorText'
import { type ProfileInput, syncActions } from '../../store/sync'
import { BrowseFolder, nativeFolderPicker } from './BrowseFolder'
import {
  type FormField,
  formFromProfile,
  NAMING_LABEL,
  NAMINGS,
  newForm,
  type ProfileForm,
  validateProfileForm,
} from './form'

export type EditorMode = { kind: 'new' } | { kind: 'edit'; profile: Profile }

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

/** The profile editor in a dialog; each opening starts afresh. */
export function ProfileEditor(props: {
  mode: EditorMode | null
  profiles: Profile[]
  presets: Preset[]
  onClose(): void
}) {
  const { mode, onClose } = props
  const key = !mode ? 'closed' : mode.kind === 'edit' ? `edit:${mode.profile.name}` : 'new'
  return (
    <Dialog.Root open={mode !== null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        {mode && <EditorContent key={key} {...props} mode={mode} />}
      </Dialog.Portal>
    </Dialog.Root>
  )
}

/** Only what changed goes to profiles.update (an unchanged source is not checked again). */
function changes(p: Profile, spec: ProfileInput): Partial<ProfileInput> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(spec))
    if (JSON.stringify(v) !== JSON.stringify(p[k as keyof Profile])) out[k] = v
  return out as Partial<ProfileInput>
}

function EditorContent({
  mode,
  profiles,
  presets,
  onClose,
}: {
  mode: EditorMode
  profiles: Profile[]
  presets: Preset[]
  onClose(): void
}) {
  const taken = profiles.map((p) => p.name).filter((n) => mode.kind !== 'edit' || n !== mode.profile.name)
  const [form, setForm] = useState<ProfileForm>(() =>
    mode.kind === 'edit' ? formFromProfile(mode.profile) : newForm(),
  )
  const [touched, setTouched] = useState<Partial<Record<FormField, boolean>>>({})
  const [submitted, setSubmitted] = useState(false)
  const [saving, setSaving] = useState(false)
  const [refusal, setRefusal] = useState<string>()
  const [browsing, setBrowsing] = useState<'source' | 'destination' | null>(null)
  const formRef = useRef<HTMLFormElement>(null)
  const uid = useId()
  const { name, spec, errors } = validateProfileForm(form, { taken })
  const shown = (f: FormField) => (submitted || touched[f] ? errors[f] : undefined)
  const change = (patch: Partial<ProfileForm>, field?: FormField) => {
    setForm((f) => ({ ...f, ...patch }))
    if (field) setTouched((t) => ({ ...t, [field]: true }))
    setRefusal(undefined)
  }

  /** Chosen folders go into the form: library folders added (empty rows filled first), or the device's. */
  const chosen = (purpose: 'source' | 'destination', paths: string[]) => {
    if (purpose === 'destination') return paths[0] && change({ destination: paths[0] }, 'destination')
    const kept = form.sources.filter((s) => s.trim())
    const added = paths.filter((p) => !kept.includes(p))
    change({ sources: [...kept, ...added].length ? [...kept, ...added] : [''] }, 'sources')
  }
  /** The desktop's own picker when it offers one, else the engine's folder browser. */
  async function browse(purpose: 'source' | 'destination') {
    const native = nativeFolderPicker()
    if (!native) return setBrowsing(purpose)
    const picked = await native(purpose)
    if (picked) chosen(purpose, Array.isArray(picked) ? picked : [picked])
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
      onClose()
    } catch (err) {
      setRefusal((err as Error).message)
    } finally {
      setSaving(false)
    }
  }

  /** A labelled control with its error and hint tied to it. */
  const field = (
    f: FormField,
    label: string,
    control: (a: {
      id: string
      'data-field': string
      'aria-invalid'?: true
      'aria-describedby'?: string
    }) => ReactNode,
    hint?: ReactNode,
  ) => {
    const id = `${uid}-${f}`
    const error = shown(f)
    const described = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ')
    return (
      <div className="sync-field">
        <label htmlFor={id}>{label}</label>
        {control({
          id,
          'data-field': f,
          'aria-invalid': error ? true : undefined,
          'aria-describedby': described || undefined,
        })}
        {error && (
          <span id={`${id}-error`} className="field-error">
            {error}
          </span>
        )}
        {hint && (
          <span id={`${id}-hint`} className="field-hint muted">
            {hint}
          </span>
        )}
      </div>
    )
  }
  const presetNames = presets.map((p) => p.name)
  if (form.preset && !presetNames.includes(form.preset)) presetNames.push(form.preset)
  const sourcesError = shown('sources')

  return (
    <Dialog.Content className="dialog sync-editor" aria-describedby={`${uid}-intro`}>
      <Dialog.Title asChild>
        <h2>{mode.kind === 'edit' ? `Edit ${mode.profile.name}` : 'New sync profile'}</h2>
      </Dialog.Title>
      <p id={`${uid}-intro`} className="muted sync-editor-intro">
        A profile keeps a copy of your library on a device: Ferry converts and copies what is new or changed,
        and never touches files it did not write.
      </p>
      <form ref={formRef} onSubmit={(e) => void save(e)} noValidate className="sync-form">
        <section className="sync-section" aria-labelledby={`${uid}-folders`}>
          <h3 id={`${uid}-folders`}>Folders</h3>
          {field(
            'name',
            'Name',
            (a) => (
              <input
                type="text"
                {...a}
                value={form.name}
                autoComplete="off"
                placeholder="e.g. Car SD card"
                onChange={(e) => change({ name: e.target.value }, 'name')}
              />
            ),
            'Used with ferry profile sync NAME.',
          )}
          <fieldset
            className="sync-field sync-sources"
            aria-describedby={sourcesError ? `${uid}-sources-error` : undefined}
          >
            <legend>Library folders</legend>
            {form.sources.map((s, i) => (
              <div className="source-row" key={i}>
                <input
                  type="text"
                  className="path-input"
                  aria-label={`Library folder ${i + 1}`}
                  data-field={i === 0 ? 'sources' : undefined}
                  aria-invalid={sourcesError ? true : undefined}
                  value={s}
                  spellCheck={false}
                  placeholder="/home/you/Music"
                  onChange={(e) =>
                    change({ sources: form.sources.map((x, j) => (j === i ? e.target.value : x)) }, 'sources')
                  }
                />
                {form.sources.length > 1 && (
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove library folder ${i + 1}`}
                    title="Remove this folder"
                    onClick={() => change({ sources: form.sources.filter((_, j) => j !== i) }, 'sources')}
                  >
                    <X size={14} aria-hidden />
                  </button>
                )}
              </div>
            ))}
            <div className="source-buttons">
              <button
                type="button"
                className="button"
                onClick={() => void browse('source')}
                aria-label="Browse for library folders"
              >
                <FolderOpen size={14} aria-hidden /> Browse…
              </button>
              <button
                type="button"
                className="button"
                onClick={() => change({ sources: [...form.sources, ''] })}
              >
                <Plus size={14} aria-hidden /> Type another folder
              </button>
            </div>
            {sourcesError && (
              <span id={`${uid}-sources-error`} className="field-error">
                {sourcesError}
              </span>
            )}
          </fieldset>
          {field(
            'destination',
            "Device's folder",
            (a) => (
              <div className="source-row">
                <input
                  type="text"
                  className="path-input"
                  {...a}
                  value={form.destination}
                  spellCheck={false}
                  placeholder="/media/you/CARD/Music"
                  onChange={(e) => change({ destination: e.target.value }, 'destination')}
                />
                <button
                  type="button"
                  className="button"
                  onClick={() => void browse('destination')}
                  aria-label="Browse for the device's folder"
                >
                  <FolderOpen size={14} aria-hidden /> Browse…
                </button>
              </div>
            ),
            'Where the card or player is mounted (a folder on it is fine). Ferry marks it so it knows the device wherever it mounts.',
          )}
        </section>

        <section className="sync-section" aria-labelledby={`${uid}-format`}>
          <h3 id={`${uid}-format`}>Format and names</h3>
          <div className="sync-pair">
            {field(
              'preset',
              'Preset',
              (a) => (
                <select
                  {...a}
                  value={form.preset}
                  onChange={(e) => change({ preset: e.target.value }, 'preset')}
                >
                  {presetNames.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              ),
              `${presets.find((p) => p.name === form.preset)?.description ?? ''} Lossless files are converted with it; lossy ones are copied as they are.`.trim(),
            )}
            <div className="sync-field">
              <label htmlFor={`${uid}-naming`}>Names for the device's filesystem</label>
              <select
                id={`${uid}-naming`}
                value={form.naming}
                onChange={(e) => change({ naming: e.target.value as ProfileForm['naming'] })}
              >
                {NAMINGS.map((n) => (
                  <option key={n} value={n}>
                    {NAMING_LABEL[n]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="sync-pair">
            <Radios
              legend="Files that are not audio"
              name={`${uid}-nonaudio`}
              value={form.nonAudio}
              onChange={(v) => change({ nonAudio: v })}
              options={[
                ['covers', 'Cover images only (cover.jpg, folder.png…)'],
                ['all', 'All of them'],
                ['none', 'None'],
              ]}
            />
            <Radios
              legend="Deletions"
              name={`${uid}-delete`}
              value={form.delete}
              onChange={(v) => change({ delete: v })}
              options={[
                ['never', 'Never delete from the device'],
                ['mirror', 'Mirror: remove what Ferry wrote once it leaves the library'],
              ]}
            />
          </div>
          <div className="sync-checks">
            <label className="check">
              <input
                type="checkbox"
                checked={form.playlists}
                onChange={(e) => change({ playlists: e.target.checked })}
              />
              Rewrite playlists (.m3u, .m3u8) for the device
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={form.includeHidden}
                onChange={(e) => change({ includeHidden: e.target.checked })}
              />
              Include hidden files and folders
            </label>
          </div>
        </section>

        <section className="sync-section" aria-labelledby={`${uid}-filter`}>
          <h3 id={`${uid}-filter`}>What to take</h3>
          <div className="sync-pair">
            {field(
              'include',
              'Only these extensions',
              (a) => (
                <input
                  type="text"
                  {...a}
                  value={form.include}
                  spellCheck={false}
                  placeholder="all"
                  onChange={(e) => change({ include: e.target.value }, 'include')}
                />
              ),
              'Comma-separated, e.g. flac, mp3. Empty: all.',
            )}
            {field(
              'exclude',
              'Leave out extensions',
              (a) => (
                <input
                  type="text"
                  {...a}
                  value={form.exclude}
                  spellCheck={false}
                  placeholder="none"
                  onChange={(e) => change({ exclude: e.target.value }, 'exclude')}
                />
              ),
              'e.g. wav, log',
            )}
          </div>
          <div className="sync-pair">
            {field(
              'includeGlobs',
              'Only paths matching',
              (a) => (
                <textarea
                  {...a}
                  rows={2}
                  value={form.includeGlobs}
                  spellCheck={false}
                  placeholder="Jazz/**"
                  onChange={(e) => change({ includeGlobs: e.target.value }, 'includeGlobs')}
                />
              ),
              'One pattern a line, relative to the library folder.',
            )}
            {field(
              'excludeGlobs',
              'Leave out paths matching',
              (a) => (
                <textarea
                  {...a}
                  rows={2}
                  value={form.excludeGlobs}
                  spellCheck={false}
                  placeholder="Podcasts/**"
                  onChange={(e) => change({ excludeGlobs: e.target.value }, 'excludeGlobs')}
                />
              ),
              'e.g. **/*live*',
            )}
          </div>
        </section>

        <section className="sync-section" aria-labelledby={`${uid}-auto`}>
          <h3 id={`${uid}-auto`}>Automatic syncs</h3>
          <p className="muted field-hint">
            Ferry syncs by itself when one of these happens, while it runs: the app (also closed to the tray)
            or <code>ferry serve</code>. A sync already queued or under way is never started twice.
          </p>
          <label className="check trigger-option">
            <input
              type="checkbox"
              checked={form.onDevicePlugged}
              aria-describedby={`${uid}-device-hint`}
              onChange={(e) => change({ onDevicePlugged: e.target.checked })}
            />
            When the device is plugged in
          </label>
          <p className="muted field-hint trigger-hint" id={`${uid}-device-hint`}>
            Recognised by the mark Ferry leaves on it, also at another mount point or drive letter.
          </p>
          <label className="check trigger-option">
            <input
              type="checkbox"
              checked={form.onLibraryChange}
              aria-describedby={`${uid}-change-hint`}
              onChange={(e) => change({ onLibraryChange: e.target.checked })}
            />
            When the library changes
          </label>
          <p className="muted field-hint trigger-hint" id={`${uid}-change-hint`}>
            Once the changes settle: an album being ripped or tagged gives one sync.
          </p>
          <div className="interval-row trigger-option">
            <label className="check">
              <input
                type="checkbox"
                checked={form.interval}
                onChange={(e) => change({ interval: e.target.checked }, 'intervalMinutes')}
              />
              Every
            </label>
            <input
              type="number"
              className="minutes"
              aria-label="Minutes between syncs"
              data-field="intervalMinutes"
              min={5}
              max={10080}
              disabled={!form.interval}
              aria-invalid={shown('intervalMinutes') ? true : undefined}
              aria-describedby={shown('intervalMinutes') ? `${uid}-interval-error` : undefined}
              value={form.intervalMinutes}
              onChange={(e) => change({ intervalMinutes: e.target.value }, 'intervalMinutes')}
            />
            <span>minutes while the device is there</span>
          </div>
          {shown('intervalMinutes') && (
            <span id={`${uid}-interval-error`} className="field-error">
              {shown('intervalMinutes')}
            </span>
          )}
        </section>

        <div className="sync-editor-footer">
          <ErrorText>{refusal}</ErrorText>
          <div className="dialog-actions">
            <Dialog.Close asChild>
              <button type="button" className="button">
                Cancel
              </button>
            </Dialog.Close>
            <button type="submit" className="button primary" disabled={saving}>
              {saving ? 'Saving…' : mode.kind === 'edit' ? 'Save changes' : 'Create profile'}
            </button>
          </div>
        </div>
      </form>
      {browsing && (
        <BrowseFolder
          purpose={browsing}
          near={
            browsing === 'source' ? (form.sources.filter((s) => s.trim()).at(-1) ?? '') : form.destination
          }
          chosen={browsing === 'source' ? form.sources.filter((s) => s.trim()) : []}
          onChoose={(paths) => chosen(browsing, paths)}
          onClose={() => setBrowsing(null)}
        />
      )}
    </Dialog.Content>
  )
}

function Radios<V extends string>({
  legend,
  name,
  value,
  options,
  onChange,
}: {
  legend: string
  name: string
  value: V
  options: [V, string][]
  onChange(v: V): void
}) {
  return (
    <fieldset className="sync-field radios">
      <legend>{legend}</legend>
      {options.map(([v, label]) => (
        <label key={v} className="check">
          <input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} />
          {label}
        </label>
      ))}
    </fieldset>
  )
}
