import { describe, expect, it } from 'vitest'

import { networkDefSchema } from './network-def-schema'
import {
  array,
  boolean,
  literal,
  nullable,
  number,
  object,
  oneOf,
  optional,
  parse,
  record,
  SchemaError,
  string,
  tagged
} from './schema'

describe('schema', () => {
  it('accepts a matching object and drops absent optional keys', () => {
    const s = object({ name: string({ min: 1 }), count: optional(number({ int: true })), on: boolean() })
    expect(parse(s, { name: 'a', on: true })).toEqual({ name: 'a', on: true })
    expect(Object.keys(parse(s, { name: 'a', on: false }))).toEqual(['name', 'on'])
  })

  it('names the missing field and what it expects', () => {
    const s = object({ def: object({ name: string({ min: 1 }) }) })
    expect(s.check({ def: {} }, '')).toEqual({
      ok: false,
      issue: { field: 'def.name', message: 'missing: expected a string' }
    })
  })

  it('refuses unknown fields by name', () => {
    const r = object({ name: string() }).check({ name: 'x', nmae: 'y' }, 'input')
    expect(r).toEqual({ ok: false, issue: { field: 'input.nmae', message: 'unknown field (known fields: name)' } })
  })

  it('names the list index of a bad entry', () => {
    const r = array(object({ prefix: number({ int: true, min: 0, max: 32 }) })).check(
      [{ prefix: 24 }, { prefix: 33 }],
      'ips'
    )
    expect(r.ok).toBe(false)
    if (!r.ok)
      expect(r.issue).toEqual({ field: 'ips[1].prefix', message: 'expected a whole number from 0 to 32, got 33' })
  })

  it('checks strings: empty, too long, pattern', () => {
    expect(string({ min: 1 }).check('', 'name')).toEqual({
      ok: false,
      issue: { field: 'name', message: 'must not be empty' }
    })
    expect(string({ max: 3 }).check('abcd', 'x').ok).toBe(false)
    const mac = string({ pattern: /^[0-9a-f:]+$/, patternText: 'a MAC address' })
    expect(mac.check('zz', 'mac')).toEqual({
      ok: false,
      issue: { field: 'mac', message: "expected a MAC address, got 'zz'" }
    })
    expect(string().check(3, 'x')).toEqual({ ok: false, issue: { field: 'x', message: 'expected a string, got 3' } })
  })

  it('checks numbers, literals, enums, nullables, records', () => {
    expect(number().check(Number.NaN, 'n').ok).toBe(false)
    expect(number({ int: true }).check(1.5, 'n').ok).toBe(false)
    expect(literal('x').check('y', 'k').ok).toBe(false)
    expect(oneOf(['nat', 'none']).check('route', 'mode')).toEqual({
      ok: false,
      issue: { field: 'mode', message: "expected one of 'nat', 'none', got 'route'" }
    })
    expect(nullable(string()).check(null, 'x')).toEqual({ ok: true, value: null })
    expect(record(string()).check({ a: 'b', c: 1 }, 's')).toEqual({
      ok: false,
      issue: { field: 's.c', message: 'expected a string, got 1' }
    })
    expect(array(string(), { max: 1 }).check(['a', 'b'], 'l').ok).toBe(false)
  })

  it('picks the branch of a tagged union by its tag', () => {
    const s = tagged('kind', {
      a: object({ kind: literal('a'), x: number() }),
      b: object({ kind: literal('b'), y: string() })
    })
    expect(parse(s, { kind: 'b', y: 'ok' })).toEqual({ kind: 'b', y: 'ok' })
    expect(s.check({ kind: 'b', x: 1 }, '')).toEqual({
      ok: false,
      issue: { field: 'x', message: 'unknown field (known fields: kind, y)' }
    })
    expect(s.check({ kind: 'c' }, '')).toEqual({
      ok: false,
      issue: { field: 'kind', message: "expected one of 'a', 'b', got 'c'" }
    })
  })

  it('parse throws a SchemaError naming the field', () => {
    expect(() => parse(object({ n: number() }), { n: 'x' })).toThrow(SchemaError)
    expect(() => parse(object({ n: number() }), { n: 'x' })).toThrow("n: expected a number, got 'x'")
  })

  it('accepts a full network definition and refuses a wrong forward mode', () => {
    const def = {
      name: 'default',
      uuid: '3e3fce45-4f53-4fa7-bb32-11f34168b82b',
      forward: { mode: 'nat', nat: { portStart: 1024, portEnd: 65535 } },
      bridge: { name: 'virbr0', stp: true, delay: 0 },
      domain: { name: 'guest.lan', localOnly: true },
      dns: { forwarders: [], hosts: [{ ip: '192.168.122.5', hostnames: ['a'] }], srvs: [], txts: [] },
      ips: [
        {
          family: 'ipv4',
          address: '192.168.122.1',
          prefix: 24,
          dhcp: {
            ranges: [{ start: '192.168.122.2', end: '192.168.122.254' }],
            hosts: [{ mac: '52:54:00:00:00:01', ip: '192.168.122.9' }]
          }
        },
        { family: 'ipv6', address: 'fd00:1::1', prefix: 64 }
      ]
    }
    expect(parse(networkDefSchema, def)).toEqual(def)
    const r = networkDefSchema.check({ ...def, forward: { mode: 'vepa' } }, 'def')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.issue.field).toBe('def.forward.mode')
  })
})
