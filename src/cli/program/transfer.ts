import { type Command, Option } from 'commander'
import { FerryError } from '../../shared/errors'
import type { TransferOptions } from '../commands/transfer'
import type { CliContext } from './context'
import { collect, followOptions, integer } from './options'

/** `ferry cp`, `ferry mv` and `ferry convert`: one batch from SRC... into DST. */
export function register(program: Command, ctx: CliContext): void {
  const transfer = (name: 'cp' | 'mv' | 'convert', mode: 'copy' | 'move' | 'convert', what: string) =>
    followOptions(
      program
        .command(`${name} <paths...>`)
        .usage('[options] SRC... DST')
        .description(`${what} into DST through the queue, showing progress until done`)
        .option('-i, --include <ext>', 'only files with this extension (repeatable)', collect, [])
        .option('-I, --exclude <ext>', 'leave out files with this extension (repeatable)', collect, [])
        .addOption(
          new Option('--overwrite <policy>', 'when a different file is at the destination')
            .choices(['skip', 'overwrite', 'keep-both'])
            .default('skip'),
        )
        .option('--priority <n>', 'lower runs first', integer, 100),
    )
      .option('-v, --verbose', 'list what was left out or skipped, with why')
      .action(async (paths: string[], o: TransferOptions) => {
        if (paths.length < 2)
          throw new FerryError('invalid_input', `ferry ${name} needs at least one SRC and a DST.`)
        const { transferCommand } = await import('../commands/transfer')
        ctx.setCode(await transferCommand(mode, paths, { ...o, dataDir: ctx.dataDir() }))
      })
  transfer('cp', 'copy', 'copy files and folders')
  transfer('mv', 'move', 'move files and folders')
  transfer(
    'convert',
    'convert',
    'transcode audio files and folders (lossy sources and other files are copied as they are)',
  )
    .option('-p, --preset <name>', 'conversion preset (see ferry presets ls)', 'mp3-v0')
    .option('--remove-art', 'leave cover art out')
}
