import type { Command } from 'commander'
import type { CliContext } from './context'
import { jsonOption } from './options'

export function register(program: Command, ctx: CliContext): void {
  jsonOption(
    program
      .command('info')
      .description('show versions, folders and the ffmpeg in use (asks the running engine, if any)'),
  ).action(async (o: { json?: boolean }) => {
    const { infoCommand } = await import('../commands/info')
    ctx.setCode(await infoCommand({ dataDir: ctx.dataDir(), json: o.json }))
  })
}
