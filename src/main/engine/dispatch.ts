import { commands, isCommandName } from '../../shared/contract'
import { FerryError } from '../../shared/errors'
import type { Handlers } from './handlers'

/**
 * Validates an untrusted command name and input against the contract, then runs its handler. This is
 * the one place inputs are checked: a handler only ever sees parsed, typed input.
 */
export async function dispatch(handlers: Handlers, name: unknown, input: unknown): Promise<unknown> {
  if (!isCommandName(name))
    throw new FerryError('unknown_command', `Unknown command: ${JSON.stringify(name)}.`)
  const parsed = commands[name].input.safeParse(input === undefined ? {} : input)
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ')
    throw new FerryError('invalid_input', `Invalid input for ${name}: ${detail}`)
  }
  const handler = handlers[name] as (input: unknown) => unknown
  return handler(parsed.data)
}
