import { type Command, InvalidArgumentError, Option } from 'commander'

/** An option that may be given several times: each value is added to the list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value]
}

export function integer(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number.')
  return n
}

export function port(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is a whole number 0–65535.')
  return n
}

/** `--json`, which most commands that show something take. */
export function jsonOption(cmd: Command, description = 'print JSON'): Command {
  return cmd.option('--json', description)
}

/** The profile's rules that `profile add` and `profile set` both take. */
export function profileRuleOptions(cmd: Command, presetDescription: string): Command {
  return cmd
    .option('-p, --preset <name>', presetDescription)
    .addOption(
      new Option('--delete <policy>', 'mirror deletions or never delete').choices(['mirror', 'never']),
    )
    .addOption(
      new Option('--naming <fs>', 'target filesystem names').choices(['fat32', 'exfat', 'ntfs', 'posix']),
    )
    .addOption(new Option('--non-audio <what>', 'non-audio files to copy').choices(['covers', 'all', 'none']))
    .addOption(new Option('--playlists <what>', 'playlists').choices(['rewrite', 'skip']))
}

/** The sync triggers' flags of `profile add` and `profile set` (which can also turn them off). */
export function triggerOptions(cmd: Command, canTurnOff: boolean): Command {
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

/** The flags of a command that enqueues and then shows the batch until it ends. */
export function followOptions(cmd: Command): Command {
  return cmd
    .option('--enqueue-only', 'add to the queue and return at once')
    .option('-q, --quiet', 'no live display')
}

/** The flags of `sync` and `profile sync`: show the plan, or run it. */
export function planOptions(cmd: Command): Command {
  return followOptions(
    cmd
      .option('-n, --dry-run', 'show the plan; write nothing')
      .option('-v, --verbose', 'list the plan entries')
      .option('--force', 'start even when the plan does not fit on the device'),
  )
}
