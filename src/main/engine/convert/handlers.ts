import type { EngineContext } from '../context'
import type { HandlerGroup } from '../handlers'

type ConvertCommands =
  | 'presets.list'
  | 'presets.get'
  | 'presets.create'
  | 'presets.update'
  | 'presets.delete'
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
    'cache.stats': () => cache.stats(),
    'cache.clear': () => cache.clear(),
  }
}
