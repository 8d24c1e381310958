import type { Command } from 'commander'
import type { CliContext } from './context'
import { jsonOption } from './options'

export function register(program: Command, ctx: CliContext): void {
  const load = () => import('../commands/convert')
  const cache = program.command('cache').description('the transcode cache')
  jsonOption(cache.command('stats').description('entries, size and limit')).action(
    async (o: { json?: boolean }) => ctx.setCode(await (await load()).cacheStats(ctx.dataDir(), o.json)),
  )
  cache
    .command('clear')
    .description('remove every cached encode (but those queued tasks still need)')
    .action(async () => ctx.setCode(await (await load()).cacheClear(ctx.dataDir())))
  cache
    .command('limit <size>')
    .description('set the size limit, e.g. 2G, 500M, or 0 to turn the cache off')
    .action(async (size: string) => ctx.setCode(await (await load()).cacheLimit(ctx.dataDir(), size)))
}
