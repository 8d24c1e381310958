// Hostile input at the boundary: a real `ferry serve`, a WebSocket client with the token, and for every
// contract command well over a hundred malformed inputs, generated from a table of mutations applied to
// a valid input of that command (wrong types, missing and extra fields, 1 MB strings, out-of-range and
// non-finite numbers, NUL bytes, relative and `..` paths, unknown enum values and command names, lists
// where objects go, nesting 100 000 deep). Each must be refused with one clear sentence (invalid_input,
// unknown_command or not_found; never internal, a stack trace or zod's own wording); the database and
// the folders stay exactly as they were; and the engine keeps answering throughout.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { z } from 'zod'
import { type CommandName, commandNames, commands } from '../../src/shared/contract'
import { type Served, startServe, tempDir } from '../helpers/ferry'

// --- the client -----------------------------------------------------------------------------------

interface Reply {
  ok: boolean
  value?: unknown
  error?: { name: string; code: string; message: string }
}

/** A WebSocket client that sends raw JSON text, many calls in flight at once. */
class Client {
  private next = 1
  private readonly waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>()
  closed?: string

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Reply & { type: string; id: number }
      if (msg.type !== 'result') return
      this.waiting.get(msg.id)?.resolve(msg)
      this.waiting.delete(msg.id)
    })
    ws.on('close', (code, reason) => {
      this.closed = `the engine closed the socket (${code} ${String(reason)})`
      for (const w of this.waiting.values()) w.reject(new Error(this.closed))
      this.waiting.clear()
    })
  }

  static open(s: Served): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws`, {
        headers: { authorization: `Bearer ${s.token}` },
        maxPayload: 64 * 1024 * 1024,
      })
      ws.once('open', () => resolve(new Client(ws)))
      ws.once('error', reject)
    })
  }

  /** One call; `input` is JSON text (or left out), `command` anything JSON can carry (or left out). */
  send(command: unknown, input?: string): Promise<Reply> {
    if (this.closed) return Promise.reject(new Error(this.closed))
    const id = this.next++
    const parts = [`"type":"invoke"`, `"id":${id}`]
    if (command !== undefined) parts.push(`"command":${JSON.stringify(command)}`)
    if (input !== undefined) parts.push(`"input":${input}`)
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.ws.send(`{${parts.join(',')}}`)
    })
  }

  async call(command: CommandName, input: unknown = {}): Promise<unknown> {
    const r = await this.send(command, JSON.stringify(input))
    if (!r.ok) throw new Error(`${command} failed: ${r.error?.code} ${r.error?.message}`)
    return r.value
  }

  close(): void {
    this.ws.close()
  }
}

// --- values the mutations use -----------------------------------------------------------------------

/** JSON text put into an input as it is: numbers JSON.stringify cannot write, nesting it would overflow on. */
class Raw {
  constructor(readonly text: string) {}
}

function toJson(value: unknown): string {
  const raws: string[] = []
  const text = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Raw ? `\u0001${raws.push(v.text) - 1}\u0001` : v,
  )
  return text.replace(/"\\u0001(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)]!)
}

/** An object with exactly these own fields, `__proto__` included (a literal would set the prototype). */
function record(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true })
  return o
}

const MB = 1 << 20
const BIG = 'x'.repeat(MB)
const BIG_PATH = '/' + 'a'.repeat(MB)
const DEEP = 100_000
const DEEP_OBJECT = new Raw('{"a":'.repeat(DEEP) + '{}' + '}'.repeat(DEEP))
const DEEP_LIST = new Raw('['.repeat(DEEP) + ']'.repeat(DEEP))

/** Values of every JSON type; a field gets those not of its own type. */
const ANY_TYPE: [string, unknown][] = [
  ['null', null],
  ['true', true],
  ['false', false],
  ['0', 0],
  ['-1', -1],
  ['1.5', 1.5],
  ['text', 'x'],
  ['empty text', ''],
  ['NUL', '\u0000'],
  ['empty list', []],
  ['list', [1, 'x']],
  ['empty object', {}],
  ['object', { a: 1 }],
  ['nested 100 000 deep object', DEEP_OBJECT],
  ['nested 100 000 deep list', DEEP_LIST],
]

const PATHS: [string, unknown][] = [
  ['relative path', 'Music/Albums'],
  ['.. path', '../../etc/passwd'],
  ['./ path', './x'],
  ['~ path', '~/Music'],
  ['drive-relative path', 'C:Music'],
  ['file URL', 'file:///etc/passwd'],
  ['empty path', ''],
  ['leading space', ' /tmp/x'],
  ['NUL in path', '/tmp/a\u0000b'],
  ['NUL only', '\u0000'],
  ['4097-character path', '/' + 'a'.repeat(4096)],
  ['1 MB path', BIG_PATH],
]

const NAMES: [string, unknown][] = [
  ['empty name', ''],
  ['blank name', ' '],
  ['..', '..'],
  ['../ name', '../etc'],
  ['slash in name', 'a/b'],
  ['NUL in name', 'x\u0000y'],
  ['newline', '\n'],
  ['100 characters', 'a'.repeat(100)],
  ['1 MB name', BIG],
]

/** Field names no command has. */
const EXTRA_KEYS = [
  'foo',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '',
  ' ',
  '\u0000',
  '../../etc/passwd',
  'k'.repeat(1000),
  'Ünïcödé',
  '$where',
  '0',
  'null',
  'undefined',
  'input',
  'command',
  'id',
]
const EXTRA_VALUES: unknown[] = [1, 'x', null, true, {}, []]

// --- reading the contract's schemas -------------------------------------------------------------------

interface Def {
  type: string
  [key: string]: unknown
}
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def
const checks = (s: z.ZodType) =>
  ((defOf(s).checks as { _zod: { def: Record<string, unknown> } }[] | undefined) ?? []).map((c) => c._zod.def)

/** The schema under optional/default/nullable/pipe wrappers, and whether it may be left out or null. */
function unwrap(s: z.ZodType): { schema: z.ZodType; optional: boolean; nullable: boolean } {
  let optional = false
  let nullable = false
  for (;;) {
    const def = defOf(s)
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') optional = true
    if (def.type === 'nullable') nullable = true
    if (['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch'].includes(def.type))
      s = def.innerType as z.ZodType
    else if (def.type === 'pipe') s = def.in as z.ZodType
    else return { schema: s, optional, nullable }
  }
}

function shapeOf(s: z.ZodType): Record<string, z.ZodType> {
  const def = defOf(unwrap(s).schema)
  return def.type === 'object' ? (def.shape as Record<string, z.ZodType>) : {}
}

function literalsOf(s: z.ZodType): unknown[] | undefined {
  const def = defOf(s)
  if (def.type === 'enum') return Object.values(def.entries as object)
  if (def.type === 'literal') return def.values as unknown[]
  if (def.type !== 'union') return undefined
  const all: unknown[] = []
  for (const o of def.options as z.ZodType[]) {
    const values = literalsOf(unwrap(o).schema)
    if (!values) return undefined
    all.push(...values)
  }
  return all
}

type Mutation = [label: string, value: unknown]

/** Values the field schema `s` must refuse, from what kind of field it is. */
function invalidValues(s: z.ZodType, depth = 0, current?: unknown): Mutation[] {
  const { schema, nullable } = unwrap(s)
  const def = defOf(schema)
  const out: Mutation[] = [] // what this kind of field refuses, then values of other types
  const others: Mutation[] = []
  const wrongType = (test: (v: unknown) => boolean) =>
    others.push(
      ...ANY_TYPE.filter(([, v]) => v instanceof Raw || test(v)).filter(([, v]) => !(nullable && v === null)),
    )
  const literals = literalsOf(schema)

  if (literals && literals.every((v) => typeof v === 'string')) {
    wrongType((v) => typeof v !== 'string')
    const first = literals[0] as string
    out.push(
      ['unknown value', 'nope'],
      ['upper case', first.toUpperCase()],
      ['trailing space', `${first} `],
      ['leading space', ` ${first}`],
      ['NUL after a value', `${first}\u0000`],
      ['__proto__', '__proto__'],
      ['constructor', 'constructor'],
      ['1 MB value', BIG],
    )
    if (!literals.includes('')) out.push(['empty', ''])
  } else if (literals) {
    wrongType((v) => !literals.includes(v))
    const numbers = literals.filter((v): v is number => typeof v === 'number')
    if (numbers.length)
      out.push(
        ['just above', Math.max(...numbers) + 1],
        ['just below', Math.min(...numbers) - 1],
        ['as text', String(numbers[0])],
        ['2^53', 2 ** 53],
        ['1e400', new Raw('1e400')],
      )
    else out.push(['as text', String(literals[0])])
  } else if (def.type === 'number') {
    wrongType((v) => typeof v !== 'number')
    const c = checks(schema)
    const int = c.some((k) => k.check === 'number_format')
    const min = c.find((k) => k.check === 'greater_than')
    const max = c.find((k) => k.check === 'less_than')
    if (min) out.push(['below the minimum', (min.value as number) - (min.inclusive ? 1 : 0)])
    if (max) out.push(['above the maximum', (max.value as number) + (max.inclusive ? 1 : 0)])
    if (int) out.push(['not whole', ((min?.value as number) ?? 0) + 1.5])
    out.push(
      ['1e400 (Infinity)', new Raw('1e400')],
      ['-1e400 (-Infinity)', new Raw('-1e400')],
      ['2^53', 2 ** 53],
      ['-(2^53)', -(2 ** 53)],
      ['MAX_VALUE', Number.MAX_VALUE],
      ['-MAX_VALUE', -Number.MAX_VALUE],
      ['"NaN"', 'NaN'],
      ['"Infinity"', 'Infinity'],
      ['number as text', '5'],
    )
  } else if (def.type === 'boolean') {
    wrongType((v) => typeof v !== 'boolean')
    out.push(['"true"', 'true'], ['"false"', 'false'], ['1', 1])
  } else if (def.type === 'string') {
    wrongType((v) => typeof v !== 'string')
    if (schema.safeParse('x').success) {
      const max = checks(schema).find((k) => k.check === 'max_length')?.maximum as number | undefined
      if (max !== undefined) out.push([`${max + 1} characters`, 'x'.repeat(max + 1)])
      out.push(['1 MB text', BIG])
    } else if (schema.safeParse('/tmp/x').success) out.push(...PATHS)
    else out.push(...NAMES)
  } else if (def.type === 'array') {
    wrongType((v) => !Array.isArray(v))
    const element = def.element as z.ZodType
    const valid = ['ok', 'copy', '/tmp/x', 'flac', 'Podcasts/**', 'x', 1, true].find(
      (v) => element.safeParse(v).success,
    )
    const c = checks(schema)
    const min = c.find((k) => k.check === 'min_length')?.minimum as number | undefined
    const max = c.find((k) => k.check === 'max_length')?.maximum as number | undefined
    if (min !== undefined && min > 0) out.push(['empty list', []])
    if (max !== undefined) out.push([`${max + 1} items`, Array<unknown>(max + 1).fill(valid)])
    out.push(['100 000 items', Array<unknown>(100_000).fill(valid)])
    out.push(['list in a list', [[valid]]], ['null item', [valid, null]])
    for (const [label, bad] of invalidValues(element, depth + 1).slice(0, 12))
      out.push([`item: ${label}`, [valid, bad]])
  } else if (def.type === 'object') {
    wrongType((v) => typeof v !== 'object' || v === null || Array.isArray(v))
    out.push(['unknown field inside', { nope: 1 }], ['list of objects', [{}]])
    if (depth === 0)
      for (const [key, field] of Object.entries(def.shape as Record<string, z.ZodType>))
        for (const [label, bad] of invalidValues(field, depth + 1).slice(0, 8))
          out.push([`${key}: ${label}`, record([...Object.entries(current ?? {}), [key, bad]])])
  } else {
    wrongType(() => true)
  }
  return [...out, ...others]
}

// --- the cases ------------------------------------------------------------------------------------

type Expect = 'invalid_input' | 'unknown_command' | 'refused'

interface Case {
  /** The contract command the case is counted under. */
  command: string
  /** The command name as sent (left out when undefined and `noCommand`). */
  sent: unknown
  noCommand?: boolean
  label: string
  /** JSON text of the input; undefined leaves it out. */
  input?: string
  expect: Expect
  /** A field (or other words) the message must name. */
  names?: string
}

describe('hostile input over the WebSocket', () => {
  const dir = tempDir('ferry-hostile-')
  const data = join(dir.path, 'data')
  const SRC = join(dir.path, 'library')
  const DST = join(dir.path, 'card')
  const ROOT = join(dir.path, 'device')
  const OUT = join(dir.path, 'out')

  /** A valid input per command (several for unions): each mutation changes one thing in one of them. */
  const BASES: Partial<Record<CommandName, Record<string, unknown>[]>> = {
    'queue.enqueue': [
      { mode: 'copy', sources: [SRC], destination: OUT },
      { mode: 'convert', sources: [SRC], destination: OUT, preset: 'mp3-v0', removeArt: false },
      { mode: 'delete', paths: [join(ROOT, 'old.mp3')], root: ROOT },
      { mode: 'echo', count: 1, ms: 0, message: 'm', lane: 'transfer', maxAttempts: 1 },
    ],
    'queue.list': [{ status: ['ok'], batchId: 1, offset: 0, limit: 10, sort: 'newest' }],
    'queue.batches': [{ limit: 5 }],
    'queue.progress': [{ batchId: 1 }],
    'queue.pause': [{ now: false }],
    'batch.pause': [{ batchId: 1 }],
    'batch.resume': [{ batchId: 1 }],
    'queue.flush': [{ status: ['ok'] }],
    'task.get': [{ taskId: 1 }],
    'task.cancel': [{ taskId: 1 }, { batchId: 1 }, { all: true }],
    'task.retry': [{ taskId: 1 }, { batchId: 1 }, { all: true }],
    'task.setPriority': [{ taskId: 1, priority: 5 }],
    'presets.get': [{ name: 'mp3-v0' }],
    'presets.create': [{ name: 'fresh', description: 'd', spec: { codec: 'mp3', mode: 'vbr', quality: 2 } }],
    'presets.update': [{ name: 'mine', description: 'd', spec: { quality: 3 } }],
    'presets.delete': [{ name: 'mine', force: false }],
    'profiles.get': [{ name: 'card' }],
    'profiles.create': [{ name: 'fresh', sources: [SRC], destination: join(dir.path, 'card2') }],
    'profiles.update': [{ name: 'card', naming: 'posix' }],
    'profiles.delete': [{ name: 'card' }],
    'sync.plan': [{ profile: 'card', offset: 0, limit: 10 }],
    'sync.run': [{ profile: 'card', dryRun: true }],
    'settings.set': [{ 'workers.convert': 2 }],
    'queue.preview': [
      { mode: 'copy', sources: [SRC], destination: OUT, overwrite: 'skip', include: ['flac'] },
      { mode: 'convert', sources: [SRC], destination: OUT, preset: 'mp3-v0', removeArt: false },
    ],
    'fs.list': [{ path: SRC }],
    'fs.places': [{ near: ['Album'] }],
    'fs.stat': [{ paths: [SRC] }],
    'fs.scan': [{ path: SRC, includeHidden: false }],
    'convert.args': [{ preset: 'mp3-v0', removeArt: false }],
  }
  const basesOf = (c: CommandName) => BASES[c] ?? [{}]

  /** Valid in shape, refused by the engine: `..` paths that leave their folder, names of nothing. */
  const REFUSED: [CommandName, unknown][] = [
    ['queue.enqueue', { mode: 'copy', sources: [`${SRC}/../nope`], destination: OUT }],
    ['queue.enqueue', { mode: 'copy', sources: [`${SRC}/nope/..`], destination: OUT }],
    ['queue.enqueue', { mode: 'move', sources: [SRC], destination: `${SRC}/../library/inner` }],
    ['queue.enqueue', { mode: 'copy', sources: [SRC], destination: `${SRC}/x/../inner` }],
    ['queue.enqueue', { mode: 'copy', sources: [SRC], destination: `${DST}/..` }],
    ['queue.enqueue', { mode: 'convert', sources: [SRC], destination: OUT, preset: 'no-such' }],
    ['queue.enqueue', { mode: 'delete', paths: [`${ROOT}/../library/a.flac`], root: ROOT }],
    ['queue.enqueue', { mode: 'delete', paths: [`${ROOT}/x/../../library`], root: ROOT }],
    ['queue.enqueue', { mode: 'delete', paths: [ROOT], root: ROOT }],
    ['task.get', { taskId: 999_999 }],
    ['task.get', { taskId: Number.MAX_SAFE_INTEGER }],
    ['task.setPriority', { taskId: 999_999, priority: 1 }],
    ['presets.get', { name: 'no-such' }],
    ['convert.args', { preset: 'no-such' }],
    ['fs.scan', { path: `${SRC}/nope` }],
    ['fs.scan', { path: `${SRC}/../nope` }],
    ['presets.update', { name: 'no-such', description: 'x' }],
    ['presets.update', { name: 'mp3-v0', description: 'x' }],
    ['presets.update', { name: 'mine', rename: 'mp3-v0' }],
    ['presets.update', { name: 'mine', spec: { codec: 'opus', quality: 2 } }],
    ['presets.delete', { name: 'no-such' }],
    ['presets.delete', { name: 'mp3-v0' }],
    ['presets.create', { name: 'mine', from: 'mp3-v0' }],
    ['presets.create', { name: 'other', from: 'no-such' }],
    ['presets.create', { name: 'other', spec: { codec: 'flac', bitrate: 320 } }],
    ['profiles.get', { name: 'no such' }],
    ['profiles.update', { name: 'no such', naming: 'posix' }],
    ['profiles.update', { name: 'card', preset: 'no-such' }],
    ['profiles.delete', { name: 'no such' }],
    ['profiles.create', { name: 'card', sources: [SRC], destination: join(dir.path, 'card3') }],
    ['profiles.create', { name: 'other', preset: 'no-such', sources: [SRC], destination: OUT }],
    ['sync.plan', { profile: 'no such' }],
    ['sync.plan', { profile: 'card', planId: '0123456789ab' }],
    ['sync.run', { profile: 'no such' }],
  ]

  function buildCases(): Case[] {
    const cases: Case[] = []
    const add = (c: Omit<Case, 'sent'> & { sent?: unknown }) => cases.push({ sent: c.command, ...c })
    for (const command of commandNames) {
      const schema = commands[command].input as z.ZodType
      const bases = basesOf(command)
      // Not an object at all.
      const whole: Mutation[] = [
        ...ANY_TYPE.filter(([, v]) => !(typeof v === 'object' && v !== null && !Array.isArray(v))),
        ['the input in a list', [bases[0]]],
        ['list of objects', [{}, {}]],
        ['1 MB text', BIG],
        ['1e400', new Raw('1e400')],
        ['nested 100 000 deep object', record([['a', DEEP_OBJECT]])],
        ['10 000 unknown fields', Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`f${i}`, i]))],
        ['a 1 MB field name', record([[BIG, 1]])],
      ]
      for (const [label, v] of whole)
        add({ command, label: `input: ${label}`, input: toJson(v), expect: 'invalid_input' })

      for (const [b, base] of bases.entries()) {
        const at = bases.length > 1 ? ` (input ${b + 1})` : ''
        const shape = shapeOf(branchFor(schema, base))
        // Fields no command has, and near misses of this one's.
        const extras: [string, unknown][] = EXTRA_KEYS.flatMap((k) =>
          EXTRA_VALUES.map((v) => [k, v] as [string, unknown]),
        )
        for (const k of Object.keys(shape))
          extras.push([k.toUpperCase(), base[k] ?? 1], [`${k} `, base[k] ?? 1], [` ${k}`, base[k] ?? 1])
        for (const [k, v] of extras) {
          if (Object.hasOwn(shape, k)) continue
          add({
            command,
            label: `extra field ${JSON.stringify(k.slice(0, 20))}: ${JSON.stringify(v)}${at}`,
            input: toJson(record([...Object.entries(base), [k, v]])),
            expect: 'invalid_input',
            names: 'unknown field',
          })
        }
        // Each field: left out (when required), and every value its kind refuses.
        for (const [key, field] of Object.entries(shape)) {
          const { optional } = unwrap(field)
          if (!optional && key in base) {
            const rest = Object.entries(base).filter(([k]) => k !== key)
            add({
              command,
              label: `missing "${key}"${at}`,
              input: toJson(record(rest)),
              expect: 'invalid_input',
              names: `"${key}`,
            })
          }
          for (const [label, bad] of invalidValues(field, 0, base[key])) {
            const entries = Object.entries(base).filter(([k]) => k !== key)
            add({
              command,
              label: `"${key}": ${label}${at}`,
              input: toJson(record([...entries, [key, bad]])),
              expect: 'invalid_input',
              names: `"${key}`,
            })
          }
        }
      }
      // The command's name, nearly.
      const [group, verb] = command.split('.') as [string, string]
      const near = [
        `${command} `,
        ` ${command}`,
        command.toUpperCase(),
        `${command}\u0000`,
        `${command}.x`,
        `${group}/${verb}`,
        `${group}_${verb}`,
        `${group}.`,
        `.${verb}`,
        `${command}${command}`,
      ]
      for (const name of near)
        add({
          command,
          sent: name,
          label: `command ${JSON.stringify(name)}`,
          input: toJson(bases[0]),
          expect: 'unknown_command',
        })
    }
    for (const [command, input] of REFUSED)
      add({
        command,
        label: `refused by the engine: ${JSON.stringify(input)}`,
        input: toJson(input),
        expect: 'refused',
      })
    // Names that are no command at all, counted apart.
    const names: unknown[] = [42, null, true, [], ['system.info'], {}, { name: 'system.info' }, '', 'nope']
    names.push('__proto__', 'constructor', 'toString', 'hasOwnProperty', BIG, 'system.info\n', 'system..info')
    for (const sent of names)
      add({
        command: '(no command)',
        sent,
        label: `command ${JSON.stringify(sent)?.slice(0, 40)}`,
        input: '{}',
        expect: 'unknown_command',
      })
    add({
      command: '(no command)',
      sent: undefined,
      noCommand: true,
      label: 'no command field',
      input: '{}',
      expect: 'unknown_command',
    })
    return cases
  }

  function ok(s: z.ZodType, input: unknown): boolean {
    return s.safeParse(input).success
  }

  /** The branch of a union that `base` is valid for (the schema itself when it is no union). */
  function branchFor(schema: z.ZodType, base: unknown): z.ZodType {
    const def = defOf(unwrap(schema).schema)
    if (def.type !== 'union') return schema
    return (def.options as z.ZodType[]).find((o) => ok(o, base)) ?? schema
  }

  let served: Served
  let client: Client
  beforeAll(async () => {
    mkdirSync(join(SRC, 'Album'), { recursive: true })
    writeFileSync(join(SRC, 'Album', 'a.flac'), 'not really flac')
    mkdirSync(DST, { recursive: true })
    mkdirSync(join(ROOT, 'Music'), { recursive: true })
    writeFileSync(join(ROOT, 'old.mp3'), 'old')
  })
  afterAll(async () => {
    client?.close()
    await served?.stop()
    dir.remove()
  })

  /** Every row of every table, read with the engine stopped (it holds the database exclusively). */
  function dumpDatabase(): Record<string, string[]> {
    const db = new Database(join(data, 'ferry.db'), { readonly: true, fileMustExist: true })
    try {
      const tables = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
        .all() as { name: string }[]
      return Object.fromEntries(
        tables.map(({ name }) => {
          const rows = db.prepare(`SELECT * FROM "${name}"`).all()
          return [name, rows.map((r) => JSON.stringify(r)).sort()]
        }),
      )
    } finally {
      db.close()
    }
  }

  /** Everything under the test folder but the engine's own data folder: names, sizes. */
  function listFiles(): string[] {
    const out: string[] = []
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name)
        if (p === data) continue
        out.push(p)
        if (e.isDirectory()) walk(p)
      }
    }
    walk(dir.path)
    return out.sort()
  }

  async function apiState(c: Client) {
    const progress = (await c.call('queue.progress')) as { paused: boolean; counts: unknown; total: number }
    return {
      tasks: await c.call('queue.list', { limit: 1000 }),
      batches: await c.call('queue.batches', { limit: 1000 }),
      progress: { paused: progress.paused, counts: progress.counts, total: progress.total },
      profiles: await c.call('profiles.list'),
      presets: await c.call('presets.list'),
      settings: await c.call('settings.get'),
      cache: await c.call('cache.stats'),
    }
  }

  it('refuses every malformed input clearly, changes nothing and keeps serving', async () => {
    const started = Date.now()
    // Something to change: a paused queue with pending tasks, a preset, a profile, a setting.
    served = await startServe(data)
    client = await Client.open(served)
    await client.call('queue.pause')
    await client.call('queue.enqueue', { mode: 'echo', count: 3, label: 'waiting' })
    await client.call('presets.create', { name: 'mine', spec: { codec: 'mp3', mode: 'vbr', quality: 2 } })
    await client.call('profiles.create', { name: 'card', sources: [SRC], destination: DST })
    await client.call('settings.set', { 'workers.convert': 3 })
    client.close()
    await served.stop()
    const dbBefore = dumpDatabase()
    const filesBefore = listFiles()

    served = await startServe(data)
    client = await Client.open(served)
    const stateBefore = await apiState(client)

    const cases = buildCases()
    // Every base is valid (so each mutation changes one thing), and the contract itself refuses every
    // mutation meant to be refused: nothing with a side effect is ever sent.
    for (const c of commandNames)
      for (const base of basesOf(c))
        expect(ok(commands[c].input as z.ZodType, base), `${c} ${JSON.stringify(base)}`).toBe(true)
    const accepted = cases
      .filter((c) => c.expect === 'invalid_input')
      .filter((c) =>
        ok(
          commands[c.command as CommandName].input as z.ZodType,
          c.input === undefined ? {} : JSON.parse(c.input),
        ),
      )
      .map((c) => `${c.command} ${c.label}`)
    expect(accepted, 'mutations the contract accepts').toEqual([])
    const refusedShapes = cases
      .filter((c) => c.expect === 'refused')
      .filter((c) => !ok(commands[c.command as CommandName].input as z.ZodType, JSON.parse(c.input!)))
      .map((c) => c.label)
    expect(refusedShapes, 'engine-refused cases must be valid in shape').toEqual([])

    const counts = new Map<string, number>()
    for (const c of cases) counts.set(c.command, (counts.get(c.command) ?? 0) + 1)
    for (const name of commandNames) expect(counts.get(name) ?? 0, name).toBeGreaterThanOrEqual(100)

    const JARGON =
      /Too (big|small)|expected \w+, received|Invalid (input|option|string|discriminator):|Unrecognized key|must match pattern|Zod|SqliteError|TypeError|RangeError|\bat \S+ \(|node:internal|\.(js|ts):\d+/
    const problems: string[] = []
    const check = (c: Case, r: Reply) => {
      const what = `${c.command} — ${c.label}`
      if (r.ok) return problems.push(`${what}: accepted (${toJson(r.value).slice(0, 200)})`)
      const e = r.error!
      const codes = c.expect === 'refused' ? ['invalid_input', 'not_found'] : [c.expect]
      if (!codes.includes(e.code)) problems.push(`${what}: code ${e.code}: ${e.message.slice(0, 300)}`)
      if (e.name !== 'FerryError') problems.push(`${what}: error named ${e.name}`)
      if (typeof e.message !== 'string' || e.message.length > 500 || e.message.includes('\n'))
        problems.push(`${what}: message not one short line (${String(e.message).length} characters)`)
      else if (JARGON.test(e.message)) problems.push(`${what}: jargon: ${e.message}`)
      else if (c.names && !e.message.includes(c.names) && !/takes no (fields|input)/.test(e.message))
        problems.push(`${what}: message does not name ${c.names}: ${e.message}`)
      return undefined
    }

    const BATCH = 100
    for (let i = 0; i < cases.length; i += BATCH) {
      const batch = cases.slice(i, i + BATCH)
      const replies = await Promise.all(
        batch.map((c) => client.send(c.noCommand ? undefined : c.sent, c.input)),
      )
      batch.forEach((c, j) => check(c, replies[j]!))
      // Still serving after every hundred.
      const info = (await client.call('system.info')) as { engineKind: string }
      expect(info.engineKind).toBe('serve')
    }
    expect(problems).toEqual([])
    expect(client.closed).toBeUndefined()

    expect(await apiState(client)).toEqual(stateBefore)
    expect(served.child.exitCode).toBeNull()
    client.close()
    await served.stop()
    expect(dumpDatabase()).toEqual(dbBefore)
    expect(listFiles()).toEqual(filesBefore)

    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    const perCommand = commandNames.map((n) => counts.get(n)!)
    console.log(
      `hostile input: ${cases.length} refused in ${seconds} s; per command ${Math.min(...perCommand)}–${Math.max(...perCommand)}`,
    )
  })
})
