import type { Command } from 'commander'
import type { ProfileAddOptions, ProfileSetOptions, SyncOptions } from '../commands/sync'
import type { CliContext } from './context'
import { collect, jsonOption, planOptions, profileRuleOptions, triggerOptions } from './options'

/** `ferry profile …`: sync profiles. */
export function register(program: Command, ctx: CliContext): void {
  const load = () => import('../commands/sync')
  const profile = program.command('profile').description('sync profiles')

  const add = profileRuleOptions(
    profile
      .command('add <name>')
      .description('add a profile')
      .requiredOption('-s, --source <dir>', 'a source folder (repeatable)', collect, [])
      .requiredOption('-d, --dest <dir>', 'the destination folder'),
    'conversion preset (default mp3-v0)',
  )
    .option('-i, --include <ext>', 'only this extension (repeatable)', collect, undefined)
    .option('-I, --exclude <ext>', 'leave this extension out (repeatable)', collect, undefined)
    .option('--glob <pattern>', 'only paths matching (repeatable)', collect, undefined)
    .option('--exclude-glob <pattern>', 'leave out paths matching (repeatable)', collect, undefined)
    .option('--hidden', 'include hidden files')
  triggerOptions(add, false).action(async (name: string, o: ProfileAddOptions) =>
    ctx.setCode(await (await load()).profileAdd(ctx.dataDir(), name, o)),
  )

  const set = profileRuleOptions(
    profile
      .command('set <name>')
      .description("change a profile's triggers (and preset, delete, naming, non-audio, playlists)"),
    'conversion preset',
  )
  triggerOptions(set, true).action(async (name: string, o: ProfileSetOptions) =>
    ctx.setCode(await (await load()).profileSet(ctx.dataDir(), name, o)),
  )

  jsonOption(profile.command('ls').description('list profiles')).action(async (o: { json?: boolean }) =>
    ctx.setCode(await (await load()).profileLs(ctx.dataDir(), o.json)),
  )
  jsonOption(
    profile
      .command('show <name>')
      .description("show a profile's settings, its triggers and what they did lately"),
    'print JSON (the profile, with triggerStatus)',
  ).action(async (name: string, o: { json?: boolean }) =>
    ctx.setCode(await (await load()).profileShow(ctx.dataDir(), name, o.json)),
  )
  profile
    .command('rm <name>')
    .description('remove a profile (the files on the device stay)')
    .action(async (name: string) => ctx.setCode(await (await load()).profileRm(ctx.dataDir(), name)))
  planOptions(profile.command('sync <name>').description('sync a profile now')).action(
    async (name: string, o: SyncOptions) =>
      ctx.setCode(await (await load()).profileSync(name, { ...o, dataDir: ctx.dataDir() })),
  )
}
