import { describe, expect, it } from 'vitest'

import type { HelperRequest } from '../protocol'
import { helloFrame, helloMatches, parseHello, serviceRefusal } from './service-frames'

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
      JSON.stringify({ ...h, protocol: 2 }),
      JSON.stringify({ ...h, nsId: 7 })
    ]) {
      expect(parseHello(bad), bad).toBeNull()
    }
  })

  it('matches only the same namespace and the same root', () => {
    const h = helloFrame('4:1', undefined, 1)
    expect(helloMatches(h, '4:1', undefined)).toBe(true)
    expect(helloMatches(h, '4:2', undefined)).toBe(false)
    expect(helloMatches(h, '4:1', '/tmp/r')).toBe(false)
    expect(helloMatches(helloFrame(null, undefined, 1), null, undefined)).toBe(false)
    expect(helloMatches(helloFrame('4:1', '/tmp/r', 1), '4:1', '/tmp/r')).toBe(true)
  })
})

describe('serviceRefusal', () => {
  const req = (args: HelperRequest['args']): HelperRequest => ({ verb: 'start', args: { name: 'n', ...args } })

  it('takes requests for its own root, in its own namespace', () => {
    expect(serviceRefusal(req({}), undefined)).toBeNull()
    expect(serviceRefusal(req({ root: '/r' }), '/r')).toBeNull()
  })

  it('refuses another root or any --netns, naming the field', () => {
    expect(serviceRefusal(req({ root: '/other' }), '/r')).toMatchObject({ code: 'BAD_ROOT', field: 'args.root' })
    expect(serviceRefusal(req({}), '/r')).toMatchObject({ code: 'BAD_ROOT' })
    expect(serviceRefusal(req({ root: '/r' }), undefined)).toMatchObject({ code: 'BAD_ROOT' })
    expect(serviceRefusal(req({ netns: 'x' }), undefined)).toMatchObject({ code: 'NETNS', field: 'args.netns' })
  })
})
