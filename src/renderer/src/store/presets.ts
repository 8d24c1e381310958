import { FerryError } from '../../../shared/errors'
import type { Preset, PresetSpec } from '../../../shared/presets'
import { api } from '../api'
import { resource } from './resource'

/** Built-in and custom presets, as the engine lists them. Reloaded after every change made here. */
export const usePresets = resource('presets.list')

type SpecChange = Partial<PresetSpec>

/** Fields a spec may hold that another spec of the same codec leaves out. */
const EXCLUSIVE = ['mode', 'quality', 'bitrate'] as const

const reload = () => usePresets.getState().api.load()

export const presetActions = {
  async create(input: { name: string; description?: string; spec: SpecChange }): Promise<Preset> {
    const created = await api.invoke('presets.create', input)
    await reload()
    return created
  },

  /**
   * Saves an edited preset. The engine merges a change onto the stored spec, so a field the new spec
   * leaves out (an MP3 preset's quality when it turns CBR) would survive and be refused. Then the
   * preset passes through a spec without such fields (a codec change starts from the new codec's
   * own fields), and back to the old spec if the second step is refused.
   */
  async update(
    current: Preset,
    change: { rename?: string; description?: string; spec: SpecChange },
  ): Promise<Preset> {
    const leaks = EXCLUSIVE.some((k) => current.spec[k] !== undefined && change.spec[k] === undefined)
    const name = current.name
    try {
      if (!leaks || change.spec.codec !== current.spec.codec)
        return await api.invoke('presets.update', { name, ...change })
      await api.invoke('presets.update', { name, spec: { codec: 'copy' } })
      try {
        return await api.invoke('presets.update', { name, ...change })
      } catch (err) {
        await api.invoke('presets.update', { name, spec: current.spec }).catch(() => undefined)
        throw err
      }
    } finally {
      await reload()
    }
  },

  /** The sync profiles that use a preset (the engine refuses to delete it while any does). */
  async usedBy(name: string): Promise<string[]> {
    const profiles = await api.invoke('profiles.list')
    return profiles.filter((p) => p.preset === name).map((p) => p.name)
  },

  /**
   * Deletes a custom preset. Without `force` the engine refuses one that queued tasks use (they
   * would keep their settings): that refusal comes back as `{ queued: message }` so the view can
   * offer to delete anyway; every other refusal is thrown.
   */
  async remove(name: string, force = false): Promise<{ deleted: string } | { queued: string }> {
    try {
      const r = await api.invoke('presets.delete', { name, force })
      return { deleted: r.deleted }
    } catch (err) {
      if (!force && err instanceof FerryError && /queued task/.test(err.message))
        return { queued: err.message }
      throw err
    } finally {
      await reload()
    }
  },
}
