import type { ConvertArgs } from '../../../shared/browse'
import type { Preset } from '../../../shared/presets'
import type { EngineContext } from '../context'
import type { HandlerGroup } from '../handlers'
import { encodeArgs } from './args'
import type { Probe } from './probe'

type ConvertCommands =
  | 'presets.list'
  | 'presets.get'
  | 'presets.create'
  | 'presets.update'
  | 'presets.delete'
  | 'convert.args'
  | 'cache.stats'
  | 'cache.clear'

export function convertHandlers(ctx: EngineContext): HandlerGroup<ConvertCommands> {
  const { presets, cache } = ctx
  return {
    'presets.list': () => presets.list(),
    'presets.get': ({ name }) => presets.get(name),
    'presets.create': (input) => presets.create(input),
    'presets.update': (input) => presets.update(input),
    'presets.delete': ({ name, force }) => presets.delete(name, force),
    'convert.args': ({ preset, removeArt }) => exampleArgs(presets.get(preset), removeArt),
    'cache.stats': () => cache.stats(),
    'cache.clear': () => cache.clear(),
  }
}

/** A FLAC source with a cover and no tags to fix: what `ferry presets show` explains a preset with. */
const EXAMPLE_SOURCE: Probe = {
  codec: 'FLAC',
  container: 'FLAC',
  lossless: true,
  duration: 0,
  bitrate: 0,
  hasArt: true,
  comment: null,
  musicbrainz: {},
  replaygain: {},
}

/** The arguments a convert with `preset` passes ffmpeg for the example source (nothing is read). */
function exampleArgs(preset: Preset, removeArt: boolean): ConvertArgs {
  const source = 'a FLAC source with a cover'
  if (preset.spec.codec === 'copy') return { source, cover: false, args: [] }
  const args = encodeArgs(preset.spec, EXAMPLE_SOURCE, removeArt, true)
  return { source, cover: args.some((a) => a.startsWith('1:')), args }
}
