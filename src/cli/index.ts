import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { delimiter } from 'node:path'
import { version } from '../../package.json'
import { FerryError } from '../shared/errors'
import type { CommandInput, FerryApi } from '../shared/contract'
import type { TransferOptions } from './commands/transfer'

// Commands load their modules when they run: `ferry settings` need not load `ferry sync`'s code, so
// every command starts as fast as it can.
const commands = {
  info: () => import('./commands/info'),
  queue: () => import('./commands/queue'),
  convert: () => import('./commands/convert'),
  serve: () => import('./commands/serve'),
  sync: () => import('./commands/sync'),
  scan: () => import('./commands/scan'),
  settings: () => import('./commands/settings'),
  transfer: () => import('./commands/transfer'),
}

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
    .version(version, '-V, --version')
    .addOption(
      new Option('--data-dir <dir>', 'folder for the database and runtime files').env('FERRY_DATA_DIR'),
    )
    .showHelpAfterError('(run ferry --help for usage)')
    .exitOverride()

  const dataDir = () => program.opts().dataDir as string | undefined

  program
    .command('serve')
    .description('run the engine with the web UI on 127.0.0.1 (prints the URL to open)')
    .option('-p, --port <n>', 'port to listen on (0 picks a free one)', port, 0)
    .option('--stop-with-stdin', 'stop when standard input closes (for supervisors and tests)')
    .action(async (o: { port: number; stopWithStdin?: boolean }) =>
      setCode(await (await commands.serve()).serveCommand({ dataDir: program.opts().dataDir, ...o })),
    )

  program
    .command('info')
    .description('show versions, folders and the ffmpeg in use (asks the running engine, if any)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) =>
      setCode(await (await commands.info()).infoCommand({ dataDir: program.opts().dataDir, json: o.json })),
    )

  const transfer = (name: 'cp' | 'mv' | 'convert', mode: 'copy' | 'move' | 'convert', what: string) =>
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
      .option('--priority <n>', 'lower runs first', integer, 100)
      .option('--enqueue-only', 'add to the queue and return at once')
      .option('-q, --quiet', 'no live display')
      .option('-v, --verbose', 'list what was left out or skipped, with why')
      .action(async (paths: string[], o: TransferOptions) => {
        if (paths.length < 2)
          throw new FerryError('invalid_input', `ferry ${name} needs at least one SRC and a DST.`)
        setCode(
          await (
            await commands.transfer()
          ).transferCommand(mode, paths, { ...o, dataDir: program.opts().dataDir }),
        )
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

  const settings = program
    .command('settings')
    .description('show the settings (ffmpeg path, workers, cache limit, stall time)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) =>
      setCode(await (await commands.settings()).settingsShow(dataDir(), o.json)),
    )
  settings
    .command('set <key> <value>')
    .description(
      `change one: ffmpegPath PATH|auto, workers.convert N, workers.transfer N, cache.maxBytes N, convert.stallSeconds N, mountRoots DIR${delimiter}DIR…|auto`,
    )
    .action(async (key: string, value: string) =>
      setCode(await (await commands.settings()).settingsSet(dataDir(), key, value)),
    )

  const presets = program.command('presets').description('conversion presets')
  presets
    .command('ls')
    .description('list presets')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) =>
      setCode(await (await commands.convert()).presetsLs(dataDir(), o.json)),
    )
  presets
    .command('show <name>')
    .description("show a preset's settings and the ffmpeg options it runs with")
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) =>
      setCode(await (await commands.convert()).presetsShow(dataDir(), name, o.json)),
    )

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
    )
    .option('-n, --dry-run', 'show the plan; write nothing')
    .option('-v, --verbose', 'list the plan entries')
    .option('--force', 'start even when the plan does not fit on the device')
    .option('--enqueue-only', 'add to the queue and return at once')
    .option('-q, --quiet', 'no live display')
    .action(async (paths: string[], o) =>
      setCode(await (await commands.sync()).syncCommand(paths, { ...o, dataDir: dataDir() })),
    )

  const profile = program.command('profile').description('sync profiles')
  const add = profile
    .command('add <name>')
    .description('add a profile')
    .requiredOption('-s, --source <dir>', 'a source folder (repeatable)', collect, [])
    .requiredOption('-d, --dest <dir>', 'the destination folder')
    .option('-p, --preset <name>', 'conversion preset (default mp3-v0)')
    .addOption(
      new Option('--delete <policy>', 'mirror deletions or never delete').choices(['mirror', 'never']),
    )
    .addOption(
      new Option('--naming <fs>', 'target filesystem names').choices(['fat32', 'exfat', 'ntfs', 'posix']),
    )
    .addOption(new Option('--non-audio <what>', 'non-audio files to copy').choices(['covers', 'all', 'none']))
    .addOption(new Option('--playlists <what>', 'playlists').choices(['rewrite', 'skip']))
    .option('-i, --include <ext>', 'only this extension (repeatable)', collect, undefined)
    .option('-I, --exclude <ext>', 'leave this extension out (repeatable)', collect, undefined)
    .option('--glob <pattern>', 'only paths matching (repeatable)', collect, undefined)
    .option('--exclude-glob <pattern>', 'leave out paths matching (repeatable)', collect, undefined)
    .option('--hidden', 'include hidden files')
  triggerOptions(add, false).action(async (name: string, o) =>
    setCode(await (await commands.sync()).profileAdd(dataDir(), name, o)),
  )
  const set = profile
    .command('set <name>')
    .description("change a profile's triggers (and preset, delete, naming, non-audio, playlists)")
    .option('-p, --preset <name>', 'conversion preset')
    .addOption(
      new Option('--delete <policy>', 'mirror deletions or never delete').choices(['mirror', 'never']),
    )
    .addOption(
      new Option('--naming <fs>', 'target filesystem names').choices(['fat32', 'exfat', 'ntfs', 'posix']),
    )
    .addOption(new Option('--non-audio <what>', 'non-audio files to copy').choices(['covers', 'all', 'none']))
    .addOption(new Option('--playlists <what>', 'playlists').choices(['rewrite', 'skip']))
  triggerOptions(set, true).action(async (name: string, o) =>
    setCode(await (await commands.sync()).profileSet(dataDir(), name, o)),
  )
  profile
    .command('ls')
    .description('list profiles')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) =>
      setCode(await (await commands.sync()).profileLs(dataDir(), o.json)),
    )
  profile
    .command('show <name>')
    .description("show a profile's settings, its triggers and what they did lately")
    .option('--json', 'print JSON (the profile, with triggerStatus)')
    .action(async (name: string, o: { json?: boolean }) =>
      setCode(await (await commands.sync()).profileShow(dataDir(), name, o.json)),
    )
  profile
    .command('rm <name>')
    .description('remove a profile (the files on the device stay)')
    .action(async (name: string) => setCode(await (await commands.sync()).profileRm(dataDir(), name)))
  profile
    .command('sync <name>')
    .description('sync a profile now')
    .option('-n, --dry-run', 'show the plan; write nothing')
    .option('-v, --verbose', 'list the plan entries')
    .option('--force', 'start even when the plan does not fit on the device')
    .option('--enqueue-only', 'add to the queue and return at once')
    .option('-q, --quiet', 'no live display')
    .action(async (name: string, o) =>
      setCode(await (await commands.sync()).profileSync(name, { ...o, dataDir: dataDir() })),
    )

  program
    .command('scan <dir>')
    .description('what a sync sees of a folder: a stat-only walk (files, folders, bytes, problems)')
    .option('--hidden', 'include hidden files')
    .option('--json', 'print JSON')
    .action(async (dir: string, o: { hidden?: boolean; json?: boolean }) =>
      setCode(await (await commands.scan()).scanCommand(dataDir(), dir, o)),
    )

  const cache = program.command('cache').description('the transcode cache')
  cache
    .command('stats')
    .description('entries, size and limit')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) =>
      setCode(await (await commands.convert()).cacheStats(dataDir(), o.json)),
    )
  cache
    .command('clear')
    .description('remove every cached encode (but those queued tasks still need)')
    .action(async () => setCode(await (await commands.convert()).cacheClear(dataDir())))
  cache
    .command('limit <size>')
    .description('set the size limit, e.g. 2G, 500M, or 0 to turn the cache off')
    .action(async (size: string) => setCode(await (await commands.convert()).cacheLimit(dataDir(), size)))

  const queue = program.command('queue').description('look at and steer the queue')
  queue
    .command('ls')
    .description('list tasks (queue order: running, pending, then finished)')
    .option('-s, --status <status>', 'only tasks in this state (repeatable)', collect, undefined)
    .option('-b, --batch <n>', 'only this batch', integer)
    .option('-n, --limit <n>', 'how many', integer, 50)
    .option('--offset <n>', 'skip this many', integer, 0)
    .option('--json', 'print JSON')
    .action(async (o) => setCode(await (await commands.queue()).queueLs({ ...o, dataDir: dataDir() })))
  queue
    .command('progress')
    .description('counts, bytes, rate, ETA and what each worker does')
    .option('-b, --batch <n>', 'only this batch', integer)
    .option('--json', 'print JSON')
    .action(async (o) => setCode(await (await commands.queue()).queueProgress({ ...o, dataDir: dataDir() })))
  queue
    .command('wait')
    .description('run the queue until nothing is pending (or watch the running engine do it)')
    .option('-b, --batch <n>', 'only this batch', integer)
    .option('-q, --quiet', 'no live display')
    .action(async (o) => setCode(await (await commands.queue()).queueWait({ ...o, dataDir: dataDir() })))
  /** A queue command that makes one change and reports it in one line. */
  const report = async (act: (api: FerryApi) => Promise<string>) =>
    setCode(await (await commands.queue()).queueAction(dataDir(), act))
  queue
    .command('pause')
    .description('stop starting tasks (running ones finish)')
    .option('--now', 'also stop running tasks; they go back to pending')
    .action((o: { now?: boolean }) =>
      report(async (api) => {
        await api.invoke('queue.pause', { now: o.now === true })
        return o.now ? 'Paused; running tasks stopped and requeued.' : 'Paused; running tasks will finish.'
      }),
    )
  queue
    .command('resume')
    .description('start tasks again')
    .action(() => report(async (api) => (await api.invoke('queue.resume'), 'Resumed.')))
  // retry and cancel take the same selection: one task id, --batch N, or --all.
  const bySelection = (
    name: 'retry' | 'cancel',
    description: string,
    all: string,
    act: (api: FerryApi, sel: CommandInput<'task.retry'>) => Promise<string>,
  ) =>
    queue
      .command(`${name} [id]`)
      .description(description)
      .option('-b, --batch <n>', 'a batch', integer)
      .option('--all', all)
      .action(async (id: string | undefined, o: { batch?: number; all?: boolean }) => {
        const { selector } = await commands.queue()
        if (id !== undefined && !/^\d+$/.test(id))
          throw new FerryError(
            'invalid_input',
            `A task id is a whole number, as ferry queue ls shows it (got "${id}").`,
          )
        const sel = selector(o, id === undefined ? undefined : Number(id))
        return report((api) => act(api, sel))
      })
  bySelection(
    'retry',
    'retry a failed or cancelled task, a batch (--batch), or all (--all)',
    'every failed or cancelled task',
    async (api, sel) => `${(await api.invoke('task.retry', sel)).retried} tasks back in the queue.`,
  )
  bySelection(
    'cancel',
    'cancel a task, a batch (--batch), or everything pending or running (--all)',
    'every pending or running task',
    async (api, sel) => `${(await api.invoke('task.cancel', sel)).cancelled} tasks cancelled.`,
  )
  queue
    .command('flush')
    .description('remove finished tasks from the list (default: ok and skip)')
    .option('--failed', 'also failed and cancelled ones')
    .action((o: { failed?: boolean }) =>
      report(async (api) => {
        const status = o.failed ? (['ok', 'skip', 'fail', 'cancelled'] as const) : (['ok', 'skip'] as const)
        const r = await api.invoke('queue.flush', { status: [...status] })
        return `${r.removed} finished tasks removed.`
      }),
    )

  return program
}

/** The sync triggers' flags of `profile add` and `profile set` (which can also turn them off). */
function triggerOptions(cmd: Command, canTurnOff: boolean): Command {
  cmd
    .option('--on-device', 'sync when the device appears (its marker under a mount root, or its folder)')
    .option('--on-change', 'sync when the library changes (once it has been quiet for a few seconds)')
    .option(
      '--every <minutes>',
      canTurnOff
        ? 'sync every N minutes while the device is there (0: off)'
        : 'sync every N minutes while the device is there',
      integer,
    )
  if (canTurnOff)
    cmd
      .option('--no-on-device', 'stop syncing when the device appears')
      .option('--no-on-change', 'stop syncing when the library changes')
  return cmd
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

function integer(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number.')
  return n
}

export async function main(argv: string[]): Promise<number> {
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
