import { delimiter } from 'node:path'
import type { Command } from 'commander'
import type { CliContext } from './context'
import { jsonOption } from './options'

export function register(program: Command, ctx: CliContext): void {
  const load = () => import('../commands/settings')
  const settings = jsonOption(
    program
      .command('settings')
      .description('show the settings (ffmpeg path, workers, cache limit, stall time)'),
  ).action(async (o: { json?: boolean }) =>
    ctx.setCode(await (await load()).settingsShow(ctx.dataDir(), o.json)),
  )
  settings
    .command('set <key> <value>')
    .description(
      `change one: ffmpegPath PATH|auto, workers.convert N, workers.transfer N, cache.maxBytes N, convert.stallSeconds N, mountRoots DIR${delimiter}DIR…|auto`,
    )
    .action(async (key: string, value: string) =>
      ctx.setCode(await (await load()).settingsSet(ctx.dataDir(), key, value)),
    )
}
