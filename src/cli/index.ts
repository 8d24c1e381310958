import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { version } from '../../package.json'
import { FerryError } from '../shared/errors'
import { infoCommand } from './commands/info'
import { serveCommand } from './commands/serve'

/** Exit codes: 0 done, 1 failed, 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

function port(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is a whole number 0–65535.')
  return n
}

export function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command('ferry')
    .description('Ferry keeps a portable copy of a music library on a device.')
    .version(version, '-v, --version')
    .addOption(
      new Option('--data-dir <dir>', 'folder for the database and runtime files').env('FERRY_DATA_DIR'),
    )
    .showHelpAfterError('(run ferry --help for usage)')
    .exitOverride()

  program
    .command('serve')
    .description('run the engine with the web UI on 127.0.0.1 (prints the URL to open)')
    .option('-p, --port <n>', 'port to listen on (0 picks a free one)', port, 0)
    .option('--stop-with-stdin', 'stop when standard input closes (for supervisors and tests)')
    .action(async (o: { port: number; stopWithStdin?: boolean }) =>
      setCode(await serveCommand({ dataDir: program.opts().dataDir, ...o })),
    )

  program
    .command('info')
    .description('show versions, folders and the ffmpeg in use (asks the running engine, if any)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) =>
      setCode(await infoCommand({ dataDir: program.opts().dataDir, json: o.json })),
    )

  return program
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok
  const program = buildProgram((c) => {
    code = c
  })
  for (const cmd of program.commands) cmd.exitOverride()
  try {
    if (argv.length === 0) {
      program.outputHelp()
      return EXIT.usage
    }
    await program.parseAsync(argv, { from: 'user' })
    return code
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      ) {
        return EXIT.ok
      }
      return EXIT.usage
    }
    if (err instanceof FerryError) {
      process.stderr.write(`ferry: ${err.message}\n`)
      return err.code === 'invalid_input' ? EXIT.usage : EXIT.failed
    }
    process.stderr.write(`ferry: ${(err as Error).message ?? String(err)}\n`)
    return EXIT.failed
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (err) => {
    process.stderr.write(`ferry: ${String(err)}\n`)
    process.exitCode = EXIT.failed
  },
)
