// A folder browser of the engine's machine (the desktop's own disk, or the NAS `ferry serve` runs
// on): places to start from, a path to type, the folders of the one shown, and how many files lie
// in it. Serves both "what to add" (several folders) and "where to" (one folder).
import { useVirtualizer } from '@tanstack/react-virtual'
import { ArrowUp, Clock, Folder, FolderLock, HardDrive, Home, RefreshCw, SquareCheck } from 'lucide-react'
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react'
import { useStore } from 'zustand'
import type { FolderEntry, FolderListing, Places } from '../../../shared/browse'
import { ErrorText } from './ErrorText'
import { createFolderBrowserStore } from './FolderBrowserStore'
import { formatBytes } from './format'
import './FolderBrowser.css'

export interface FolderBrowserProps {
  /** 'source': pick one or more folders to add; 'destination': pick the one to write into. */
  purpose: 'source' | 'destination'
  /** The folder to open first. */
  start: string
  places?: Places
  /** Folders already chosen (sources): marked in the list. */
  chosen?: string[]
  onChoose(paths: string[]): void
  onCancel(): void
}

/** Above this many folders the list renders only the rows in view. */
const VIRTUAL_FROM = 300
const ROW_HEIGHT = 34

const baseName = (p: string) => p.replace(/\/+$/, '').split('/').pop() || p

export function FolderBrowser({
  purpose,
  start,
  places,
  chosen = [],
  onChoose,
  onCancel,
}: FolderBrowserProps) {
  const { listing, error, loading, pathText, type, open } = useFolderNavigation(start)
  const uid = useId()
  const [selected, setSelected] = useState<string[]>([])
  const [showHidden, setShowHidden] = useState(false)
  const folders = (listing?.folders ?? []).filter((f) => showHidden || !f.name.startsWith('.'))
  const hidden = (listing?.folders.length ?? 0) - folders.length
  const toggle = (path: string) =>
    setSelected((s) => (s.includes(path) ? s.filter((p) => p !== path) : [...s, path]))
  const here = listing?.path

  return (
    <div className="folder-browser">
      <PathBar listing={listing} pathText={pathText} error={error} uid={uid} onType={type} onOpen={open} />
      <div id={`${uid}-error`}>
        <ErrorText>{error}</ErrorText>
      </div>
      <div className="fb-body">
        <PlacesList purpose={purpose} places={places} current={here} onOpen={open} />
        <section className="fb-main" aria-label="Folders" aria-busy={loading}>
          <div className="fb-here">
            <span className="muted">{folderSummary(listing, loading)}</span>
            {hidden > 0 || showHidden ? (
              <label className="fb-hidden">
                <input
                  type="checkbox"
                  checked={showHidden}
                  onChange={(e) => setShowHidden(e.target.checked)}
                />
                Show hidden
              </label>
            ) : null}
          </div>
          <FolderRows
            folders={folders}
            purpose={purpose}
            selected={selected}
            chosen={chosen}
            onOpen={open}
            onToggle={toggle}
            empty={emptyText(listing, folders)}
          />
          {listing?.truncated && (
            <p className="muted fb-note">
              Only the first {listing.folders.length} folders are shown: type a path to go further.
            </p>
          )}
        </section>
      </div>
      <ChoiceBar
        purpose={purpose}
        here={here}
        selected={selected}
        loading={loading}
        onChoose={onChoose}
        onCancel={onCancel}
      />
    </div>
  )
}

/** The folder shown, and the path field's text: what the person types, until they go somewhere. */
function useFolderNavigation(start: string) {
  // This browser's own state: until its first folder is listed, it shows `start` and no folder (the
  // folder of a browser open before it, in the field, was replaced as that listing arrived, under
  // the text a person had selected to type over: what they typed was appended to it).
  const [store] = useState(createFolderBrowserStore)
  const listing = useStore(store, (s) => s.listing)
  const error = useStore(store, (s) => s.error)
  const loading = useStore(store, (s) => s.loading)
  const go = useStore(store, (s) => s.api.go)
  // What the path field holds: the folder shown, unless the person is typing another one.
  const [draft, setDraft] = useState<{ for: string | undefined; text: string }>()
  // `start` may still change while the places load; once the person has moved, it no longer moves them.
  const moved = useRef(false)
  useEffect(() => {
    if (!moved.current) void go(start)
  }, [start, go])

  const shownPath = listing?.path
  // What the person typed stays until they go somewhere (open() clears it), even if a listing asked
  // for earlier arrives meanwhile.
  const pathText = draft && draft.for === start ? draft.text : (shownPath ?? start)
  const open = (path: string) => {
    moved.current = true
    setDraft(undefined)
    void go(path)
  }
  const type = (text: string) => setDraft({ for: start, text })
  return { listing, error, loading, pathText, type, open }
}

/** Up, the path to type, Go, and Reload. */
function PathBar({
  listing,
  pathText,
  error,
  uid,
  onType,
  onOpen,
}: {
  listing: FolderListing | undefined
  pathText: string
  error?: string
  uid: string
  onType(text: string): void
  onOpen(path: string): void
}) {
  const here = listing?.path
  return (
    <form
      className="fb-pathbar"
      onSubmit={(e) => {
        e.preventDefault()
        onOpen(pathText.trim())
      }}
    >
      <button
        type="button"
        className="icon-button"
        aria-label="Up to the folder above"
        title="Up to the folder above"
        disabled={!listing?.parent}
        onClick={() => listing?.parent && onOpen(listing.parent)}
      >
        <ArrowUp size={16} aria-hidden />
      </button>
      <input
        aria-label="Folder path"
        type="text"
        className="fb-path path"
        value={pathText}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${uid}-error` : undefined}
        onChange={(e) => onType(e.target.value)}
      />
      <button type="submit" className="button">
        Go
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label="Reload this folder"
        title="Reload this folder"
        onClick={() => here && onOpen(here)}
      >
        <RefreshCw size={15} aria-hidden />
      </button>
    </form>
  )
}

/** How many files lie directly in the folder shown (or that it is being read). */
function folderSummary(listing: FolderListing | undefined, loading: boolean): string {
  return !listing
    ? loading
      ? 'Reading the folder…'
      : ''
    : listing.files === 0
      ? 'No files directly in this folder'
      : `${listing.files} file${listing.files === 1 ? '' : 's'} directly here · ${formatBytes(listing.bytes)}${listing.audioFiles ? ` · ${listing.audioFiles} audio` : ''}`
}

/** Why the list is empty, if it is. */
function emptyText(listing: FolderListing | undefined, folders: FolderEntry[]): string {
  return listing
    ? listing.folders.length === 0
      ? 'No folders in here.'
      : folders.length === 0
        ? 'Only hidden folders in here.'
        : ''
    : ''
}

/** What is chosen, Cancel, and the button that chooses it. */
function ChoiceBar({
  purpose,
  here,
  selected,
  loading,
  onChoose,
  onCancel,
}: {
  purpose: 'source' | 'destination'
  here?: string
  selected: string[]
  loading: boolean
  onChoose(paths: string[]): void
  onCancel(): void
}) {
  const primary =
    purpose === 'destination'
      ? { label: 'Use this folder', paths: here ? [here] : [] }
      : selected.length
        ? { label: `Add ${selected.length} selected`, paths: selected }
        : { label: 'Add this folder', paths: here ? [here] : [] }
  return (
    <div className="fb-actions">
      <span className="muted fb-choice path" aria-live="polite">
        {purpose === 'source' && selected.length > 0 ? selected.map(baseName).join(', ') : here ? here : ''}
      </span>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button
        type="button"
        className="button primary"
        disabled={primary.paths.length === 0 || loading}
        onClick={() => onChoose(primary.paths)}
      >
        {primary.label}
      </button>
    </div>
  )
}

function FolderRows({
  folders,
  purpose,
  selected,
  chosen,
  onOpen,
  onToggle,
  empty,
}: {
  folders: FolderEntry[]
  purpose: 'source' | 'destination'
  selected: string[]
  chosen: string[]
  onOpen(path: string): void
  onToggle(path: string): void
  empty: string
}) {
  const scroller = useRef<HTMLDivElement>(null)
  const virtual = folders.length > VIRTUAL_FROM
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read, never memoised
  const rows = useVirtualizer({
    count: virtual ? folders.length : 0,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })
  const row = (f: FolderEntry) => (
    <FolderRow
      folder={f}
      purpose={purpose}
      selected={selected}
      chosen={chosen}
      onOpen={onOpen}
      onToggle={onToggle}
    />
  )
  return (
    <div className="fb-list" ref={scroller} onKeyDown={(e) => moveFocus(e, scroller.current)}>
      {empty && <p className="muted fb-empty">{empty}</p>}
      {virtual ? (
        <ul className="fb-rows" style={{ height: rows.getTotalSize(), position: 'relative' }}>
          {rows.getVirtualItems().map((v) => (
            <li
              key={folders[v.index]!.path}
              className="fb-row"
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                transform: `translateY(${v.start}px)`,
              }}
            >
              {row(folders[v.index]!)}
            </li>
          ))}
        </ul>
      ) : (
        <ul className="fb-rows">
          {folders.map((f) => (
            <li key={f.path} className="fb-row">
              {row(f)}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** Arrow keys move between the folders' buttons; Home and End to the first and last. */
function moveFocus(e: KeyboardEvent<HTMLDivElement>, list: HTMLDivElement | null): void {
  if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return
  const buttons = [...(list?.querySelectorAll<HTMLButtonElement>('.fb-open') ?? [])]
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement)
  if (at < 0) return
  e.preventDefault()
  const next =
    e.key === 'Home'
      ? 0
      : e.key === 'End'
        ? buttons.length - 1
        : Math.max(0, Math.min(buttons.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))
  buttons[next]?.focus()
}

/** One folder: its checkbox (sources), and the button that opens it. */
function FolderRow({
  folder: f,
  purpose,
  selected,
  chosen,
  onOpen,
  onToggle,
}: {
  folder: FolderEntry
  purpose: 'source' | 'destination'
  selected: string[]
  chosen: string[]
  onOpen(path: string): void
  onToggle(path: string): void
}) {
  const isChosen = chosen.includes(f.path)
  return (
    <>
      {purpose === 'source' && (
        <input
          type="checkbox"
          aria-label={`Select ${f.name}`}
          checked={selected.includes(f.path) || isChosen}
          disabled={isChosen}
          onChange={() => onToggle(f.path)}
        />
      )}
      <button
        type="button"
        className="fb-open"
        onClick={() => onOpen(f.path)}
        title={f.readable ? `Open ${f.path}` : `${f.path} cannot be read`}
      >
        {f.readable ? (
          <Folder size={16} aria-hidden className="fb-icon" />
        ) : (
          <FolderLock size={16} aria-hidden className="fb-icon locked" />
        )}
        <span className="fb-name">{f.name}</span>
        {!f.readable && <span className="fb-tag">cannot be read</span>}
        {isChosen && <span className="fb-tag">added</span>}
      </button>
    </>
  )
}

function PlacesList({
  purpose,
  places,
  current,
  onOpen,
}: {
  purpose: 'source' | 'destination'
  places?: Places
  current?: string
  onOpen(path: string): void
}) {
  if (!places) return <nav className="fb-places" aria-label="Places" />
  const recent = purpose === 'source' ? places.recentSources : places.recentDestinations
  const profiles = places.profiles.flatMap((p) =>
    (purpose === 'source' ? p.sources : [p.destination]).map((path) => ({ path, profile: p.name })),
  )
  const place = (path: string, icon: ReactNode, label = baseName(path), hint?: string) => (
    <li key={`${label}:${path}`}>
      <button
        type="button"
        className="fb-place"
        aria-current={current === path ? 'location' : undefined}
        title={path}
        onClick={() => onOpen(path)}
      >
        {icon}
        <span className="fb-place-text">
          <span className="fb-place-label">{label}</span>
          {hint && <span className="fb-place-hint">{hint}</span>}
        </span>
      </button>
    </li>
  )
  return (
    <nav className="fb-places" aria-label="Places">
      <ul>{place(places.home, <Home size={15} aria-hidden />, 'Home')}</ul>
      {places.mounts.length > 0 && (
        <>
          <h3>Devices</h3>
          <ul>{places.mounts.map((m) => place(m, <HardDrive size={15} aria-hidden />, baseName(m), m))}</ul>
        </>
      )}
      {recent.length > 0 && (
        <>
          <h3>{purpose === 'source' ? 'Added before' : 'Written to before'}</h3>
          <ul>{recent.map((r) => place(r, <Clock size={15} aria-hidden />, baseName(r), r))}</ul>
        </>
      )}
      {profiles.length > 0 && (
        <>
          <h3>Sync profiles</h3>
          <ul>
            {profiles.map((p) =>
              place(
                p.path,
                <SquareCheck size={15} aria-hidden />,
                baseName(p.path),
                `${p.profile} · ${p.path}`,
              ),
            )}
          </ul>
        </>
      )}
    </nav>
  )
}
