import { commandNames, commands, isCommandName } from '../../shared/contract'
import { FerryError } from '../../shared/errors'
import { checkInput, preview } from '../../shared/input-errors'
import type { Handlers } from './handlers'

/**
 * Validates an untrusted command name and input against the contract, then runs its handler. This is
 * the one place inputs are checked: a handler only ever sees parsed, typed input. A refusal is one
 * sentence naming the field and what it may be (src/shared/input-errors.ts), never zod's own words.
 */
export async function dispatch(
  handlers: Handlers,
  name: unknown,
  input: unknown,
  /** Rules over valid input that no schema can state (who may name which program, which root). */
  policy?: (name: string, input: unknown) => Promise<void>,
): Promise<unknown> {
  if (!isCommandName(name)) throw new FerryError('unknown_command', unknownCommand(name))
  const checked = checkInput(name, commands[name].input, input === undefined ? {} : input)
  if (!checked.success) throw new FerryError('invalid_input', checked.message)
  await policy?.(name, checked.data)
  const handler = handlers[name] as (input: unknown) => unknown
  return handler(checked.data)
}

/** `Unknown command "queue.lst" (queue commands: queue.enqueue, queue.list, …).`, never the name whole. */
function unknownCommand(name: unknown): string {
  if (name === undefined) return 'Unknown command: none was named (name one, e.g. "system.info").'
  if (typeof name !== 'string')
    return `Unknown command: a command is named by text, e.g. "system.info" (got ${preview(name)}).`
  const group = name.includes('.') ? name.slice(0, name.indexOf('.') + 1) : undefined
  const kin = group ? commandNames.filter((c) => c.startsWith(group)) : []
  const hint = kin.length
    ? ` (${group!.slice(0, -1)} commands: ${kin.join(', ')})`
    : ` (commands are named like "queue.list"; groups: ${[...new Set(commandNames.map((c) => c.split('.')[0]))].join(', ')})`
  return `Unknown command ${preview(name)}${hint}.`
}
