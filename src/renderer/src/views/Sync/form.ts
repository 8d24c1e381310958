// The profile editor's form: text as the user types it, turned into a profile's fields with the
// contract's own schemas (so a name, a path or an extension is refused here with the words the
// engine would use). What only the engine can check (a source that is not there, overlapping folders,
// a destination that is a file) comes back from profiles.create/update and is shown as it says it.
import { NAMINGS, type Naming, type Profile, profileName } from '../../../../shared/profiles'
import { absolutePath, extension } from '../../../../shared/schemas'
import type { ProfileInput } from '../../store/sync'

export interface ProfileForm {
  name: string
  sources: string[]
  destination: string
  preset: string
  include: string
  exclude: string
  includeGlobs: string
  excludeGlobs: string
  nonAudio: 'covers' | 'all' | 'none'
  delete: 'mirror' | 'never'
  naming: Naming
  playlists: boolean
  includeHidden: boolean
  interval: boolean
  intervalMinutes: string
  onLibraryChange: boolean
  onDevicePlugged: boolean
}

export type FormField =
  | 'name'
  | 'sources'
  | 'destination'
  | 'preset'
  | 'include'
  | 'exclude'
  | 'includeGlobs'
  | 'excludeGlobs'
  | 'intervalMinutes'

export const NAMING_LABEL: Record<Naming, string> = {
  fat32: 'FAT32 (most SD cards and players)',
  exfat: 'exFAT (large cards)',
  ntfs: 'NTFS (Windows disks)',
  posix: 'Linux or macOS disk (names kept)',
}
export { NAMINGS }

export function newForm(): ProfileForm {
  return {
    name: '',
    sources: [''],
    destination: '',
    preset: 'mp3-v0',
    include: '',
    exclude: '',
    includeGlobs: '',
    excludeGlobs: '',
    nonAudio: 'covers',
    delete: 'never',
    naming: 'fat32',
    playlists: true,
    includeHidden: false,
    interval: false,
    intervalMinutes: '60',
    onLibraryChange: false,
    onDevicePlugged: false,
  }
}

export function formFromProfile(p: Profile): ProfileForm {
  return {
    name: p.name,
    sources: p.sources.length ? [...p.sources] : [''],
    destination: p.destination,
    preset: p.preset,
    include: p.include.join(', '),
    exclude: p.exclude.join(', '),
    includeGlobs: p.includeGlobs.join('\n'),
    excludeGlobs: p.excludeGlobs.join('\n'),
    nonAudio: p.nonAudio,
    delete: p.delete,
    naming: p.naming,
    playlists: p.playlists === 'rewrite',
    includeHidden: p.includeHidden,
    interval: p.triggers.intervalMinutes !== null,
    intervalMinutes: String(p.triggers.intervalMinutes ?? 60),
    onLibraryChange: p.triggers.onLibraryChange,
    onDevicePlugged: p.triggers.onDevicePlugged,
  }
}

const words = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter(Boolean)
const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)

/** The form as a profile's fields, or what is wrong with each field. */
export function validateProfileForm(
  f: ProfileForm,
  opts: { taken: string[] },
): { name: string; spec: ProfileInput | null; errors: Partial<Record<FormField, string>> } {
  const errors: Partial<Record<FormField, string>> = {}
  const name = f.name.trim()
  if (!name) errors.name = 'Give the profile a name (the card or player it fills, for example).'
  else if (!profileName.safeParse(name).success)
    errors.name =
      'A profile name is 1–60 letters, digits, spaces, ".", "_" or "-", starting with a letter or digit.'
  else if (opts.taken.includes(name)) errors.name = `A profile named "${name}" already exists.`

  const sources = f.sources.map((s) => s.trim()).filter(Boolean)
  if (sources.length === 0)
    errors.sources = 'Add your library folder: at least one source folder is required.'
  else {
    const bad = sources.find((s) => !absolutePath.safeParse(s).success)
    if (bad) errors.sources = `${bad}: the path must be absolute (start with /).`
    else if (new Set(sources).size !== sources.length) errors.sources = 'A folder is listed twice.'
  }
  const destination = f.destination.trim()
  if (!destination) errors.destination = "Name your device's folder (where the card or player is mounted)."
  else if (!absolutePath.safeParse(destination).success)
    errors.destination = 'The path must be absolute (start with /).'

  const exts = (field: 'include' | 'exclude') => {
    const list = words(f[field])
    const bad = list.find((e) => !extension.safeParse(e).success)
    if (bad) errors[field] = `"${bad}" is not an extension: letters, digits, - or _ (e.g. flac).`
    return list.map((e) => e.replace(/^\./, '').toLowerCase())
  }
  const include = exts('include')
  const exclude = exts('exclude')
  const globs = (field: 'includeGlobs' | 'excludeGlobs') => {
    const list = lines(f[field])
    const bad = list.find((g) => g.startsWith('/') || g.length > 200)
    if (bad)
      errors[field] = bad.startsWith('/')
        ? `"${bad}": a pattern is relative to the library folder (no leading /).`
        : 'A pattern is at most 200 characters.'
    return list
  }
  const includeGlobs = globs('includeGlobs')
  const excludeGlobs = globs('excludeGlobs')

  let intervalMinutes: number | null = null
  if (f.interval) {
    const n = Number(f.intervalMinutes)
    if (!Number.isInteger(n) || n < 5 || n > 10_080)
      errors.intervalMinutes = 'Every 5 to 10080 minutes (a week), in whole minutes.'
    else intervalMinutes = n
  }
  if (!f.preset) errors.preset = 'Pick a preset.'

  if (Object.keys(errors).length) return { name, spec: null, errors }
  return {
    name,
    errors,
    spec: {
      sources,
      destination,
      preset: f.preset,
      include,
      exclude,
      includeGlobs,
      excludeGlobs,
      nonAudio: f.nonAudio,
      delete: f.delete,
      naming: f.naming,
      playlists: f.playlists ? 'rewrite' : 'skip',
      includeHidden: f.includeHidden,
      triggers: {
        intervalMinutes,
        onLibraryChange: f.onLibraryChange,
        onDevicePlugged: f.onDevicePlugged,
      },
    },
  }
}
