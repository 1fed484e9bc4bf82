import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../model/network'
import { validDef } from '../../../test/unit-support/valid-network.fixture'
import { validateNetwork } from './validate-network'

/** Feeds the validator something that only claims to be a NetworkDef, as a hostile client could. */
function hostile(value: unknown): ReturnType<typeof validateNetwork> {
  return validateNetwork(value as NetworkDef)
}

function withRaw(change: (d: Record<string, unknown>) => void): ReturnType<typeof validateNetwork> {
  const d = JSON.parse(JSON.stringify(validDef())) as Record<string, unknown>
  change(d)
  return hostile(d)
}

describe('validateNetwork on input of the wrong shape', () => {
  it('refuses non-objects without throwing', () => {
    for (const v of [null, undefined, 42, 'lab', [], true]) {
      const problems = hostile(v)
      expect(problems).toHaveLength(1)
      expect(problems[0]).toMatchObject({
        field: '(definition)',
        message: expect.stringMatching(/^expected an object/)
      })
    }
  })

  it('names wrong types by their XML path and stops before the rules', () => {
    expect(withRaw((d) => (d.name = 42))).toEqual([
      { field: 'name', message: 'expected text, got a number', fix: 'give a string' }
    ])
    expect(withRaw((d) => (d.mtu = '1500'))).toEqual([
      { field: 'mtu.size', message: 'expected a whole number, got a string', fix: 'give an integer' }
    ])
    expect(withRaw((d) => ((d.ips as Record<string, unknown>[])[0].prefix = 24.5))[0]).toMatchObject({
      field: 'ip[0].prefix',
      message: 'expected a whole number, got 24.5'
    })
    expect(withRaw((d) => ((d.ips as Record<string, unknown>[])[0].family = 'inet'))[0]).toMatchObject({
      field: 'ip[0].family',
      message: "'inet' is not one of 'ipv4', 'ipv6'"
    })
    expect(withRaw((d) => ((d.forward as Record<string, unknown>).nat = { portStart: '1' }))[0]).toMatchObject({
      field: 'forward.nat.port.start'
    })
    expect(
      withRaw((d) => ((d.dns as Record<string, unknown>).hosts = [{ ip: '10.0.0.1', hostnames: 'a' }]))[0]
    ).toMatchObject({ field: 'dns.host[0].hostname', message: 'expected a list, got a string' })
    expect(withRaw((d) => delete d.forward)).toEqual([{ field: 'forward', message: 'missing', fix: 'add this field' }])
    expect(
      withRaw((d) => ((d.ips as Record<string, unknown>[])[1].dhcp = { ranges: [{ start: 'fd00::1' }], hosts: [] }))[0]
    ).toMatchObject({ field: 'ip[1].dhcp.range[0].end', message: 'missing' })
    expect(
      withRaw(
        (d) =>
          ((d.ips as Record<string, unknown>[])[0].dhcp = {
            ranges: [],
            hosts: [{ lease: { expiry: 5, unit: 'days' } }]
          })
      )[0]
    ).toMatchObject({ field: 'ip[0].dhcp.host[0].lease.unit' })
  })

  it('refuses unknown fields, including __proto__ from JSON', () => {
    expect(withRaw((d) => (d.staticRoutes = []))).toEqual([
      { field: 'staticRoutes', message: 'unknown field', fix: 'remove it: guestnet does not know this field' }
    ])
    const proto = JSON.parse('{"name":"lab","forward":{"mode":"nat"},"ips":[],"__proto__":{"x":1}}') as unknown
    expect(hostile(proto)).toEqual([
      { field: '__proto__', message: 'unknown field', fix: 'remove it: guestnet does not know this field' }
    ])
  })

  it('caps sizes so a huge input cannot run the helper out of memory', () => {
    expect(withRaw((d) => (d.description = 'x'.repeat(70_000)))[0]).toMatchObject({
      field: 'description',
      message: 'the text is 70000 characters long; at most 65536 are allowed'
    })
    expect(
      withRaw(
        (d) => (d.ips = Array.from({ length: 65 }, () => ({ family: 'ipv4', address: '10.0.0.1', prefix: 8 })))
      )[0]
    ).toMatchObject({ field: 'ip', message: '65 entries; at most 64 are allowed' })
  })

  it('keeps control characters out of its own messages', () => {
    const problems = withRaw((d) => ((d.ips as Record<string, unknown>[])[0].address = '\u001b[31mred'))
    expect(problems[0].message).toBe("'\\u001b[31mred' is not an IPv4 address")
  })
})
