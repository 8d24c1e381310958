import type { Command } from 'commander'
import type { CliContext } from './context'
import { jsonOption } from './options'

export function register(program: Command, ctx: CliContext): void {
  const load = () => import('../commands/convert')
  const presets = program.command('presets').description('conversion presets')
  jsonOption(presets.command('ls').description('list presets')).action(async (o: { json?: boolean }) =>
    ctx.setCode(await (await load()).presetsLs(ctx.dataDir(), o.json)),
  )
  jsonOption(
    presets
      .command('show <name>')
      .description("show a preset's settings and the ffmpeg options it runs with"),
  ).action(async (name: string, o: { json?: boolean }) =>
    ctx.setCode(await (await load()).presetsShow(ctx.dataDir(), name, o.json)),
  )
}
