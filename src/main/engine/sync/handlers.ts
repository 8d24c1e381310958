import { FerryError } from '../../../shared/errors'
import type { EngineContext } from '../context'
import type { HandlerGroup } from '../handlers'
import { checkProfileFolders } from './folders'
import { syncStatus } from './status'

type SyncCommands =
  | 'profiles.list'
  | 'profiles.get'
  | 'profiles.create'
  | 'profiles.update'
  | 'profiles.delete'
  | 'sync.plan'
  | 'sync.run'
  | 'sync.status'

export function syncHandlers(ctx: EngineContext): HandlerGroup<SyncCommands> {
  const { profiles, sync } = ctx
  /** Every client refetches profiles and their status. */
  const changed = <T>(result: T): T => {
    ctx.events.emit('profiles.changed', { at: Date.now() })
    return result
  }
  /** A profile must name a preset that exists. */
  const checkPreset = (name: string | undefined) => {
    if (name === undefined) return
    try {
      ctx.presets.get(name)
    } catch (err) {
      throw new FerryError('invalid_input', (err as Error).message)
    }
  }
  return {
    'profiles.list': () => profiles.list(),
    'profiles.get': ({ name }) => profiles.get(name),
    'profiles.create': async ({ name, ...spec }) => {
      checkPreset(spec.preset)
      await checkProfileFolders(spec.sources, spec.destination)
      return changed(profiles.create(name, spec))
    },
    'profiles.update': async ({ name, rename, ...spec }) => {
      checkPreset(spec.preset)
      if (spec.sources || spec.destination) {
        const current = profiles.get(name)
        await checkProfileFolders(spec.sources ?? current.sources, spec.destination ?? current.destination)
      }
      if (spec.destination !== undefined) sync.forget(profiles.get(name).id)
      const change = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined))
      return changed(profiles.update(name, { rename, spec: change }))
    },
    'profiles.delete': ({ name }) => {
      const { id } = profiles.get(name)
      const r = profiles.delete(name)
      sync.forget(id)
      return changed(r)
    },
    // A device the triggers found away from the destination (by its marker) is where both go.
    'sync.plan': (q) => sync.plan(q, { destination: ctx.triggers(q.profile).deviceAt ?? undefined }),
    'sync.run': (q) => sync.run(q, { destination: ctx.triggers(q.profile).deviceAt ?? undefined }),
    'sync.status': () => syncStatus(ctx),
  }
}
