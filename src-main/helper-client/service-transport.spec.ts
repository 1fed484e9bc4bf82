import { describe, expect, it } from 'vitest'

import type { ServiceHello } from '../contract/helper-protocol'
import { helloMatches, parseHello } from './service-transport'

const helloFrame = (nsId: string | null, root: string | undefined, pid: number): ServiceHello => ({
  type: 'hello',
  service: 'guestnet-helper',
  protocol: 2,
  nsId,
  root: root ?? null,
  pid
})

describe('the service hello', () => {
  it('round-trips, and anything else is not a hello', () => {
    const h = helloFrame('4:4026531840', '/tmp/r', 42)
    expect(parseHello(JSON.stringify(h))).toEqual(h)
    for (const bad of [
      '',
      'nope',
      '{}',
      '[]',
      '{"type":"hello","service":"other","protocol":1,"pid":1,"nsId":null,"root":null}',
      JSON.stringify({ ...h, protocol: 1 }),
      JSON.stringify({ ...h, nsId: 7 })
    ]) {
      expect(parseHello(bad), bad).toBeNull()
    }
  })

  it('matches only the same namespace and the same root', () => {
    const h = helloFrame('4:1', undefined, 1)
    expect(helloMatches(h, '4:1', null)).toBe(true)
    expect(helloMatches(h, '4:2', null)).toBe(false)
    expect(helloMatches(h, '4:1', '/tmp/r')).toBe(false)
    expect(helloMatches(helloFrame(null, undefined, 1), null, null)).toBe(false)
    expect(helloMatches(helloFrame('4:1', '/tmp/r', 1), '4:1', '/tmp/r')).toBe(true)
  })
})
