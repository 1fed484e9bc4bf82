import { describe, expect, it } from 'vitest'

import { formatHostConfig, parseHostConfig, rangePoolProblem, ulaPrefixProblem } from './host-config'

describe('host config', () => {
  it('round-trips a valid config', () => {
    const text = formatHostConfig({ ula: 'fd12:3456:789a::/48', rangePool: ['10.0.0.0/8', '172.16.0.0/12'] })
    expect(parseHostConfig(text)).toEqual({
      ok: true,
      config: { ula: 'fd12:3456:789a::/48', rangePool: ['10.0.0.0/8', '172.16.0.0/12'] }
    })
    expect(parseHostConfig('{"ula":"fd12:3456:789a::/48"}')).toEqual({
      ok: true,
      config: { ula: 'fd12:3456:789a::/48' }
    })
  })
  it('reports what is wrong', () => {
    expect(parseHostConfig('{"ula": ')).toMatchObject({ ok: false, message: expect.stringMatching(/not valid JSON/) })
    expect(parseHostConfig('[]')).toMatchObject({ ok: false, message: 'not a JSON object' })
    expect(parseHostConfig('{}')).toMatchObject({ ok: false, message: expect.stringMatching(/"ula": missing/) })
    expect(parseHostConfig('{"ula":"fd12:3456:789a::/48","rangePool":"10.0.0.0/8"}')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/"rangePool"/)
    })
  })
  it('checks the ULA is an fd /48', () => {
    expect(ulaPrefixProblem('fd12:3456:789a::/48')).toBeNull()
    expect(ulaPrefixProblem('fd12:3456:789a::/64')).toMatch(/not an IPv6 \/48/)
    expect(ulaPrefixProblem('fc12:3456:789a::/48')).toMatch(/RFC 4193/)
    expect(ulaPrefixProblem('2001:db8:1::/48')).toMatch(/RFC 4193/)
    expect(ulaPrefixProblem('fd12:3456:789a::')).toMatch(/not an IPv6 \/48/)
    expect(ulaPrefixProblem('fd12:3456:789a:1::/48')).toMatch(/bits set after/)
  })
  it('checks the pool holds IPv4 blocks of at least a /24', () => {
    expect(rangePoolProblem(['10.0.0.0/8', '192.168.200.0/24'])).toBeNull()
    expect(rangePoolProblem([])).toMatch(/non-empty/)
    expect(rangePoolProblem(['10.0.0.0'])).toMatch(/not an IPv4 block/)
    expect(rangePoolProblem(['fd00::/8'])).toMatch(/not an IPv4 block/)
    expect(rangePoolProblem(['10.0.0.0/25'])).toMatch(/smaller than a \/24/)
  })
})
