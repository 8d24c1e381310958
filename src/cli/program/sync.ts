import { type Command, Option } from 'commander'
import type { SyncOptions } from '../commands/sync'
import type { CliContext } from './context'
import { planOptions } from './options'

/** `ferry sync SRC... DST`: a sync without a profile. */
export function register(program: Command, ctx: CliContext): void {
  planOptions(
    program
      .command('sync <paths...>')
      .usage('[options] SRC... DST')
      .description(
        'mirror SRC folders onto DST: convert, copy, (with --delete) remove what Ferry wrote that is gone',
      )
      .option('-p, --preset <name>', 'conversion preset', 'mp3-v0')
      .option('--delete', 'mirror deletions (only of files Ferry wrote)')
      .addOption(
        new Option('--naming <fs>', 'names valid on this filesystem')
          .choices(['fat32', 'exfat', 'ntfs', 'posix'])
          .default('fat32'),
      ),
  ).action(async (paths: string[], o: SyncOptions) => {
    const { syncCommand } = await import('../commands/sync')
    ctx.setCode(await syncCommand(paths, { ...o, dataDir: ctx.dataDir() }))
  })
}
