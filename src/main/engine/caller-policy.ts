import { FerryError } from '../../shared/errors'
import type { EngineContext } from './context'
import { realpathLoose } from './ops/fsutil'

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

/**
 * A delete is only ever inside a destination Ferry was given — a batch's destination (a copy, move,
 * convert or sync wrote there) or a profile's destination — whoever asks: no caller may name "/" as
 * the root to delete inside.
 */
export async function checkDeleteRoot(name: unknown, input: unknown, ctx: EngineContext): Promise<void> {
  if (name !== 'queue.enqueue') return
  const q = input as { mode?: unknown; root?: unknown } | undefined
  if (q?.mode !== 'delete' || typeof q.root !== 'string') return
  const given = new Set([...ctx.queue.destinationRoots(), ...ctx.profiles.list().map((p) => p.destination)])
  const real = await realpathLoose(q.root)
  for (const root of given) if ((await realpathLoose(root)) === real) return
  throw new FerryError(
    'invalid_input',
    `Refused: ${q.root} is not a destination Ferry was given (a copy's, a convert's or a sync profile's), so nothing is deleted there.`,
  )
}
