import type { CommandName, CommandOutput, ParsedInput } from '../../shared/contract'
import type { EngineContext } from './context'
import { convertHandlers } from './convert/handlers'
import { fsHandlers, rememberingTransfers } from './fs/handlers'
import { syncHandlers } from './sync/handlers'
import { queueHandlers } from './queue/handlers'
import { systemHandlers } from './system/handlers'

export type Handler<K extends CommandName> = (
  input: ParsedInput<K>,
) => Promise<CommandOutput<K>> | CommandOutput<K>
export type Handlers = { [K in CommandName]: Handler<K> }
export type HandlerGroup<K extends CommandName> = { [P in K]: Handler<P> }

/** The one handler table: every contract command has exactly one entry (the type checker says so). */
export function createHandlers(ctx: EngineContext): Handlers {
  const queue = queueHandlers(ctx)
  return {
    ...systemHandlers(ctx),
    ...queue,
    'queue.enqueue': rememberingTransfers(ctx, queue['queue.enqueue']),
    ...convertHandlers(ctx),
    ...syncHandlers(ctx),
    ...fsHandlers(ctx),
  }
}
