// The refusal sentences built from zod issues: literal schemas and inputs, literal expected messages.
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { commandNames } from '../../src/shared/contract'
import { FerryError } from '../../src/shared/errors'
import { checkInput, describeAllowed, preview } from '../../src/shared/input-errors'
import { dispatch } from '../../src/main/engine/dispatch'
import type { Handlers } from '../../src/main/engine/handlers'

/** The message for `input`, which the test expects `schema` to refuse. */
function refusal(schema: z.ZodType, input: unknown, command = 'test.cmd'): string {
  const r = checkInput(command, schema, input)
  if (r.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`)
  return r.message
}

const absolute = z
  .string()
  .min(1, 'a path is required')
  .refine((p) => !p.includes('\0'), 'a path may not contain a NUL byte')
  .refine((p) => p.startsWith('/'), 'the path must be absolute')

const list = z
  .object({
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).default(0),
    ratio: z.number().min(-1).max(10).optional(),
    sort: z.enum(['queue', 'newest', 'oldest']).default('queue'),
    label: z.string().max(200).optional(),
    code: z
      .string()
      .regex(/^[0-9a-f]{4}$/)
      .optional(),
    tags: z.array(z.string().max(8)).min(1).max(3).optional(),
    all: z.literal(true).optional(),
    channels: z
      .union([z.literal(1), z.literal(2)])
      .nullable()
      .optional(),
    flag: z.boolean().optional(),
    id: z.number().int().positive().optional(),
    nested: z
      .object({ every: z.number().int().min(5).max(60).nullable() })
      .strict()
      .optional(),
  })
  .strict()

describe('one plain sentence per refused field', () => {
  it('numbers: the range, whole or not, and what was given', () => {
    expect(refusal(list, { limit: 10000 }, 'queue.list')).toBe(
      'Invalid input for queue.list: "limit" must be a whole number from 1 to 1000 (got 10000).',
    )
    expect(refusal(list, { limit: 0 })).toContain('"limit" must be a whole number from 1 to 1000 (got 0)')
    expect(refusal(list, { limit: 2.5 })).toContain('"limit" must be a whole number from 1 to 1000 (got 2.5)')
    expect(refusal(list, { limit: '5' })).toContain('"limit" must be a whole number from 1 to 1000 (got "5")')
    expect(refusal(list, { ratio: 11 })).toContain('"ratio" must be a number from -1 to 10 (got 11)')
    expect(refusal(list, { offset: -1 })).toContain('"offset" must be a whole number of at least 0 (got -1)')
    expect(refusal(list, { id: 0 })).toContain('"id" must be a whole number of at least 1 (got 0)')
    // Past the safe integers, where the field sets no upper bound of its own.
    expect(refusal(list, { offset: 2 ** 60 })).toContain(
      `"offset" must be a whole number no larger than ${Number.MAX_SAFE_INTEGER} (got ${2 ** 60})`,
    )
    // What JSON.parse makes of 1e400.
    expect(refusal(list, { limit: Infinity })).toContain('(got Infinity)')
    expect(refusal(list, { ratio: NaN })).toContain('"ratio" must be a number from -1 to 10 (got NaN)')
    expect(refusal(list, { nested: { every: 1 } })).toContain(
      '"nested.every" must be a whole number from 5 to 60, or null (got 1)',
    )
  })

  it('text: length, pattern, type', () => {
    expect(refusal(list, { label: 'x'.repeat(201) })).toBe(
      'Invalid input for test.cmd: "label" must be text of at most 200 characters (got "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…", 201 characters).',
    )
    expect(refusal(list, { label: 7 })).toContain('"label" must be text of at most 200 characters (got 7)')
    expect(refusal(list, { code: 'zz' })).toContain('"code" must be text matching /^[0-9a-f]{4}$/ (got "zz")')
    expect(refusal(list, { label: null })).toContain('(got null)')
  })

  it('enums, literals and unions of literals list what is allowed', () => {
    expect(refusal(list, { sort: 'x' })).toContain(
      '"sort" must be one of "queue", "newest" or "oldest" (got "x")',
    )
    expect(refusal(list, { all: false })).toContain('"all" must be true (got false)')
    expect(refusal(list, { channels: 3 })).toContain('"channels" must be one of 1, 2 or null (got 3)')
    expect(refusal(list, { flag: 'yes' })).toContain('"flag" must be true or false (got "yes")')
  })

  it('lists: their size and their items, by index', () => {
    expect(refusal(list, { tags: [] })).toContain(
      '"tags" must be a list of 1 to 3 items, each text of at most 8 characters (got an empty list)',
    )
    expect(refusal(list, { tags: ['a', 'b', 'c', 'd'] })).toContain('(got a list of 4 items)')
    expect(refusal(list, { tags: ['ok', 'much too long'] })).toContain(
      '"tags[1]" must be text of at most 8 characters (got "much too long")',
    )
    expect(refusal(list, { tags: 'a' })).toContain('"tags" must be a list of 1 to 3 items')
  })

  it('unknown fields are named, with the fields allowed', () => {
    expect(refusal(z.object({ a: z.number(), b: z.string() }).strict(), { a: 1, b: 'x', foo: 1 })).toBe(
      'Invalid input for test.cmd: unknown field "foo" (allowed: "a" and "b").',
    )
    expect(refusal(list, { nested: { every: 5, x: 1, y: 2 } })).toContain(
      'unknown fields "x" and "y" in "nested" (allowed: "every")',
    )
    expect(refusal(z.object({}).strict(), { verbose: true }, 'system.info')).toBe(
      'Invalid input for system.info: system.info takes no fields (got field "verbose").',
    )
    expect(refusal(z.object({}).strict(), [1, 2], 'system.info')).toBe(
      'Invalid input for system.info: system.info takes no input: send {} or nothing (got a list of 2 items).',
    )
  })

  it('missing fields say what they must be', () => {
    const s = z.object({ name: z.string().max(10), when: z.number().int().min(0) }).strict()
    expect(refusal(s, { name: 'x' })).toBe(
      'Invalid input for test.cmd: "when" is required (a whole number of at least 0).',
    )
  })

  it('keeps the messages written into a schema, with the value when it is plain', () => {
    const s = z.object({ destination: absolute, sources: z.array(absolute).min(1, 'at least one source') })
    expect(refusal(s, { destination: 'music', sources: ['/a'] })).toBe(
      'Invalid input for test.cmd: "destination": the path must be absolute (got "music").',
    )
    expect(refusal(s, { destination: '/a\0b', sources: ['/a'] })).toContain(
      '"destination": a path may not contain a NUL byte (got "/a\\u0000b")',
    )
    // One problem per field: "" is both empty and relative; the first is enough.
    expect(refusal(s, { destination: '', sources: ['/a'] })).toBe(
      'Invalid input for test.cmd: "destination": a path is required (got "").',
    )
    expect(refusal(s, { destination: '/a', sources: [] })).toBe(
      'Invalid input for test.cmd: "sources": at least one source.',
    )
    const refined = z
      .object({ from: z.string().optional(), spec: z.object({}).optional() })
      .strict()
      .refine((v) => v.from !== undefined || v.spec !== undefined, { message: 'give a spec or a from.' })
    expect(refusal(refined, {})).toBe('Invalid input for test.cmd: give a spec or a from.')
  })

  it('a described schema is named by its description', () => {
    const s = z.object({ path: absolute.max(4096).describe('an absolute path of at most 4096 characters') })
    expect(refusal(s, { path: 5 })).toContain(
      '"path" must be an absolute path of at most 4096 characters (got 5)',
    )
    expect(refusal(s, {})).toContain('"path" is required (an absolute path of at most 4096 characters)')
  })

  it('a discriminated union names its discriminator, then the branch it picks', () => {
    const s = z.discriminatedUnion('mode', [
      z.object({ mode: z.enum(['copy', 'move']), to: absolute }).strict(),
      z.object({ mode: z.literal('echo'), count: z.number().int().min(1).max(9) }).strict(),
    ])
    expect(refusal(s, { mode: 'zip', to: '/x' })).toBe(
      'Invalid input for test.cmd: "mode" must be one of "copy", "move" or "echo" (got "zip").',
    )
    expect(refusal(s, { to: '/x' })).toContain('"mode" is required (one of "copy", "move" or "echo")')
    expect(refusal(s, { mode: 'echo', count: 10 })).toContain(
      '"count" must be a whole number from 1 to 9 (got 10)',
    )
    expect(refusal(s, { mode: 'copy', to: '/x', count: 1 })).toContain(
      'unknown field "count" (allowed: "mode" and "to")',
    )
    expect(refusal(s, [])).toContain(
      'the input must be an object whose "mode" is one of "copy", "move" or "echo" (got an empty list)',
    )
  })

  it('a union of objects follows the branch the input is closest to, or says what it takes', () => {
    const id = z.number().int().positive()
    const s = z.union([
      z.object({ taskId: id }).strict(),
      z.object({ batchId: id }).strict(),
      z.object({ all: z.literal(true) }).strict(),
    ])
    expect(refusal(s, { taskId: 'x' })).toBe(
      'Invalid input for test.cmd: "taskId" must be a whole number of at least 1 (got "x").',
    )
    expect(refusal(s, { all: false })).toContain('"all" must be true (got false)')
    expect(refusal(s, { taskId: 1, extra: 2 })).toContain('unknown field "extra" (allowed: "taskId")')
    expect(refusal(s, {})).toContain(
      'the input must be an object with exactly one of "taskId", "batchId" or "all" (got an empty object)',
    )
    expect(refusal(s, { taskId: 1, all: true })).toContain('exactly one of "taskId", "batchId" or "all"')
  })

  it('several problems: the first three, then a count', () => {
    expect(refusal(list, { limit: 0, offset: -1, sort: 'x', label: 1, flag: 2 }, 'queue.list')).toBe(
      'Invalid input for queue.list: "limit" must be a whole number from 1 to 1000 (got 0); ' +
        '"offset" must be a whole number of at least 0 (got -1); ' +
        '"sort" must be one of "queue", "newest" or "oldest" (got "x"); and 2 more problems.',
    )
  })

  it('stays short and free of zod jargon whatever the input', () => {
    const huge = '/' + 'a'.repeat(1 << 20)
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))
    let deep: unknown = {}
    for (let i = 0; i < 10_000; i++) deep = { a: deep }
    const inputs = [
      { label: huge },
      { tags: Array.from({ length: 100_000 }, () => huge.slice(0, 100)) },
      many,
      { nested: deep },
      deep,
      { [huge]: 1 },
      { limit: { toString: 'x' } },
      { __proto__: null, limit: 'x' },
      JSON.parse('{"__proto__": {"limit": 5}}'),
    ]
    for (const input of inputs) {
      const m = refusal(list, input)
      expect(m.length).toBeLessThan(400)
      expect(m).not.toMatch(
        /Too (big|small)|expected \w+, received|Invalid (input|option|string):|Unrecognized/,
      )
      expect(m).not.toContain('\n')
    }
  })
})

describe('the pieces', () => {
  it('preview never prints a value whole', () => {
    expect(preview('short')).toBe('"short"')
    expect(preview('y'.repeat(1000))).toBe(`"${'y'.repeat(32)}…", 1000 characters`)
    expect(preview([1, 2, 3])).toBe('a list of 3 items')
    expect(preview([1])).toBe('a list of 1 item')
    expect(preview({})).toBe('an empty object')
    expect(preview({ a: 1 })).toBe('an object')
    expect(preview(-0)).toBe('0')
    expect(preview(null)).toBe('null')
  })

  it('describeAllowed phrases each kind of schema', () => {
    expect(describeAllowed(z.number().int().min(-1000).max(1000).default(1))).toBe(
      'a whole number from -1000 to 1000',
    )
    expect(describeAllowed(z.number().max(3))).toBe('a number of at most 3')
    expect(describeAllowed(z.number().gt(0).lt(1))).toBe('a number between 0 and 1')
    expect(describeAllowed(z.string())).toBe('text')
    expect(describeAllowed(z.string().min(1))).toBe('non-empty text')
    expect(describeAllowed(z.string().min(2).max(9))).toBe('text of 2 to 9 characters')
    expect(describeAllowed(z.enum(['a', 'b']).optional())).toBe('"a" or "b"')
    expect(describeAllowed(z.array(z.enum(['x', 'y', 'z'])).max(6))).toBe(
      'a list of at most 6 items, each one of "x", "y" or "z"',
    )
    expect(describeAllowed(z.string().nullable())).toBe('text, or null')
    expect(describeAllowed(z.object({ a: z.number() }))).toBe('an object with the field "a"')
    expect(describeAllowed(z.object({}).strict())).toBe('an empty object')
    expect(
      describeAllowed(
        z
          .string()
          .regex(/^\w+$/)
          .transform((s) => s.length),
      ),
    ).toBe('text matching /^\\w+$/')
  })
})

describe('dispatch refuses in the same words, before any handler runs', () => {
  const handlers = Object.fromEntries(
    commandNames.map((n) => [
      n,
      () => {
        throw new Error(`${n} ran`)
      },
    ]),
  ) as unknown as Handlers
  const refused = async (name: unknown, input: unknown) => {
    const err = await dispatch(handlers, name, input).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FerryError)
    return err as FerryError
  }

  it('names the contract field, its range and the value given', async () => {
    const err = await refused('queue.list', { limit: 10000 })
    expect(err.code).toBe('invalid_input')
    expect(err.message).toBe(
      'Invalid input for queue.list: "limit" must be a whole number from 1 to 1000 (got 10000).',
    )
    expect(
      (await refused('queue.enqueue', { mode: 'copy', sources: ['/a'], destination: 'b' })).message,
    ).toBe('Invalid input for queue.enqueue: "destination": the path must be absolute (got "b").')
    expect((await refused('queue.enqueue', { mode: 'copy', sources: ['/a'] })).message).toBe(
      'Invalid input for queue.enqueue: "destination" is required (an absolute path of at most 4096 characters).',
    )
    expect((await refused('settings.set', { foo: 1 })).message).toBe(
      'Invalid input for settings.set: unknown field "foo" (allowed: "cache.maxBytes", "convert.stallSeconds", "workers.convert", "workers.transfer", "ffmpegPath", "ui.closeToTray", "ui.startAtLogin", "ui.notifications", "ui.theme" and "mountRoots").',
    )
  })

  it("an unknown command: its group's commands, or the groups; never the whole name", async () => {
    const lst = await refused('queue.lst', {})
    expect(lst.code).toBe('unknown_command')
    expect(lst.message).toMatch(
      /^Unknown command "queue.lst" \(queue commands: queue.enqueue, queue.preview, queue.list, /,
    )
    expect((await refused('nope', {})).message).toMatch(/^Unknown command "nope" \(commands are named like/)
    expect((await refused(42, {})).message).toBe(
      'Unknown command: a command is named by text, e.g. "system.info" (got 42).',
    )
    expect((await refused(undefined, {})).message).toBe(
      'Unknown command: none was named (name one, e.g. "system.info").',
    )
    expect((await refused('q'.repeat(1 << 20), {})).message.length).toBeLessThan(300)
  })
})
