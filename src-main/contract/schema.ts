/**
 * A small runtime schema library for the IPC contract: each schema checks an unknown value and
 * TypeScript infers the value's type from the schema object (`Infer<typeof s>`), so every shape
 * is written once. Objects are strict: an unknown key is an error naming the key.
 */

export interface Issue {
  /** Dotted path of the offending field, e.g. `def.ips[0].prefix`; `` for the whole value. */
  field: string
  message: string
}

export type Check<T> = { ok: true; value: T } | { ok: false; issue: Issue }

export interface Schema<T, Optional extends boolean = false> {
  /** Human words for what is expected, used in error messages ("a whole number from 1 to 128"). */
  readonly expected: string
  readonly optional: Optional
  check(input: unknown, field: string): Check<T>
}

export type AnySchema = Schema<unknown, boolean>
export type Infer<S> = S extends Schema<infer T, boolean> ? T : never

type Shape = Record<string, AnySchema>
type Simplify<T> = { [K in keyof T]: T[K] }
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends Schema<unknown, true> ? never : K }[keyof S]
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Schema<unknown, true> ? K : never }[keyof S]
export type ObjectOf<S extends Shape> = Simplify<
  { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>

function fail<T>(field: string, message: string): Check<T> {
  return { ok: false, issue: { field, message } }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') return value.length > 40 ? `'${value.slice(0, 40)}…'` : `'${value}'`
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return typeof value === 'object' ? 'an object' : typeof value
}

function make<T>(expected: string, check: (input: unknown, field: string) => Check<T>): Schema<T> {
  return { expected, optional: false, check }
}

function wrong<T>(field: string, expected: string, input: unknown): Check<T> {
  return fail(field, `expected ${expected}, got ${describe(input)}`)
}

export interface StringOptions {
  min?: number
  max?: number
  pattern?: RegExp
  /** Words for the pattern, e.g. "a MAC address like 52:54:00:12:34:56". */
  patternText?: string
}

export function string(opts: StringOptions = {}): Schema<string> {
  const expected = opts.patternText ?? 'a string'
  return make(expected, (input, field) => {
    if (typeof input !== 'string') return wrong(field, expected, input)
    if (opts.min !== undefined && input.length < opts.min) {
      return fail(field, opts.min === 1 ? 'must not be empty' : `must be at least ${opts.min} characters long`)
    }
    if (opts.max !== undefined && input.length > opts.max)
      return fail(field, `must be at most ${opts.max} characters long`)
    if (opts.pattern && !opts.pattern.test(input)) return wrong(field, expected, input)
    return { ok: true, value: input }
  })
}

export interface NumberOptions {
  int?: boolean
  min?: number
  max?: number
}

export function number(opts: NumberOptions = {}): Schema<number> {
  const kind = opts.int ? 'a whole number' : 'a number'
  const range =
    opts.min !== undefined && opts.max !== undefined
      ? ` from ${opts.min} to ${opts.max}`
      : opts.min !== undefined
        ? ` of at least ${opts.min}`
        : opts.max !== undefined
          ? ` of at most ${opts.max}`
          : ''
  const expected = kind + range
  return make(expected, (input, field) => {
    if (typeof input !== 'number' || !Number.isFinite(input)) return wrong(field, expected, input)
    if (opts.int && !Number.isInteger(input)) return wrong(field, expected, input)
    if ((opts.min !== undefined && input < opts.min) || (opts.max !== undefined && input > opts.max)) {
      return wrong(field, expected, input)
    }
    return { ok: true, value: input }
  })
}

export function boolean(): Schema<boolean> {
  return make('true or false', (input, field) =>
    typeof input === 'boolean' ? { ok: true, value: input } : wrong(field, 'true or false', input)
  )
}

export function literal<const V extends string | number | boolean | null>(value: V): Schema<V> {
  const expected = JSON.stringify(value)
  return make(expected, (input, field) => (input === value ? { ok: true, value } : wrong(field, expected, input)))
}

export function oneOf<const V extends readonly string[]>(values: V): Schema<V[number]> {
  const expected = `one of ${values.map((v) => `'${v}'`).join(', ')}`
  return make(expected, (input, field) =>
    typeof input === 'string' && values.includes(input) ? { ok: true, value: input } : wrong(field, expected, input)
  )
}

export function optional<T>(inner: Schema<T>): Schema<T | undefined, true> {
  return {
    expected: inner.expected,
    optional: true,
    check: (input, field) => (input === undefined ? { ok: true, value: undefined } : inner.check(input, field))
  }
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return make<T | null>(`${inner.expected} or null`, (input, field) =>
    input === null ? { ok: true, value: null } : inner.check(input, field)
  )
}

export function array<T>(item: Schema<T, boolean>, opts: { max?: number } = {}): Schema<T[]> {
  const expected = `a list of ${item.expected}`
  return make(expected, (input, field) => {
    if (!Array.isArray(input)) return wrong(field, expected, input)
    if (opts.max !== undefined && input.length > opts.max) return fail(field, `must have at most ${opts.max} entries`)
    const out: T[] = []
    for (let i = 0; i < input.length; i++) {
      const r = item.check(input[i], `${field}[${i}]`)
      if (!r.ok) return r
      out.push(r.value as T)
    }
    return { ok: true, value: out }
  })
}

function isPlainObject(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input)
}

function join(field: string, key: string): string {
  return field === '' ? key : `${field}.${key}`
}

export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  const expected = 'an object'
  return make(expected, (input, field) => {
    if (!isPlainObject(input)) return wrong(field, expected, input)
    for (const key of Object.keys(input)) {
      if (!Object.hasOwn(shape, key)) {
        const known = Object.keys(shape).join(', ') || 'none'
        return fail(join(field, key), `unknown field (known fields: ${known})`)
      }
    }
    const out: Record<string, unknown> = {}
    for (const [key, schema] of Object.entries(shape)) {
      const value = input[key]
      if (value === undefined && !schema.optional) return fail(join(field, key), `missing: expected ${schema.expected}`)
      const r = schema.check(value, join(field, key))
      if (!r.ok) return r
      if (r.value !== undefined) out[key] = r.value
    }
    return { ok: true, value: out as ObjectOf<S> }
  })
}

/** A map with string keys and values of one schema (e.g. sysctl key → value). */
export function record<T>(value: Schema<T>): Schema<Record<string, T>> {
  const expected = `an object of ${value.expected}`
  return make(expected, (input, field) => {
    if (!isPlainObject(input)) return wrong(field, expected, input)
    const out: Record<string, T> = {}
    for (const [key, v] of Object.entries(input)) {
      const r = value.check(v, join(field, key))
      if (!r.ok) return r
      out[key] = r.value
    }
    return { ok: true, value: out }
  })
}

/**
 * A union of object schemas told apart by one string field (`kind`, `state`…), given as
 * tag → schema: the error for a wrong branch names the fields of the branch the tag picked.
 * Each branch schema must itself check that `key` holds its tag (use `literal`).
 */
export function tagged<M extends Record<string, Schema<object>>>(key: string, branches: M): Schema<Infer<M[keyof M]>> {
  const tags = Object.keys(branches)
  const expected = `one of ${tags.map((t) => `'${t}'`).join(', ')}`
  return make(`an object with ${key} ${expected}`, (input, field) => {
    if (!isPlainObject(input)) return wrong(field, `an object with ${key} ${expected}`, input)
    const tag = input[key]
    if (typeof tag !== 'string' || !Object.hasOwn(branches, tag)) return wrong(join(field, key), expected, tag)
    return branches[tag].check(input, field) as Check<Infer<M[keyof M]>>
  })
}

/** Checks a value and returns it, or throws a `SchemaError` naming the field. */
export class SchemaError extends Error {
  constructor(readonly issue: Issue) {
    super(issue.field === '' ? issue.message : `${issue.field}: ${issue.message}`)
  }
}

export function parse<T>(schema: Schema<T, boolean>, input: unknown, field = ''): T {
  const r = schema.check(input, field)
  if (!r.ok) throw new SchemaError(r.issue)
  return r.value as T
}

/** Objects told apart by a boolean field (`ok: true` or `ok: false`): each branch checks its own. */
export function byFlag<T extends object, F extends object>(
  key: string,
  whenTrue: Schema<T>,
  whenFalse: Schema<F>
): Schema<T | F> {
  const expected = `an object with ${key} true or false`
  return make<T | F>(expected, (input, field) => {
    if (!isPlainObject(input)) return wrong(field, expected, input)
    const flag = input[key]
    if (flag === true) return whenTrue.check(input, field)
    if (flag === false) return whenFalse.check(input, field)
    return wrong(join(field, key), 'true or false', flag)
  })
}
