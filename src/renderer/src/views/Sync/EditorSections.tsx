// The profile editor's sections, each a part of the form: they show the form and report changes
// through `change`; the form's state and saving it are useProfileForm's.
import { FolderOpen, Plus, X } from 'lucide-react'
import type { ChangeEvent, ReactNode } from 'react'
import type { Preset } from '../../../../shared/presets'
import { type FormField, NAMING_LABEL, NAMINGS, type ProfileForm } from './form'
import type { FolderPurpose } from './useFolderChoice'
import type { ChangeForm, ShownError } from './useProfileForm'

/** What every section is given: the ids' prefix, the form, how to change it, and which errors to show. */
interface SectionProps {
  uid: string
  form: ProfileForm
  change: ChangeForm
  shown: ShownError
}

type ControlProps = {
  id: string
  'data-field': string
  'aria-invalid'?: true
  'aria-describedby'?: string
}

/** A labelled control with its error and hint tied to it. */
function Field({
  uid,
  shown,
  field,
  label,
  control,
  hint,
}: {
  uid: string
  shown: ShownError
  field: FormField
  label: string
  control(a: ControlProps): ReactNode
  hint?: ReactNode
}) {
  const id = `${uid}-${field}`
  const error = shown(field)
  const described = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ')
  return (
    <div className="sync-field">
      <label htmlFor={id}>{label}</label>
      {control({
        id,
        'data-field': field,
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

export function FoldersSection(props: SectionProps & { browse(purpose: FolderPurpose): void }) {
  const { uid, form, change, shown, browse } = props
  return (
    <section className="sync-section" aria-labelledby={`${uid}-folders`}>
      <h3 id={`${uid}-folders`}>Folders</h3>
      <Field
        uid={uid}
        shown={shown}
        field="name"
        label="Name"
        control={(a) => (
          <input
            type="text"
            {...a}
            value={form.name}
            autoComplete="off"
            placeholder="e.g. Car SD card"
            onChange={(e) => change({ name: e.target.value }, 'name')}
          />
        )}
        hint="Used with ferry profile sync NAME."
      />
      <SourcesField {...props} />
      <Field
        uid={uid}
        shown={shown}
        field="destination"
        label="Device's folder"
        control={(a) => (
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
              onClick={() => browse('destination')}
              aria-label="Browse for the device's folder"
            >
              <FolderOpen size={14} aria-hidden /> Browse…
            </button>
          </div>
        )}
        hint="Where the card or player is mounted (a folder on it is fine). Ferry marks it so it knows the device wherever it mounts."
      />
    </section>
  )
}

/** The library folders, a row each, with Browse… and a button for one more row. */
function SourcesField({ uid, form, change, shown, browse }: Parameters<typeof FoldersSection>[0]) {
  const sourcesError = shown('sources')
  return (
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
          onClick={() => browse('source')}
          aria-label="Browse for library folders"
        >
          <FolderOpen size={14} aria-hidden /> Browse…
        </button>
        <button type="button" className="button" onClick={() => change({ sources: [...form.sources, ''] })}>
          <Plus size={14} aria-hidden /> Type another folder
        </button>
      </div>
      {sourcesError && (
        <span id={`${uid}-sources-error`} className="field-error">
          {sourcesError}
        </span>
      )}
    </fieldset>
  )
}

/** The presets to offer: the engine's, and the profile's own even if the engine no longer has it. */
function presetChoices(presets: Preset[], current: string): string[] {
  const names = presets.map((p) => p.name)
  if (current && !names.includes(current)) names.push(current)
  return names
}

/** What the chosen preset does, then what it is used for. */
function presetHint(presets: Preset[], current: string): string {
  const description = presets.find((p) => p.name === current)?.description ?? ''
  return `${description} Lossless files are converted with it; lossy ones are copied as they are.`.trim()
}

export function FormatSection({ uid, form, change, shown, presets }: SectionProps & { presets: Preset[] }) {
  return (
    <section className="sync-section" aria-labelledby={`${uid}-format`}>
      <h3 id={`${uid}-format`}>Format and names</h3>
      <div className="sync-pair">
        <Field
          uid={uid}
          shown={shown}
          field="preset"
          label="Preset"
          control={(a) => (
            <select {...a} value={form.preset} onChange={(e) => change({ preset: e.target.value }, 'preset')}>
              {presetChoices(presets, form.preset).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          )}
          hint={presetHint(presets, form.preset)}
        />
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
      <FileChoices uid={uid} form={form} change={change} />
    </section>
  )
}

/** Which files besides the audio go to the device, and what leaves it. */
function FileChoices({ uid, form, change }: Omit<SectionProps, 'shown'>) {
  return (
    <>
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
    </>
  )
}

/** What to take: extensions on one line each way, path patterns a line each. */
export function FilterSection(props: SectionProps) {
  const { uid } = props
  return (
    <section className="sync-section" aria-labelledby={`${uid}-filter`}>
      <h3 id={`${uid}-filter`}>What to take</h3>
      <div className="sync-pair">
        <FilterField
          {...props}
          field="include"
          label="Only these extensions"
          placeholder="all"
          hint="Comma-separated, e.g. flac, mp3. Empty: all."
        />
        <FilterField
          {...props}
          field="exclude"
          label="Leave out extensions"
          placeholder="none"
          hint="e.g. wav, log"
        />
      </div>
      <div className="sync-pair">
        <FilterField
          {...props}
          multiline
          field="includeGlobs"
          label="Only paths matching"
          placeholder="Jazz/**"
          hint="One pattern a line, relative to the library folder."
        />
        <FilterField
          {...props}
          multiline
          field="excludeGlobs"
          label="Leave out paths matching"
          placeholder="Podcasts/**"
          hint="e.g. **/*live*"
        />
      </div>
    </section>
  )
}

interface FilterFieldProps extends SectionProps {
  field: 'include' | 'exclude' | 'includeGlobs' | 'excludeGlobs'
  label: string
  placeholder: string
  hint: string
  /** Patterns, a line each, in a two-row textarea; else extensions on one line. */
  multiline?: boolean
}

/** One of the filter's four fields: extensions on a line, or path patterns a line each. */
function FilterField({ uid, form, change, shown, field, multiline, ...text }: FilterFieldProps) {
  const common = {
    value: form[field],
    spellCheck: false,
    placeholder: text.placeholder,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      change({ [field]: e.target.value }, field),
  }
  return (
    <Field
      uid={uid}
      shown={shown}
      field={field}
      label={text.label}
      control={(a) =>
        multiline ? <textarea {...a} rows={2} {...common} /> : <input type="text" {...a} {...common} />
      }
      hint={text.hint}
    />
  )
}

export function AutoSection({ uid, form, change, shown }: SectionProps) {
  const intervalError = shown('intervalMinutes')
  return (
    <section className="sync-section" aria-labelledby={`${uid}-auto`}>
      <h3 id={`${uid}-auto`}>Automatic syncs</h3>
      <p className="muted field-hint">
        Ferry syncs by itself when one of these happens, while it runs: the app (also closed to the tray) or{' '}
        <code>ferry serve</code>. A sync already queued or under way is never started twice.
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
          aria-invalid={intervalError ? true : undefined}
          aria-describedby={intervalError ? `${uid}-interval-error` : undefined}
          value={form.intervalMinutes}
          onChange={(e) => change({ intervalMinutes: e.target.value }, 'intervalMinutes')}
        />
        <span>minutes while the device is there</span>
      </div>
      {intervalError && (
        <span id={`${uid}-interval-error`} className="field-error">
          {intervalError}
        </span>
      )}
    </section>
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
