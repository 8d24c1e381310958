import { Command, CommanderError, Option } from 'commander'
import { version } from '../../package.json'
import { FerryError } from '../shared/errors'
import type { CliContext } from './program/context'
import { register as registerCache } from './program/cache'
import { register as registerInfo } from './program/info'
import { register as registerPresets } from './program/presets'
import { register as registerProfile } from './program/profile'
import { register as registerQueue } from './program/queue'
import { register as registerScan } from './program/scan'
import { register as registerServe } from './program/serve'
import { register as registerSettings } from './program/settings'
import { register as registerSync } from './program/sync'
import { register as registerTransfer } from './program/transfer'

/** Exit codes: 0 done, 1 failed, 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

/**
 * Each command registers itself from its module in program/ (options, help, action); the action
 * loads the command's code from commands/ when it runs, so `ferry --help` and every command start
 * without loading the others. The order here is the order of `ferry --help`.
 */
const REGISTRATIONS = [
  registerServe,
  registerInfo,
  registerTransfer,
  registerSettings,
  registerPresets,
  registerSync,
  registerProfile,
  registerScan,
  registerCache,
  registerQueue,
]

export function buildProgram(setCode: (code: number) => void): Command {
  const program = new Command('ferry')
    .description('Ferry keeps a portable copy of a music library on a device.')
    .version(version, '-V, --version')
    .addOption(
      new Option('--data-dir <dir>', 'folder for the database and runtime files').env('FERRY_DATA_DIR'),
    )
    .showHelpAfterError('(run ferry --help for usage)')
    .exitOverride()
  const ctx: CliContext = { dataDir: () => program.opts().dataDir as string | undefined, setCode }
  for (const register of REGISTRATIONS) register(program, ctx)
  return program
}

export async function main(argv: string[]): Promise<number> {
  performance.mark('cli:loaded')
  if (process.env.FERRY_TRACE_STARTUP) process.once('exit', printMarks)
  let code: number = EXIT.ok
  const program = buildProgram((c) => {
    code = c
  })
  const override = (cmd: Command) => {
    cmd.exitOverride()
    cmd.commands.forEach(override)
  }
  override(program)
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
      // A wrong path, name or value on the command line: nothing was done.
      return err.code === 'invalid_input' || err.code === 'not_found' ? EXIT.usage : EXIT.failed
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

/**
 * FERRY_TRACE_STARTUP=1: where the command's time went, as milliseconds since the process started
 * (the marks the CLI and the engine set on the way), on stderr.
 */
function printMarks(): void {
  performance.mark('exit')
  const marks = performance.getEntriesByType('mark')
  process.stderr.write(`${marks.map((m) => `${m.name} ${m.startTime.toFixed(1)}`).join('\n')}\n`)
}
