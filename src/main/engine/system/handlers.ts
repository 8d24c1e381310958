import { version } from '../../../../package.json'
import type { EngineContext } from '../context'
import type { HandlerGroup } from '../handlers'

export function systemHandlers(ctx: EngineContext): HandlerGroup<'system.info'> {
  return {
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
