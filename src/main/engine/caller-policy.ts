import { FerryError } from '../../shared/errors'
import type { EngineContext } from './context'

/**
 * Who is calling: a local program holding the token or the engine's own process ('trusted': the
 * CLI, tests, the desktop app's main process), or a page ('page': the desktop renderer, a browser
 * tab with the web UI). A script that ever ran in a page must not get to choose a program the engine
 * will run.
 */
export type Caller = 'trusted' | 'page'

/**
 * What a page may not do that a trusted caller may: name a free path for a program (the ffmpeg
 * setting). A page may pick one of the ffmpeg builds the engine found itself, or go back to automatic.
 */
export async function checkCaller(
  caller: Caller,
  name: unknown,
  input: unknown,
  ctx: EngineContext,
): Promise<void> {
  if (caller === 'trusted' || name !== 'settings.set') return
  const path = (input as { ffmpegPath?: unknown } | undefined)?.ffmpegPath
  if (typeof path !== 'string') return
  const found = (await ctx.ffmpeg()).candidates.filter((c) => c.version !== null).map((c) => c.path)
  if (found.includes(path)) return
  throw new FerryError(
    'unauthorized',
    `A page cannot choose the program Ferry runs. Pick one of the ffmpeg builds Ferry found${found.length ? ` (${found.join(', ')})` : ''}, or set this path from the command line: ferry settings set ffmpegPath ${JSON.stringify(path)} (in the desktop app, Settings → Choose… asks you to confirm it).`,
  )
}
