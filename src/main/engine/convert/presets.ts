import { createHash } from 'node:crypto'
import { FerryError } from '../../../shared/errors'
import {
  CODEC_EXTENSION,
  checkPresetSpec,
  type Preset,
  type PresetSpec,
  presetSpecShape,
} from '../../../shared/presets'
import type { Db } from '../db/open'
import type { Queue } from '../queue/queue'

/**
 * Bumped whenever the converter changes what it writes for the same preset (arguments, tag
 * handling): part of every cache key, so a new Ferry never serves files an older one encoded.
 */
export const CONVERTER_VERSION = 5

const spec = (s: Partial<PresetSpec> & Pick<PresetSpec, 'codec'>): PresetSpec => presetSpecShape.parse(s)

export const BUILTIN_PRESETS: readonly { name: string; description: string; spec: PresetSpec }[] = [
  {
    name: 'mp3-v0',
    description: 'MP3, LAME VBR V0 (~245 kbps): transparent, plays everywhere. The default.',
    spec: spec({ codec: 'mp3', mode: 'vbr', quality: 0 }),
  },
  {
    name: 'mp3-v2',
    description: 'MP3, LAME VBR V2 (~190 kbps): smaller files, near transparent.',
    spec: spec({ codec: 'mp3', mode: 'vbr', quality: 2 }),
  },
  {
    name: 'mp3-320',
    description: 'MP3, CBR 320 kbps: for players that mishandle VBR.',
    spec: spec({ codec: 'mp3', mode: 'cbr', bitrate: 320 }),
  },
  {
    name: 'aac-256',
    description: 'AAC 256 kbps in .m4a: for Apple devices.',
    spec: spec({ codec: 'aac', mode: 'cbr', bitrate: 256 }),
  },
  {
    name: 'opus-128',
    description: 'Opus 128 kbps VBR in .opus: smallest transparent files, for modern players.',
    spec: spec({ codec: 'opus', mode: 'vbr', bitrate: 128 }),
  },
  {
    name: 'copy',
    description: 'No transcoding: every file copied as it is.',
    spec: spec({ codec: 'copy' }),
  },
]

const isBuiltin = (name: string) => BUILTIN_PRESETS.some((b) => b.name === name)

export function presetHash(s: PresetSpec): string {
  const canonical = JSON.stringify(s, Object.keys(s).sort())
  return createHash('sha256').update(`${CONVERTER_VERSION}:${canonical}`).digest('hex').slice(0, 16)
}

function toPreset(
  name: string,
  description: string,
  s: PresetSpec,
  builtin: boolean,
  times?: { created_at: number; updated_at: number },
): Preset {
  return {
    name,
    description,
    builtin,
    spec: s,
    extension: s.codec === 'copy' ? null : CODEC_EXTENSION[s.codec],
    hash: presetHash(s),
    createdAt: times?.created_at ?? null,
    updatedAt: times?.updated_at ?? null,
  }
}

/** Validates a full spec, with every problem in one message. */
function validSpec(candidate: unknown): PresetSpec {
  const parsed = presetSpecShape.safeParse(candidate)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`)
    throw new FerryError('invalid_input', `Invalid preset: ${issues.join('; ')}`)
  }
  const problems = checkPresetSpec(parsed.data)
  if (problems.length) throw new FerryError('invalid_input', `Invalid preset: ${problems.join(' ')}`)
  return parsed.data
}

interface Row {
  name: string
  description: string
  spec: string
  created_at: number
  updated_at: number
}

/** Built-in presets (read-only) and the user's own, kept in SQLite. */
export class PresetStore {
  constructor(
    private readonly db: Db,
    /** Which queued tasks still use a preset (a delete asks). */
    private readonly queue: Pick<Queue, 'tasksUsingPreset'>,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Preset[] {
    const rows = this.db.prepare('SELECT * FROM presets ORDER BY name').all() as Row[]
    return [
      ...BUILTIN_PRESETS.map((b) => toPreset(b.name, b.description, b.spec, true)),
      ...rows.map((r) => toPreset(r.name, r.description, JSON.parse(r.spec) as PresetSpec, false, r)),
    ]
  }

  get(name: string): Preset {
    const b = BUILTIN_PRESETS.find((p) => p.name === name)
    if (b) return toPreset(b.name, b.description, b.spec, true)
    const r = this.db.prepare('SELECT * FROM presets WHERE name = ?').get(name) as Row | undefined
    if (!r) {
      const known = this.list()
        .map((p) => p.name)
        .join(', ')
      throw new FerryError('not_found', `No preset named "${name}" (presets: ${known}).`)
    }
    return toPreset(r.name, r.description, JSON.parse(r.spec) as PresetSpec, false, r)
  }

  create(input: { name: string; description?: string; from?: string; spec?: Partial<PresetSpec> }): Preset {
    this.assertFree(input.name)
    const base = input.from ? this.get(input.from) : undefined
    const merged = validSpec(mergeSpec(base?.spec, input.spec))
    const description =
      input.description ?? (base ? `Based on ${base.name}: ${base.description}` : 'Custom preset')
    const now = this.now()
    this.db
      .prepare('INSERT INTO presets (name, description, spec, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(input.name, description, JSON.stringify(merged), now, now)
    return this.get(input.name)
  }

  update(input: { name: string; rename?: string; description?: string; spec?: Partial<PresetSpec> }): Preset {
    if (isBuiltin(input.name))
      throw new FerryError(
        'invalid_input',
        `"${input.name}" is built in and cannot be changed; duplicate it (create with from: "${input.name}") and edit the copy.`,
      )
    const current = this.get(input.name)
    const merged = validSpec(mergeSpec(current.spec, input.spec))
    const name = input.rename ?? input.name
    if (name !== input.name) this.assertFree(name)
    this.db
      .prepare('UPDATE presets SET name = ?, description = ?, spec = ?, updated_at = ? WHERE name = ?')
      .run(name, input.description ?? current.description, JSON.stringify(merged), this.now(), input.name)
    return this.get(name)
  }

  /** Deletes a custom preset; one that queued tasks still use is refused unless forced. */
  delete(name: string, force: boolean): { deleted: string; inUse: number } {
    if (isBuiltin(name)) throw new FerryError('invalid_input', `"${name}" is built in and cannot be deleted.`)
    this.get(name)
    const inUse = this.queue.tasksUsingPreset(name)
    if (inUse > 0 && !force)
      throw new FerryError(
        'invalid_input',
        `The preset "${name}" is used by ${inUse} queued task(s). Delete it anyway with force (those tasks keep the settings they were queued with), or wait until they finish.`,
      )
    const profiles = (
      this.db.prepare(`SELECT name FROM profiles WHERE json_extract(spec, '$.preset') = ?`).all(name) as {
        name: string
      }[]
    ).map((p) => p.name)
    if (profiles.length)
      throw new FerryError(
        'invalid_input',
        `The preset "${name}" is used by the sync profile(s) ${profiles.map((p) => `"${p}"`).join(', ')}: give them another preset first.`,
      )
    this.db.prepare('DELETE FROM presets WHERE name = ?').run(name)
    return { deleted: name, inUse }
  }

  private assertFree(name: string): void {
    const taken =
      isBuiltin(name) || this.db.prepare('SELECT 1 FROM presets WHERE name = ?').get(name) !== undefined
    if (taken) throw new FerryError('invalid_input', `A preset named "${name}" already exists.`)
  }
}

/**
 * A new spec from an old one and changes. Changing the codec starts over from the codec's own
 * defaults, so fields of the old codec (a quality, a bitrate) do not leak into the new one.
 */
function mergeSpec(base: PresetSpec | undefined, change: Partial<PresetSpec> | undefined): unknown {
  if (!base) return change
  if (change?.codec && change.codec !== base.codec) {
    const { mode: _m, quality: _q, bitrate: _b, ...rest } = base
    return { ...rest, options: [], ...change }
  }
  return { ...base, ...change }
}
