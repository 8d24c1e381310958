// The "Add to queue" sheet: what was dropped (or chosen), how and where it goes, and the engine's
// preview of it. Any view opens it with openAddSheet(paths?); the window-level drop zone does too.
import { create } from 'zustand'
import type { CommandInput } from '../../../shared/contract'
import type { EnqueuePreview, PathInfo } from '../../../shared/browse'
import type { EnqueueResult, OverwritePolicy } from '../../../shared/model'
import { api } from '../api'
import { resource } from './resource'

export type TransferMode = 'copy' | 'move' | 'convert'

export interface DropForm {
  mode: TransferMode
  preset: string
  destination: string
  /** As typed: extensions separated by commas or spaces. */
  include: string
  exclude: string
  overwrite: OverwritePolicy
}

export interface DropSource {
  path: string
  /** What the engine says the path is (absent until it answered). */
  info?: PathInfo
}

/** Which folder browser is open over the sheet, if any. */
export type Browsing = null | { for: 'source' | 'destination'; from?: string }

interface PreviewState {
  data?: EnqueuePreview
  error?: string
  loading: boolean
  /** The input the data or error is for (JSON). */
  key?: string
}

export interface DropStore {
  open: boolean
  sources: DropSource[]
  /** Names a browser handed over without their folders (Chromium gives File objects, not paths). */
  names: string[]
  form: DropForm
  /** The user chose a mode: a later drop does not change it. */
  modeChosen: boolean
  /** The user went into the destination field: a recent destination loaded after is not put there. */
  destinationTouched: boolean
  browsing: Browsing
  preview: PreviewState
  adding: boolean
  addError?: string
  /** The last batch added from the sheet (for the confirmation). */
  added?: EnqueueResult & { destination: string; at: number }
  api: {
    /** Opens the sheet with these paths (added to what it holds if it is open); none: with the folder browser. */
    openAddSheet(paths?: string[]): void
    /** What a drop carried: paths, or only names when the browser gave no paths. */
    dropped(paths: string[], names: string[]): void
    addSources(paths: string[]): void
    removeSource(path: string): void
    set(change: Partial<DropForm>): void
    /** The destination field got the focus (see destinationTouched). */
    touchDestination(): void
    browse(browsing: Browsing): void
    add(): Promise<void>
    close(): void
    dismissAdded(): void
  }
}

export const DEFAULT_PRESET = 'mp3-v0'

const EMPTY_FORM: DropForm = {
  mode: 'copy',
  preset: DEFAULT_PRESET,
  destination: '',
  include: '',
  exclude: '',
  overwrite: 'skip',
}

/** Where to start browsing, the recent folders, and where dropped names most likely are. */
export const usePlaces = resource('fs.places', {
  input: () => ({ near: useDrop.getState().names.slice(0, 100) }),
})

/** The presets a convert may use. */
export const useDropPresets = resource('presets.list')

const EXTENSION = /^\.?[\w-]{1,16}$/

/** "flac, mp3 .wav" → ['flac', 'mp3', 'wav'], or the first word that is not an extension. */
export function parseExtensions(text: string): { list: string[] } | { error: string } {
  const words = text.split(/[\s,;]+/).filter(Boolean)
  const bad = words.find((w) => !EXTENSION.test(w))
  if (bad) return { error: `“${bad}” is not an extension (letters and digits, e.g. flac).` }
  return { list: [...new Set(words.map((w) => w.replace(/^\./, '').toLowerCase()))] }
}

export function isAbsolute(path: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path)
}

/** What the sheet holds as the contract's input, or why it cannot be previewed yet. */
export function transferInput(
  s: Pick<DropStore, 'sources' | 'form'>,
):
  | { input: CommandInput<'queue.preview'> }
  | { missing: string }
  | { invalid: { field: 'destination' | 'include' | 'exclude'; message: string } } {
  const f = s.form
  if (!s.sources.length) return { missing: 'Choose what to add.' }
  const destination = f.destination.trim()
  if (!destination) return { missing: 'Choose a destination folder.' }
  if (!isAbsolute(destination))
    return {
      invalid: { field: 'destination', message: 'The destination must be a full path, starting with /.' },
    }
  const include = parseExtensions(f.include)
  if ('error' in include) return { invalid: { field: 'include', message: include.error } }
  const exclude = parseExtensions(f.exclude)
  if ('error' in exclude) return { invalid: { field: 'exclude', message: exclude.error } }
  const common = {
    sources: s.sources.map((x) => x.path),
    destination,
    overwrite: f.overwrite,
    include: include.list,
    exclude: exclude.list,
  }
  return {
    input:
      f.mode === 'convert' ? { mode: 'convert', preset: f.preset, ...common } : { mode: f.mode, ...common },
  }
}

const PREVIEW_DELAY_MS = 250
let previewTimer: ReturnType<typeof setTimeout> | undefined
let statSeq = 0

type SetDrop = (partial: Partial<DropStore>) => void
type GetDrop = () => DropStore

export const useDrop = create<DropStore>((set, get) => {
  const schedulePreview = previewScheduler(set, get)
  return {
    open: false,
    sources: [],
    names: [],
    form: EMPTY_FORM,
    modeChosen: false,
    destinationTouched: false,
    browsing: null,
    preview: { loading: false },
    adding: false,
    api: { ...sourceActions(set, get, schedulePreview), ...formActions(set, get, schedulePreview) },
  }
})

/** Asks the engine for a preview of what the sheet holds now (after a short pause for typing). */
function previewScheduler(set: SetDrop, get: GetDrop): () => void {
  return () => {
    const t = transferInput(get())
    if (!('input' in t)) {
      if (previewTimer) clearTimeout(previewTimer)
      previewTimer = undefined
      set({ preview: { loading: false } })
      return
    }
    const key = JSON.stringify(t.input)
    // The same request is already waiting, in flight or answered: leave it be. (Clearing its timer
    // first, as this did, left a sheet whose form was set twice alike with no preview, ever.)
    if (get().preview.key === key && !get().preview.error) return
    if (previewTimer) clearTimeout(previewTimer)
    set({ preview: { ...get().preview, loading: true, key } })
    previewTimer = setTimeout(() => {
      previewTimer = undefined
      api.invoke('queue.preview', t.input).then(
        (data) => {
          if (get().preview.key === key) set({ preview: { data, loading: false, key } })
        },
        (err: Error) => {
          if (get().preview.key === key) set({ preview: { error: err.message, loading: false, key } })
        },
      )
    }, PREVIEW_DELAY_MS)
  }
}

/** Opening the sheet, and what it adds: dropped or chosen paths (and names), a source removed. */
function sourceActions(
  set: SetDrop,
  get: GetDrop,
  schedulePreview: () => void,
): Pick<DropStore['api'], 'openAddSheet' | 'dropped' | 'addSources' | 'removeSource'> {
  return {
    openAddSheet(paths = []) {
      get().api.dropped(paths, [])
    },
    dropped(paths, names) {
      const wasOpen = get().open
      if (!wasOpen)
        set({
          open: true,
          sources: [],
          names: [],
          modeChosen: false,
          destinationTouched: false,
          preview: { loading: false },
          addError: undefined,
          browsing: null,
          form: { ...get().form, include: '', exclude: '', mode: 'copy' },
        })
      const fresh = mergeSources(set, get, paths)
      const newNames = names.filter((n) => !get().names.includes(n))
      if (newNames.length) set({ names: [...get().names, ...newNames] })
      // Nothing to show (the "Add files…" button, or a drop of names only): the folder browser.
      if (!get().sources.length && !get().browsing) set({ browsing: { for: 'source' } })
      if (!wasOpen || newNames.length) loadPlaces(set, get)
      inspectSources(set, get, schedulePreview, fresh)
      schedulePreview()
    },
    addSources(paths) {
      inspectSources(set, get, schedulePreview, mergeSources(set, get, paths))
      schedulePreview()
    },
    removeSource(path) {
      set({ sources: get().sources.filter((s) => s.path !== path) })
      schedulePreview()
    },
  }
}

/** The form, the folder browser, adding to the queue, and closing. */
function formActions(
  set: SetDrop,
  get: GetDrop,
  schedulePreview: () => void,
): Pick<DropStore['api'], 'set' | 'touchDestination' | 'browse' | 'add' | 'close' | 'dismissAdded'> {
  return {
    touchDestination() {
      if (!get().destinationTouched) set({ destinationTouched: true })
    },
    set(change) {
      set({
        form: { ...get().form, ...change },
        modeChosen: get().modeChosen || change.mode !== undefined,
        addError: undefined,
      })
      schedulePreview()
    },
    browse(browsing) {
      set({ browsing })
    },
    async add() {
      const t = transferInput(get())
      if (!('input' in t) || get().adding) return
      set({ adding: true, addError: undefined })
      try {
        const result = await api.invoke('queue.enqueue', t.input)
        set({
          adding: false,
          open: false,
          browsing: null,
          names: [],
          added: { ...result, destination: t.input.destination, at: Date.now() },
        })
      } catch (err) {
        set({ adding: false, addError: (err as Error).message })
        schedulePreview() // the preview says it too, and anything else that changed
      }
    },
    close() {
      if (previewTimer) clearTimeout(previewTimer)
      set({ open: false, browsing: null, names: [], preview: { loading: false }, addError: undefined })
    },
    dismissAdded() {
      set({ added: undefined })
    },
  }
}

/** Asks the engine what the new paths are; audio (and no mode chosen yet) preselects a convert to MP3 V0. */
function inspectSources(set: SetDrop, get: GetDrop, schedulePreview: () => void, paths: string[]): void {
  if (!paths.length) return
  const seq = ++statSeq
  api.invoke('fs.stat', { paths: paths.slice(0, 1000) }).then(
    (infos) => {
      const byPath = new Map(infos.map((i) => [i.path, i]))
      const sources = get().sources.map((s) => ({ ...s, info: byPath.get(s.path) ?? s.info }))
      set({ sources })
      if (seq !== statSeq || get().modeChosen) return
      const audio = sources.some((s) => s.info?.audio)
      set({
        form: {
          ...get().form,
          mode: audio ? 'convert' : 'copy',
          preset: audio ? DEFAULT_PRESET : get().form.preset,
        },
      })
      schedulePreview()
    },
    () => undefined, // the preview says what is wrong
  )
}

/**
 * Loads the places and the presets; then an empty destination becomes the most recent one, and a
 * browser opened for names only starts where the first of them was found.
 */
function loadPlaces(set: SetDrop, get: GetDrop): void {
  void usePlaces
    .getState()
    .api.load()
    .then(() => {
      const places = usePlaces.getState().data
      if (!places) return
      const s = get()
      // Not into a field the user is typing in (or has emptied): the text would land after theirs.
      if (!s.form.destination && !s.destinationTouched && places.recentDestinations[0])
        get().api.set({ destination: places.recentDestinations[0] })
      // Only names: open the browser where the first of them was found.
      const found = places.found[0]
      if (s.names.length && found && s.browsing?.for === 'source' && !s.browsing.from)
        set({ browsing: { for: 'source', from: parentOf(found.path) } })
    })
  void useDropPresets.getState().api.load()
}

/** Adds the paths the sheet does not hold yet; returns them. */
function mergeSources(set: SetDrop, get: GetDrop, paths: string[]): string[] {
  const have = new Set(get().sources.map((s) => s.path))
  const fresh = [...new Set(paths)].filter((p) => !have.has(p))
  if (fresh.length) set({ sources: [...get().sources, ...fresh.map((path) => ({ path }))] })
  return fresh
}

export function parentOf(path: string): string {
  const i = path.replace(/\/+$/, '').lastIndexOf('/')
  return i <= 0 ? '/' : path.slice(0, i)
}

/** Opens the "Add to queue" sheet: with these paths, or (none) with the folder browser. */
export function openAddSheet(paths?: string[]): void {
  useDrop.getState().api.openAddSheet(paths)
}
