// The one typed contract between the engine and every client (renderer, CLI, web UI).
// A command is an input schema (zod, validated once, in the engine's handler table) and an output
// type; an event is a payload type. Adding a command takes one entry here and one handler in the
// engine: the transports (IPC, WebSocket, in-process) carry names and values and know nothing else.
import { z } from 'zod'
import type { EngineLog, SystemInfo } from './model'

/** A command: its input schema, and its output type carried as a phantom. */
export interface CommandSpec<I extends z.ZodType, O> {
  input: I
  /** Never set: only here so the output type travels with the entry. */
  readonly output?: O
}

export interface EventSpec<P> {
  /**
   * Coalesced events are rate limited per client (at most 10 messages a second); only the latest
   * payload per key survives a window. Others are delivered as they happen.
   */
  coalesce: boolean
  readonly payload?: P
}

const command =
  <O>() =>
  <I extends z.ZodType>(input: I): CommandSpec<I, O> => ({ input })

const event = <P>(coalesce = false): EventSpec<P> => ({ coalesce })

/** An input that takes no fields: `{}` (or nothing at all); anything else is refused. */
const noInput = z.object({}).strict()

export const commands = {
  'system.info': command<SystemInfo>()(noInput),
} as const

export const events = {
  'engine.log': event<EngineLog>(),
} as const

export type Commands = typeof commands
export type CommandName = keyof Commands
export type CommandInput<K extends CommandName> = z.input<Commands[K]['input']>
export type ParsedInput<K extends CommandName> = z.output<Commands[K]['input']>
export type CommandOutput<K extends CommandName> =
  Commands[K] extends CommandSpec<z.ZodType, infer O> ? O : never

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<K extends EventName> = Events[K] extends EventSpec<infer P> ? P : never

export const commandNames = Object.keys(commands) as CommandName[]
export const eventNames = Object.keys(events) as EventName[]

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name)
}

/** Arguments of `invoke`: the input may be left out when the command takes none. */
export type InvokeArgs<K extends CommandName> =
  Record<string, never> extends CommandInput<K> ? [input?: CommandInput<K>] : [input: CommandInput<K>]

/**
 * What every client sees, whatever carries it: the preload's `window.ferry`, the WebSocket client,
 * or the engine itself in-process.
 */
export interface FerryApi {
  invoke<K extends CommandName>(name: K, ...args: InvokeArgs<K>): Promise<CommandOutput<K>>
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void
}
