// Which source files the profile takes, and as what: a pure decision on the path alone.
import picomatch from 'picomatch'
import { AUDIO_EXTENSIONS } from '../../../../shared/audio'
import type { Profile } from '../../../../shared/profiles'

const PLAYLISTS = new Set(['m3u', 'm3u8'])
const COVER = /^(cover|folder|front|albumart[^.]*|album)\.(jpe?g|png|gif|webp|bmp)$/i

/** The profile's filters, compiled once per plan (globs are compiled to matchers). */
export interface SelectionRules {
  include: string[]
  exclude: string[]
  includeGlob: ((rel: string) => boolean) | null
  excludeGlob: ((rel: string) => boolean) | null
  nonAudio: Profile['nonAudio']
  playlists: Profile['playlists']
}

export type Selection = 'audio' | 'playlist' | 'copy' | null

export function selectionRules(
  profile: Pick<Profile, 'include' | 'exclude' | 'includeGlobs' | 'excludeGlobs' | 'nonAudio' | 'playlists'>,
): SelectionRules {
  return {
    include: profile.include,
    exclude: profile.exclude,
    includeGlob: profile.includeGlobs.length ? picomatch(profile.includeGlobs, { dot: true }) : null,
    excludeGlob: profile.excludeGlobs.length ? picomatch(profile.excludeGlobs, { dot: true }) : null,
    nonAudio: profile.nonAudio,
    playlists: profile.playlists,
  }
}

/**
 * Audio (to classify), a playlist (to rewrite), another file to copy as it is, or null: left out.
 * `ext` is `extOf(rel)`, passed in because the caller needs it too (this runs once per scanned file).
 * An extension whitelist never drops playlists: they name the files it lets through.
 */
export function selectFile(rules: SelectionRules, rel: string, ext: string): Selection {
  if (rules.include.length && !rules.include.includes(ext) && !PLAYLISTS.has(ext)) return null
  if (rules.exclude.includes(ext)) return null
  if (rules.includeGlob && !rules.includeGlob(rel)) return null
  if (rules.excludeGlob?.(rel)) return null
  if (PLAYLISTS.has(ext)) return rules.playlists === 'rewrite' ? 'playlist' : null
  if (AUDIO_EXTENSIONS.has(ext)) return 'audio'
  if (rules.nonAudio === 'all') return 'copy'
  if (rules.nonAudio === 'covers' && COVER.test(rel.slice(rel.lastIndexOf('/') + 1))) return 'copy'
  return null
}
