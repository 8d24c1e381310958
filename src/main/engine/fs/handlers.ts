import type { EngineContext } from '../context'
import type { Handler, HandlerGroup } from '../handlers'
import { preview } from '../queue/enqueue'
import { listFolder } from './list'
import { places } from './places'
import { scanFolder } from './scan'
import { rememberTransfer } from './recent'
import { statPaths } from './stat'

type FsCommands = 'fs.list' | 'fs.places' | 'fs.stat' | 'fs.scan' | 'queue.preview'

/** The folder browser's commands, and the preview of an enqueue (the drop sheet's). */
export function fsHandlers(ctx: EngineContext): HandlerGroup<FsCommands> {
  return {
    'fs.list': ({ path }) => listFolder(path),
    'fs.places': ({ near }) => places(ctx, near),
    'fs.stat': ({ paths }) => statPaths(paths),
    'fs.scan': ({ path, includeHidden }) => scanFolder(path, includeHidden),
    'queue.preview': (input) => preview(input, ctx.presets),
  }
}

/** queue.enqueue that remembers, once a copy, move or convert is queued, its sources and destination. */
export function rememberingTransfers(
  ctx: EngineContext,
  enqueue: Handler<'queue.enqueue'>,
): Handler<'queue.enqueue'> {
  return async (input) => {
    const result = await enqueue(input)
    if ('sources' in input) rememberTransfer(ctx.settings, input.sources, input.destination)
    return result
  }
}
