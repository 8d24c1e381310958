// Turns a refused input into one sentence a user can act on: which field, what it may be, what it was.
// Zod's own messages ("Too big: expected number to be <=1000") name neither the field nor the whole
// rule; here each issue is phrased from its code and from the schema of the field it is about. A
// message written into the schema itself (`.refine(…, 'the path must be absolute')`) is kept as it is.
//
// Nothing here walks the input beyond the paths zod reports, and no value is ever printed whole: a
// hostile input (a 1 MB string, a list of 100 000 items, objects nested 10 000 deep) gets a short reply.
import { z } from 'zod'

/** Marks the issues that carry zod's default message (so that messages set in a schema are kept). */
const DEFAULT = '\u0000default'
/** At most this many problems are spelled out; the rest are counted. */
const MAX_PROBLEMS = 3

type Issue = z.core.$ZodIssue
type Path = readonly PropertyKey[]

export type InputCheck<T> = { success: true; data: T } | { success: false; message: string }

/**
 * Parses `input` with `schema`. On failure the message is one sentence, e.g.
 * `Invalid input for queue.list: "limit" must be a whole number from 1 to 1000 (got 10000).`
 */
export function checkInput<S extends z.ZodType>(
  command: string,
  schema: S,
  input: unknown,
): InputCheck<z.output<S>> {
  const parsed = schema.safeParse(input, { error: () => DEFAULT })
  if (parsed.success) return { success: true, data: parsed.data }
  return { success: false, message: inputErrorMessage(command, schema, input, parsed.error.issues) }
}

/** The sentence for a failed parse of `input` against `schema`. */
export function inputErrorMessage(
  command: string,
  schema: z.ZodType,
  input: unknown,
  issues: readonly Issue[],
): string {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const issue of issues) {
    const key = pathKey(issue.path)
    if (seen.has(key)) continue // one problem per field: "" is both empty and not absolute
    seen.add(key)
    problems.push(describeIssue(command, { schema, value: input, path: [] }, issue))
  }
  const shown = problems.slice(0, MAX_PROBLEMS)
  const more = problems.length - shown.length
  const tail = more > 0 ? `; and ${more} more ${more === 1 ? 'problem' : 'problems'}` : ''
  return `Invalid input for ${command}: ${shown.join('; ')}${tail}.`
}

/** Where an issue's path starts: the whole input, or a union's branch inside it. */
interface Base {
  schema: z.ZodType
  value: unknown
  path: Path
}

function describeIssue(command: string, base: Base, issue: Issue): string {
  const path = [...base.path, ...issue.path]
  const field = path.length ? quote(fieldName(path)) : ''
  const schema = schemaAt(base.schema, issue.path, base.value)
  const value = valueAt(base.value, issue.path)
  const got = value.present ? ` (got ${preview(value.value)})` : ''
  const custom = issue.message !== DEFAULT ? issue.message.replace(/\.$/, '') : undefined

  if (issue.code === 'unrecognized_keys') {
    const keys = listed(
      issue.keys.map((k) => quote(k)),
      'and',
    )
    const word = issue.keys.length === 1 ? 'field' : 'fields'
    const allowed = schema ? objectKeys(schema) : []
    if (!field && allowed.length === 0) return `${command} takes no fields (got ${word} ${keys})`
    const hint = allowed.length ? ` (allowed: ${listed(allowed.map(quote), 'and', 16)})` : ''
    return `unknown ${word} ${keys}${field ? ` in ${field}` : ''}${hint}`
  }
  if (issue.code === 'invalid_union') {
    if (issue.discriminator !== undefined && issue.errors.length === 0) {
      // The path names the discriminator; the value there is the object that holds it.
      const holder = valueAt(base.value, issue.path.slice(0, -1))
      const d = valueAt(holder.value, [issue.discriminator])
      const options = oneOf(('options' in issue ? issue.options : undefined) ?? [])
      const name = quote(fieldName([...base.path, ...issue.path.slice(0, -1), issue.discriminator]))
      if (!isRecord(holder.value)) return `${field || 'the input'} must be an object${got}`
      return d.present
        ? `${name} must be ${options} (got ${preview(d.value)})`
        : `${name} is required (${options})`
    }
    const k = closestBranch(issue, value)
    const at = schemaAt(base.schema, issue.path, base.value, false)
    const union = at && core(at).schema
    const options = union && defOf(union).type === 'union' ? (defOf(union).options as z.ZodType[]) : []
    const branch = k === undefined ? undefined : options[k]
    const first = k === undefined ? undefined : issue.errors[k]?.[0]
    if (branch && first) return describeIssue(command, { schema: branch, value: value.value, path }, first)
  }

  if (custom !== undefined) {
    // A list or an object is not shown: the message says what in it is wrong.
    const plain = value.present && (typeof value.value !== 'object' || value.value === null)
    return field ? `${field}: ${custom}${plain ? got : ''}` : custom
  }
  if (!value.present && path.length) {
    return `${field} is required${schema ? ` (${describeAllowed(schema)})` : ''}`
  }
  if (!path.length && schema && isEmptyObject(schema)) {
    return `${command} takes no input: send {} or nothing${got}`
  }
  const subject = field || 'the input'
  if (!schema) return `${subject} is not valid${got}`
  if ((issue.code === 'too_big' || issue.code === 'too_small') && issue.origin === 'int') {
    // Past the safe integer range, in a field that sets no bound of its own on that side.
    const [min, max] = numberBounds(core(schema).schema)
    if (issue.code === 'too_big' && max === undefined)
      return `${subject} must be a whole number no larger than ${Number.MAX_SAFE_INTEGER}${got}`
    if (issue.code === 'too_small' && min === undefined)
      return `${subject} must be a whole number no smaller than ${Number.MIN_SAFE_INTEGER}${got}`
  }
  return `${subject} must be ${describeAllowed(schema)}${got}`
}

/**
 * Of a union's branches, the one the input was most likely meant for: the only one with the fewest
 * problems, not counting branches whose very shape (object, list, text…) is wrong. None when it is a
 * tie: the sentence then says what the union allows.
 */
function closestBranch(
  issue: Issue & { code: 'invalid_union' },
  value: { present: boolean },
): number | undefined {
  if (!value.present) return undefined
  const scored = issue.errors
    .map((issues, index) => ({ index, count: issues.length, wrongShape: issues.some(isShapeIssue) }))
    .filter((b) => b.count > 0 && !b.wrongShape)
  if (!scored.length) return undefined
  const fewest = Math.min(...scored.map((b) => b.count))
  const best = scored.filter((b) => b.count === fewest)
  return best.length === 1 ? best[0]!.index : undefined
}

const isShapeIssue = (i: Issue) =>
  i.path.length === 0 &&
  (i.code === 'invalid_type' || i.code === 'invalid_value' || i.code === 'invalid_union')

// --- what a schema allows, in words -------------------------------------------------------------

interface Def {
  type: string
  [key: string]: unknown
}
interface CheckDef {
  check: string
  value?: unknown
  inclusive?: boolean
  minimum?: number
  maximum?: number
  format?: string
  pattern?: RegExp
  error?: unknown
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def
const checksOf = (s: z.ZodType): CheckDef[] =>
  ((defOf(s).checks as { _zod: { def: CheckDef } }[] | undefined) ?? []).map((c) => c._zod.def)

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nonoptional', 'readonly', 'catch', 'nullable'])

/** A schema's described phrase, if it or a wrapper around it carries one (`.describe()`, `.meta()`). */
function descriptionOf(s: z.ZodType): string | undefined {
  for (let cur: z.ZodType | undefined = s; cur;) {
    const d = z.globalRegistry.get(cur)?.description
    if (d) return d
    const def = defOf(cur)
    if (WRAPPERS.has(def.type)) cur = def.innerType as z.ZodType
    else if (def.type === 'pipe') cur = def.in as z.ZodType
    else cur = undefined
  }
  return undefined
}

/** Peels optional/default/nullable/pipe wrappers; says whether null is allowed on the way. */
function core(s: z.ZodType): { schema: z.ZodType; nullable: boolean } {
  let nullable = false
  let cur = s
  for (;;) {
    const def = defOf(cur)
    if (def.type === 'nullable') nullable = true
    if (WRAPPERS.has(def.type)) cur = def.innerType as z.ZodType
    else if (def.type === 'pipe') cur = def.in as z.ZodType
    else if (def.type === 'lazy') cur = (def.getter as () => z.ZodType)()
    else return { schema: cur, nullable }
  }
}

/** What `s` accepts, as a noun phrase: "a whole number from 1 to 1000", "one of "a" or "b"". */
export function describeAllowed(s: z.ZodType): string {
  const { schema, nullable } = core(s)
  const described = descriptionOf(s)
  const values = described === undefined ? literalsOf(schema) : undefined
  if (values) return oneOf(nullable ? [...values, null] : values)
  const phrase = described ?? describeCore(schema)
  return nullable ? `${phrase}, or null` : phrase
}

/** The values an enum, a literal or a union of them allows; undefined for anything else. */
function literalsOf(s: z.ZodType): unknown[] | undefined {
  const def = defOf(s)
  if (def.type === 'enum') return Object.values(def.entries as Record<string, unknown>)
  if (def.type === 'literal') return [...(def.values as unknown[])]
  if (def.type === 'null') return [null]
  if (def.type !== 'union') return undefined
  const all: unknown[] = []
  for (const option of def.options as z.ZodType[]) {
    const { schema, nullable } = core(option)
    const values = literalsOf(schema)
    if (!values) return undefined
    all.push(...values, ...(nullable ? [null] : []))
  }
  return all
}

function describeCore(s: z.ZodType): string {
  const def = defOf(s)
  switch (def.type) {
    case 'string':
      return describeString(s)
    case 'number':
      return describeNumber(s)
    case 'boolean':
      return 'true or false'
    case 'array':
      return describeArray(s)
    case 'object': {
      const keys = objectKeys(s)
      if (!keys.length) return 'an empty object'
      return `an object with the ${keys.length === 1 ? 'field' : 'fields'} ${listed(keys.map(quote), 'and', 16)}`
    }
    case 'union':
      return describeUnion(s)
    default:
      return 'a valid value'
  }
}

function describeString(s: z.ZodType): string {
  let min: number | undefined
  let max: number | undefined
  let pattern: RegExp | undefined
  for (const c of checksOf(s)) {
    if (c.check === 'min_length') min = c.minimum
    else if (c.check === 'max_length') max = c.maximum
    else if (c.check === 'length_equals') min = max = c.value as number
    else if (c.check === 'string_format' && c.format === 'regex') pattern = c.pattern
  }
  const chars = (n: number) => (n === 1 ? 'character' : 'characters')
  let phrase = 'text'
  if (min !== undefined && max !== undefined)
    phrase = min === max ? `text of exactly ${max} ${chars(max)}` : `text of ${min} to ${max} characters`
  else if (max !== undefined) phrase = `text of at most ${max} ${chars(max)}`
  else if (min !== undefined) phrase = min === 1 ? 'non-empty text' : `text of at least ${min} characters`
  return pattern ? `${phrase} matching ${String(pattern)}` : phrase
}

/** [min, max] a number may take, inclusive; undefined where the schema sets no bound. */
function numberBounds(s: z.ZodType): [number | undefined, number | undefined] {
  const isInt = checksOf(s).some((c) => c.check === 'number_format' && /int/.test(c.format ?? ''))
  let min: number | undefined
  let max: number | undefined
  for (const c of checksOf(s)) {
    const v = c.value as number
    if (c.check === 'greater_than') min = c.inclusive ? v : isInt ? Math.floor(v) + 1 : v
    if (c.check === 'less_than') max = c.inclusive ? v : isInt ? Math.ceil(v) - 1 : v
  }
  return [min, max]
}

function describeNumber(s: z.ZodType): string {
  const checks = checksOf(s)
  const isInt = checks.some((c) => c.check === 'number_format' && /int/.test(c.format ?? ''))
  const exclusive = (kind: string) => checks.some((c) => c.check === kind && !c.inclusive)
  const [min, max] = numberBounds(s)
  const noun = isInt ? 'a whole number' : 'a number'
  if (min !== undefined && max !== undefined) {
    if (!isInt && (exclusive('greater_than') || exclusive('less_than')))
      return `${noun} between ${min} and ${max}`
    return `${noun} from ${min} to ${max}`
  }
  if (min !== undefined)
    return exclusive('greater_than') && !isInt ? `${noun} above ${min}` : `${noun} of at least ${min}`
  if (max !== undefined)
    return exclusive('less_than') && !isInt ? `${noun} below ${max}` : `${noun} of at most ${max}`
  return noun
}

function describeArray(s: z.ZodType): string {
  const def = defOf(s)
  let min: number | undefined
  let max: number | undefined
  for (const c of checksOf(s)) {
    if (c.check === 'min_length') min = c.minimum
    else if (c.check === 'max_length') max = c.maximum
  }
  let size = 'a list'
  if (min !== undefined && max !== undefined) size = `a list of ${min} to ${max} items`
  else if (max !== undefined) size = `a list of at most ${max} ${max === 1 ? 'item' : 'items'}`
  else if (min !== undefined) size = `a list of at least ${min} ${min === 1 ? 'item' : 'items'}`
  return `${size}, each ${describeAllowed(def.element as z.ZodType)}`
}

function describeUnion(s: z.ZodType): string {
  const def = defOf(s)
  const options = def.options as z.ZodType[]
  const cores = options.map((o) => core(o).schema)
  if (cores.every((c) => defOf(c).type === 'object')) {
    if (typeof def.discriminator === 'string') {
      const values = cores.flatMap((c) => literalsOf(objectShape(c)[def.discriminator as string]!) ?? [])
      return `an object whose ${quote(def.discriminator)} is ${oneOf(values)}`
    }
    const keys = [...new Set(cores.flatMap((c) => objectKeys(c)))]
    return `an object with exactly one of ${listed(keys.map(quote), 'or', 16)}`
  }
  return listed(
    options.map((o) => describeAllowed(o)),
    'or',
    16,
  )
}

function oneOf(values: readonly unknown[]): string {
  const words = values.map(literal)
  return values.length <= 2 ? listed(words, 'or') : `one of ${listed(words, 'or', 16)}`
}

function objectShape(s: z.ZodType): Record<string, z.ZodType> {
  const def = defOf(core(s).schema)
  return def.type === 'object' ? (def.shape as Record<string, z.ZodType>) : {}
}

const objectKeys = (s: z.ZodType): string[] => Object.keys(objectShape(s))

function isEmptyObject(s: z.ZodType): boolean {
  const { schema } = core(s)
  return defOf(schema).type === 'object' && objectKeys(schema).length === 0
}

/**
 * The schema that validates the value at `path`. A discriminated union is followed into the branch
 * the input's discriminator picks; another union, into the first object branch that has the next key
 * (at the end of the path, into the object branch that has the most of the value's fields).
 */
function schemaAt(root: z.ZodType, path: Path, input: unknown, pickLast = true): z.ZodType | undefined {
  let cur: z.ZodType = root
  for (let i = 0; ; i++) {
    const here = core(cur).schema
    const def = defOf(here)
    let picked: z.ZodType | undefined
    if (def.type === 'union') {
      const value = valueAt(input, path.slice(0, i))
      const disc = def.discriminator as string | undefined
      picked = (def.options as z.ZodType[])
        .map((o) => core(o).schema)
        .find((o) => {
          const d = defOf(o)
          if (d.type !== 'object') return false
          const shape = d.shape as Record<string, z.ZodType>
          if (disc !== undefined)
            return isRecord(value.value) && shape[disc]?.safeParse(value.value[disc]).success === true
          return i < path.length && Object.hasOwn(shape, path[i] as string)
        })
      if (!picked && i === path.length && pickLast)
        picked = closestObject(def.options as z.ZodType[], value.value)
    }
    if (i === path.length) return (pickLast && picked) || cur
    const key = path[i]
    const inner = defOf(picked ?? here)
    if (inner.type === 'object' && typeof key === 'string') {
      const shape = inner.shape as Record<string, z.ZodType>
      if (!Object.hasOwn(shape, key)) return undefined
      cur = shape[key]!
    } else if (inner.type === 'array' && typeof key === 'number') cur = inner.element as z.ZodType
    else return undefined
  }
}

/** The object branch sharing the most fields with `value`, if one alone does. */
function closestObject(options: readonly z.ZodType[], value: unknown): z.ZodType | undefined {
  if (!isRecord(value)) return undefined
  const given = Object.keys(value)
  const scored = options
    .map((o) => core(o).schema)
    .filter((o) => defOf(o).type === 'object')
    .map((o) => ({ o, n: objectKeys(o).filter((k) => given.includes(k)).length }))
  const most = Math.max(0, ...scored.map((x) => x.n))
  const best = scored.filter((x) => x.n === most)
  return most > 0 && best.length === 1 ? best[0]!.o : undefined
}

// --- values, briefly ----------------------------------------------------------------------------

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The input's own value at `path` (never an inherited one, so `constructor` is no field). */
function valueAt(input: unknown, path: Path): { present: boolean; value?: unknown } {
  let cur = input
  for (const key of path) {
    if (Array.isArray(cur) && typeof key === 'number') {
      if (key >= cur.length) return { present: false }
      cur = cur[key]
    } else if (isRecord(cur) && typeof key === 'string' && Object.hasOwn(cur, key)) cur = cur[key]
    else return { present: false }
  }
  return cur === undefined ? { present: false } : { present: true, value: cur }
}

const SHORT = 60

/** A value as the reply shows it: short, on one line, never the whole of a big one. */
export function preview(v: unknown): string {
  if (v === null) return 'null'
  if (typeof v === 'string') {
    if (v.length <= SHORT) return JSON.stringify(v)
    return `${JSON.stringify(v.slice(0, 32)).slice(0, -1)}…", ${v.length} characters`
  }
  if (typeof v === 'number') return Object.is(v, -0) ? '0' : String(v)
  if (typeof v === 'boolean') return String(v)
  if (Array.isArray(v))
    return v.length === 0 ? 'an empty list' : `a list of ${v.length} ${v.length === 1 ? 'item' : 'items'}`
  if (isRecord(v)) return Object.keys(v).length === 0 ? 'an empty object' : 'an object'
  return typeof v
}

/** A field or key in quotes, cut short when it is long. */
function quote(name: string): string {
  const text = name.length > 40 ? `${name.slice(0, 32)}…` : name
  return JSON.stringify(text)
}

function literal(v: unknown): string {
  return typeof v === 'string' ? quote(v) : String(v)
}

/** `a`, `a or b`, `a, b or c`; past `max`, the rest counted. */
function listed(items: readonly string[], word: 'and' | 'or', max = 5): string {
  const cut = items.length > max + 1 ? [...items.slice(0, max), `${items.length - max} more`] : [...items]
  if (cut.length <= 1) return cut.join('')
  return `${cut.slice(0, -1).join(', ')} ${word} ${cut[cut.length - 1]}`
}

/** `limit`, `spec.sampleRate`, `sources[2]`. */
function fieldName(path: Path): string {
  let name = ''
  for (const key of path) {
    if (typeof key === 'number') name += `[${key}]`
    else name += name ? `.${String(key)}` : String(key)
  }
  return name
}

const pathKey = (path: Path) => path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('')
