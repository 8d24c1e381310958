// The "Add to queue" sheet: what was dropped, copy/move/convert, where to, which files, what to do
// about files already there — and the engine's preview of it all before anything is queued.
import * as Dialog from '@radix-ui/react-dialog'
import * as DropdownMenu from '@radix-ui/react-dropdown-menu'
import {
  AlertTriangle,
  Check,
  ChevronDown,
  File as FileIcon,
  Folder,
  FolderOpen,
  FolderPlus,
  Music,
  X,
} from 'lucide-react'
import { useEffect, useId } from 'react'
import type { EnqueuePreview } from '../../../../shared/browse'
import type { OverwritePolicy } from '../../../../shared/model'
import { ErrorText } from '../../components/ErrorText'
import { FolderBrowser } from '../../components/FolderBrowser'
import { formatBytes } from '../../components/format'
import { ProgressBar } from '../../components/ProgressBar'
import {
  type DropForm,
  type DropSource,
  type DropStore,
  type TransferMode,
  isAbsolute,
  parentOf,
  transferInput,
  useDrop,
  useDropPresets,
  usePlaces,
} from '../../store/drop'

/** The desktop may offer a native folder picker; the browser build has none. */
type FolderPicker = (purpose: 'source' | 'destination') => Promise<string[] | string | null>
function folderPicker(): FolderPicker | undefined {
  const pick = (window.ferry as { chooseFolder?: FolderPicker } | undefined)?.chooseFolder
  return typeof pick === 'function' ? pick : undefined
}

const MODES: { mode: TransferMode; label: string; hint: string }[] = [
  {
    mode: 'copy',
    label: 'Copy',
    hint: 'Copies them into the destination; the originals stay where they are.',
  },
  {
    mode: 'move',
    label: 'Move',
    hint: 'Moves them: renamed on the same disk, otherwise copied, checked, then removed from where they were.',
  },
  {
    mode: 'convert',
    label: 'Convert',
    hint: 'Encodes audio with the preset; covers and other files are copied as they are (lossy audio too, unless the preset says otherwise).',
  },
]

const POLICIES: { policy: OverwritePolicy; label: string; does: string }[] = [
  { policy: 'skip', label: 'Leave it, skip this one', does: 'left as they are (skipped)' },
  { policy: 'overwrite', label: 'Overwrite it', does: 'overwritten' },
  { policy: 'keep-both', label: 'Keep both (new name)', does: 'kept; the new copy gets a new name' },
]

const NONE: never[] = []

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

export function AddSheet() {
  const open = useDrop((s) => s.open)
  const close = useDrop((s) => s.api.close)
  const browsing = useDrop((s) => s.browsing)
  return (
    <Dialog.Root open={open} onOpenChange={(o) => !o && close()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content
          className="dialog add-sheet"
          aria-describedby={undefined}
          onInteractOutside={(e) => e.preventDefault()}
        >
          <SheetContent />
          {browsing && <BrowseDialog />}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}

function SheetContent() {
  const uid = useId()
  const s = useDrop()
  const { form, sources, preview, adding, addError } = s
  const { set, add, browse } = s.api
  const t = transferInput(s)
  const invalid = 'invalid' in t ? t.invalid : undefined
  const current = 'input' in t ? JSON.stringify(t.input) : undefined
  const ready = !!preview.data && !preview.error && !preview.loading && preview.key === current
  const canAdd = ready && preview.data!.fits && !adding
  const pick = folderPicker()

  return (
    <>
      <header className="sheet-head">
        <Dialog.Title>Add to queue</Dialog.Title>
        <Dialog.Close asChild>
          <button type="button" className="icon-button" aria-label="Close">
            <X size={16} aria-hidden />
          </button>
        </Dialog.Close>
      </header>
      <div className="sheet-body">
        <div className="sheet-form">
          <WhatSection uid={uid} sources={sources} pick={pick} browse={browse} />

          <HowSection uid={uid} form={form} set={set} />

          <WhereSection uid={uid} form={form} invalid={invalid} pick={pick} set={set} browse={browse} />

          <WhichFilesSection uid={uid} form={form} invalid={invalid} set={set} />
        </div>
        <PreviewPanel
          id={`${uid}-preview`}
          missing={'missing' in t ? t.missing : undefined}
          current={current}
        />
      </div>
      <SheetFoot
        uid={uid}
        addError={addError}
        ready={ready}
        preview={preview.data}
        canAdd={canAdd}
        adding={adding}
        add={add}
      />
    </>
  )
}

/** Why Add cannot go ahead, or the preview in one line; Cancel and Add. */
function SheetFoot({
  uid,
  addError,
  ready,
  preview,
  canAdd,
  adding,
  add,
}: {
  uid: string
  addError?: string
  ready: boolean
  preview?: EnqueuePreview
  canAdd: boolean
  adding: boolean
  add(): Promise<void>
}) {
  return (
    <footer className="sheet-foot">
      <div className="sheet-foot-text">
        <ErrorText>{addError}</ErrorText>
        {!addError && ready && !preview!.fits && (
          <span className="bad">Does not fit: free some space or add less.</span>
        )}
        {!addError && ready && preview!.fits && (
          <button
            type="button"
            className="sheet-foot-summary"
            onClick={() => document.getElementById(`${uid}-preview`)?.scrollIntoView({ block: 'nearest' })}
          >
            {summary(preview!)}
          </button>
        )}
      </div>
      <Dialog.Close asChild>
        <button type="button" className="button">
          Cancel
        </button>
      </Dialog.Close>
      <button type="button" className="button primary" disabled={!canAdd} onClick={() => void add()}>
        {adding ? 'Adding…' : 'Add to queue'}
      </button>
    </footer>
  )
}

type SetForm = DropStore['api']['set']
type Browse = DropStore['api']['browse']
/** The field transferInput finds wrong, and why. */
type Invalid = Extract<ReturnType<typeof transferInput>, { invalid: unknown }>['invalid'] | undefined

/** What to add: the names-only notice, the sources, and the buttons that choose more. */
function WhatSection({
  uid,
  sources,
  pick,
  browse,
}: {
  uid: string
  sources: DropSource[]
  pick?: FolderPicker
  browse: Browse
}) {
  return (
    <section aria-labelledby={`${uid}-what`}>
      <h3 id={`${uid}-what`}>What</h3>
      <NamesNotice />
      {sources.length ? (
        <ul className="sheet-sources" aria-label="What to add">
          {sources.map((src) => (
            <SourceRow key={src.path} source={src} />
          ))}
        </ul>
      ) : (
        <p className="muted sheet-nothing">
          Nothing chosen yet. Drop folders or files anywhere on the window, or choose them here.
        </p>
      )}
      <div className="sheet-row">
        <button type="button" className="button" onClick={() => browse({ for: 'source' })}>
          <FolderPlus size={15} aria-hidden />
          {sources.length ? 'Add more…' : 'Choose folders…'}
        </button>
        {pick && (
          <button
            type="button"
            className="button"
            onClick={async () => {
              const chosen = await pick('source')
              if (chosen) useDrop.getState().api.addSources(Array.isArray(chosen) ? chosen : [chosen])
            }}
          >
            Choose with the system…
          </button>
        )}
      </div>
    </section>
  )
}

/** Copy, move or convert (with the preset), and what the mode does. */
function HowSection({ uid, form, set }: { uid: string; form: DropForm; set: SetForm }) {
  const presets = useDropPresets((p) => p.data)
  const modeHint = MODES.find((m) => m.mode === form.mode)!.hint
  const presetDescription = presets?.find((p) => p.name === form.preset)?.description
  return (
    <section aria-labelledby={`${uid}-how`}>
      <h3 id={`${uid}-how`}>How</h3>
      <div className="segmented" role="radiogroup" aria-labelledby={`${uid}-how`}>
        {MODES.map((m) => (
          <label key={m.mode} className={form.mode === m.mode ? 'checked' : undefined}>
            <input
              type="radio"
              name={`${uid}-mode`}
              value={m.mode}
              checked={form.mode === m.mode}
              onChange={() => set({ mode: m.mode })}
            />
            {m.label}
          </label>
        ))}
      </div>
      {form.mode === 'convert' && (
        <div className="sheet-field">
          <label htmlFor={`${uid}-preset`}>Preset</label>
          <select id={`${uid}-preset`} value={form.preset} onChange={(e) => set({ preset: e.target.value })}>
            {(presets ?? []).length === 0 && <option value={form.preset}>{form.preset}</option>}
            {(presets ?? []).map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
          {presetDescription && <span className="muted sheet-hint">{presetDescription}</span>}
        </div>
      )}
      <p className="muted sheet-hint">{modeHint}</p>
    </section>
  )
}

/** The destination: typed, browsed, picked with the system's dialog, or a recent one. */
function WhereSection({
  uid,
  form,
  invalid,
  pick,
  set,
  browse,
}: {
  uid: string
  form: DropForm
  invalid: Invalid
  pick?: FolderPicker
  set: SetForm
  browse: Browse
}) {
  const touched = useDrop((s) => s.api.touchDestination)
  const pickDestination = async () => {
    const chosen = await pick?.('destination')
    const path = Array.isArray(chosen) ? chosen[0] : chosen
    if (path) set({ destination: path })
  }
  return (
    <section aria-labelledby={`${uid}-where`}>
      <h3 id={`${uid}-where`}>Where to</h3>
      <div className="sheet-row dest-row">
        <input
          type="text"
          className="path dest-input"
          aria-label="Destination folder"
          placeholder="/media/card/Music"
          value={form.destination}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={invalid?.field === 'destination' ? true : undefined}
          onFocus={touched}
          onChange={(e) => set({ destination: e.target.value })}
        />
        <button
          type="button"
          className="button"
          onClick={() =>
            browse({
              for: 'destination',
              from: isAbsolute(form.destination.trim()) ? form.destination.trim() : undefined,
            })
          }
        >
          <FolderOpen size={15} aria-hidden />
          Browse…
        </button>
        {pick && (
          <button type="button" className="button" onClick={() => void pickDestination()}>
            Choose…
          </button>
        )}
        <RecentDestinations />
      </div>
      {invalid?.field === 'destination' && <ErrorText>{invalid.message}</ErrorText>}
    </section>
  )
}

/** The extensions to take and to leave out, and what to do about a different file already there. */
function WhichFilesSection({
  uid,
  form,
  invalid,
  set,
}: {
  uid: string
  form: DropForm
  invalid: Invalid
  set: SetForm
}) {
  return (
    <section aria-labelledby={`${uid}-options`}>
      <h3 id={`${uid}-options`}>Which files</h3>
      <div className="sheet-options">
        <div className="sheet-field">
          <label htmlFor={`${uid}-include`}>Only these extensions</label>
          <input
            id={`${uid}-include`}
            type="text"
            placeholder="all files"
            value={form.include}
            aria-invalid={invalid?.field === 'include' ? true : undefined}
            onChange={(e) => set({ include: e.target.value })}
          />
        </div>
        <div className="sheet-field">
          <label htmlFor={`${uid}-exclude`}>Leave out</label>
          <input
            id={`${uid}-exclude`}
            type="text"
            placeholder="nothing"
            value={form.exclude}
            aria-invalid={invalid?.field === 'exclude' ? true : undefined}
            onChange={(e) => set({ exclude: e.target.value })}
          />
        </div>
        <div className="sheet-field">
          <label htmlFor={`${uid}-overwrite`}>If a different file is there</label>
          <select
            id={`${uid}-overwrite`}
            value={form.overwrite}
            onChange={(e) => set({ overwrite: e.target.value as OverwritePolicy })}
          >
            {POLICIES.map((p) => (
              <option key={p.policy} value={p.policy}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {(invalid?.field === 'include' || invalid?.field === 'exclude') && (
        <ErrorText>{invalid.message}</ErrorText>
      )}
    </section>
  )
}

function SourceRow({ source }: { source: DropSource }) {
  const remove = useDrop((s) => s.api.removeSource)
  const info = source.info
  const Icon = info?.problem ? AlertTriangle : info?.kind === 'file' ? FileIcon : Folder
  return (
    <li className={info?.problem ? 'sheet-source problem' : 'sheet-source'}>
      <Icon size={16} aria-hidden className="sheet-source-icon" />
      <div className="sheet-source-text">
        <span className="path">{source.path}</span>
        {info?.problem ? (
          <span className="bad sheet-source-note">{info.problem}</span>
        ) : info ? (
          <span className="muted sheet-source-note">
            {info.kind === 'file' ? `file · ${formatBytes(info.size)}` : 'folder'}
            {info.audio && (
              <span className="sheet-audio">
                <Music size={12} aria-hidden /> audio
              </span>
            )}
          </span>
        ) : null}
      </div>
      <button
        type="button"
        className="icon-button small"
        aria-label={`Remove ${source.path}`}
        title="Remove"
        onClick={() => remove(source.path)}
      >
        <X size={14} aria-hidden />
      </button>
    </li>
  )
}

/** A drop that gave names only: say so, show where they were found, and offer the browser. */
function NamesNotice() {
  const names = useDrop((s) => s.names)
  const sources = useDrop((s) => s.sources)
  const addSources = useDrop((s) => s.api.addSources)
  const browse = useDrop((s) => s.api.browse)
  const found = usePlaces((p) => p.data?.found) ?? NONE
  if (!names.length) return null
  const have = new Set(sources.map((s) => s.path))
  const shown = names.slice(0, 5).map((n) => `“${n}”`)
  const fresh = found.filter((f) => names.includes(f.name) && !have.has(f.path))
  return (
    <div className="sheet-notice" role="note">
      <AlertTriangle size={16} aria-hidden className="warn" />
      <div>
        <p>
          This browser handed over only the names of what you dropped ({shown.join(', ')}
          {names.length > 5 ? ` and ${names.length - 5} more` : ''}), not where they are. Find them in the
          folder browser, or type their paths.
        </p>
        {fresh.length > 0 && (
          <ul className="sheet-found">
            {fresh.map((f) => (
              <li key={f.path}>
                <span className="path">{f.path}</span>
                <button type="button" className="button" onClick={() => addSources([f.path])}>
                  Add “{f.name}”
                </button>
              </li>
            ))}
          </ul>
        )}
        <button
          type="button"
          className="button"
          onClick={() => browse({ for: 'source', from: found[0] ? parentOf(found[0].path) : undefined })}
        >
          <FolderOpen size={15} aria-hidden />
          Find them…
        </button>
      </div>
    </div>
  )
}

function RecentDestinations() {
  const places = usePlaces((p) => p.data)
  const set = useDrop((s) => s.api.set)
  const recent = places?.recentDestinations ?? []
  const profiles = (places?.profiles ?? []).filter((p) => !recent.includes(p.destination))
  const none = recent.length === 0 && profiles.length === 0
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <button type="button" className="button" disabled={none} aria-label="Recent destinations">
          Recent
          <ChevronDown size={14} aria-hidden />
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          {recent.length > 0 && (
            <DropdownMenu.Label className="menu-label">Written to before</DropdownMenu.Label>
          )}
          {recent.map((r) => (
            <DropdownMenu.Item key={r} className="menu-item path" onSelect={() => set({ destination: r })}>
              {r}
            </DropdownMenu.Item>
          ))}
          {profiles.length > 0 && (
            <DropdownMenu.Label className="menu-label">Sync profiles</DropdownMenu.Label>
          )}
          {profiles.map((p) => (
            <DropdownMenu.Item
              key={`${p.name}:${p.destination}`}
              className="menu-item"
              onSelect={() => set({ destination: p.destination })}
            >
              <span>{p.name}</span>
              <span className="path muted">{p.destination}</span>
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  )
}

/** The preview in one line, for the footer of a window too narrow to show it beside the form. */
function summary(p: EnqueuePreview): string {
  const parts = [
    p.convert.files && `${p.convert.files} to convert`,
    p.copy.files && `${p.copy.files} to copy`,
    p.skip.files && `${p.skip.files} already there`,
    p.conflict.files && plural(p.conflict.files, 'conflict'),
  ].filter(Boolean)
  return `${parts.join(' · ') || 'Nothing to write'} · about ${formatBytes(p.bytesToWrite)} · fits`
}

function PreviewPanel({ id, missing, current }: { id: string; missing?: string; current?: string }) {
  const preview = useDrop((s) => s.preview)
  const mode = useDrop((s) => s.form.mode)
  const stale = preview.key !== current
  const p = stale ? undefined : preview.data
  return (
    <section id={id} className="sheet-preview card" aria-label="Preview" aria-busy={preview.loading}>
      <h3>
        Preview
        {preview.loading && <span className="muted sheet-updating">working it out…</span>}
      </h3>
      {missing && !p ? (
        <p className="muted">{missing} The preview shows what will be written before anything is.</p>
      ) : preview.error && !stale ? (
        <ErrorText>{preview.error}</ErrorText>
      ) : p ? (
        <PreviewNumbers p={p} mode={mode} />
      ) : (
        <p className="muted">Working out what this does…</p>
      )}
    </section>
  )
}

function PreviewNumbers({ p, mode }: { p: EnqueuePreview; mode: TransferMode }) {
  const rows = previewRows(p, mode)
  const nothing = p.convert.files + p.copy.files + p.skip.files + p.conflict.files === 0
  return (
    <>
      <table className="preview-table">
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className={r.files === 0 ? 'zero' : r.key}>
              <th scope="row">{r.label}</th>
              <td className="num" data-testid={`preview-${r.key}-files`}>
                {plural(r.files, 'file')}
              </td>
              <td className="num" data-testid={`preview-${r.key}-bytes`}>
                {formatBytes(r.bytes)}
              </td>
              <td className="preview-note muted">{r.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {nothing && (
        <p className="warn">No files to add{p.filtered ? ': the extensions leave every file out' : ''}.</p>
      )}
      {p.filtered > 0 && !nothing && (
        <p className="muted preview-line">{plural(p.filtered, 'file')} left out by the extensions.</p>
      )}
      <PreviewExamples p={p} />
      <PreviewSpace p={p} />
    </>
  )
}

/** The preview's table: what is converted, copied (or moved), skipped, and in conflict. */
function previewRows(
  p: EnqueuePreview,
  mode: TransferMode,
): { key: string; label: string; files: number; bytes: number; note?: string }[] {
  const policy = POLICIES.find((x) => x.policy === p.conflict.policy)!
  return [
    ...(mode === 'convert'
      ? [{ key: 'convert', label: 'Convert', files: p.convert.files, bytes: p.convert.bytes }]
      : []),
    { key: 'copy', label: mode === 'move' ? 'Move' : 'Copy', files: p.copy.files, bytes: p.copy.bytes },
    {
      key: 'skip',
      label: 'Already there',
      files: p.skip.files,
      bytes: p.skip.bytes,
      note: 'skipped',
    },
    {
      key: 'conflict',
      label: 'Conflicts',
      files: p.conflict.files,
      bytes: p.conflict.bytes,
      note: p.conflict.files ? policy.does : undefined,
    },
  ]
}

/** Which files conflict, and what cannot be copied (each with why). */
function PreviewExamples({ p }: { p: EnqueuePreview }) {
  return (
    <>
      {p.conflict.examples.length > 0 && (
        <details className="preview-details">
          <summary>Which files conflict</summary>
          <ul>
            {p.conflict.examples.map((c) => (
              <li key={c.dst} className="path">
                {c.dst}
              </li>
            ))}
            {p.conflict.files > p.conflict.examples.length && (
              <li className="muted">and {p.conflict.files - p.conflict.examples.length} more</li>
            )}
          </ul>
        </details>
      )}
      {p.leftOut.files > 0 && (
        <details className="preview-details">
          <summary className="warn">{plural(p.leftOut.files, 'item')} cannot be copied</summary>
          <ul>
            {p.leftOut.examples.map((l) => (
              <li key={l.path}>
                <span className="path">{l.path}</span> <span className="muted">— {l.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  )
}

/** What the batch writes, against the space free, and where. */
function PreviewSpace({ p }: { p: EnqueuePreview }) {
  return (
    <div className="preview-space">
      <div className="preview-write">
        <span>Writes about</span>
        <strong className="num" data-testid="preview-write">
          {formatBytes(p.bytesToWrite)}
        </strong>
      </div>
      {p.freeBytes !== null && (
        <ProgressBar
          value={p.freeBytes > 0 ? p.bytesToWrite / p.freeBytes : 1}
          label="Space this needs, of what is free"
          tone={p.fits ? 'ok' : 'bad'}
        />
      )}
      <div className={p.fits ? 'preview-fits ok' : 'preview-fits bad'} data-testid="preview-fits">
        {p.fits ? <Check size={15} aria-hidden /> : <AlertTriangle size={15} aria-hidden />}
        {p.freeBytes === null
          ? 'Free space unknown'
          : p.fits
            ? `Fits: ${formatBytes(p.freeBytes)} free`
            : `Does not fit: ${formatBytes(p.freeBytes)} free`}
      </div>
      <p className="muted preview-line path">
        {p.destinationExists ? p.destination : `${p.destination} (made when the batch starts)`}
      </p>
    </div>
  )
}

function BrowseDialog() {
  const browsing = useDrop((s) => s.browsing)!
  const browse = useDrop((s) => s.api.browse)
  const addSources = useDrop((s) => s.api.addSources)
  const set = useDrop((s) => s.api.set)
  const sources = useDrop((s) => s.sources)
  const places = usePlaces((p) => p.data)
  const forSource = browsing.for === 'source'
  // Sources: beside what the sheet holds, else beside what was added last; destinations: the last one written to.
  const nearSource = sources.at(-1)?.path ?? places?.recentSources[0]
  const start =
    browsing.from ??
    (forSource
      ? nearSource
        ? parentOf(nearSource)
        : places?.home
      : (places?.recentDestinations[0] ?? places?.mounts[0] ?? places?.home))
  useEffect(() => {
    if (!places) void usePlaces.getState().api.load()
  }, [places])
  return (
    <Dialog.Root open onOpenChange={(o) => !o && browse(null)}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog browse-dialog" aria-describedby={undefined}>
          <header className="sheet-head">
            <Dialog.Title>{forSource ? 'Choose what to add' : 'Choose the destination'}</Dialog.Title>
            <Dialog.Close asChild>
              <button type="button" className="icon-button" aria-label="Close the folder browser">
                <X size={16} aria-hidden />
              </button>
            </Dialog.Close>
          </header>
          {start ? (
            <FolderBrowser
              purpose={browsing.for}
              start={start}
              places={places}
              chosen={forSource ? sources.map((s) => s.path) : []}
              onCancel={() => browse(null)}
              onChoose={(paths) => {
                if (forSource) addSources(paths)
                else if (paths[0]) set({ destination: paths[0] })
                browse(null)
              }}
            />
          ) : (
            <p className="muted">Finding where to start…</p>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
