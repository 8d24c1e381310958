import type { Command } from 'commander'
import type { CliContext } from './context'
import { jsonOption } from './options'

export function register(program: Command, ctx: CliContext): void {
  jsonOption(
    program
      .command('scan <dir>')
      .description('what a sync sees of a folder: a stat-only walk (files, folders, bytes, problems)')
      .option('--hidden', 'include hidden files'),
  ).action(async (dir: string, o: { hidden?: boolean; json?: boolean }) => {
    const { scanCommand } = await import('../commands/scan')
    ctx.setCode(await scanCommand(ctx.dataDir(), dir, o))
  })
}
