import { version } from '../../../../package.json'
import type { EngineContext } from '../context'
import type { HandlerGroup } from '../handlers'
import { readSettings, writeSettings } from './settings'

export function systemHandlers(
  ctx: EngineContext,
): HandlerGroup<'system.info' | 'settings.get' | 'settings.set'> {
  return {
    'settings.get': () => readSettings(ctx.settings),
    'settings.set': (change) => {
      writeSettings(ctx.settings, change)
      ctx.settingsChanged(change)
      return readSettings(ctx.settings)
    },
    'system.info': async () => ({
      appVersion: version,
      platform: process.platform,
      arch: process.arch,
      nodeVersion: process.versions.node,
      electronVersion: process.versions.electron ?? null,
      engineKind: ctx.kind,
      dataDir: ctx.dataDir,
      databasePath: ctx.databasePath,
      ffmpeg: await ctx.ffmpeg(),
    }),
  }
}
