import { describe, expect, it } from 'vitest'

import type { HelperRequest } from '../../contract/helper-protocol'
import { serviceRefusal } from './service-frames'

describe('serviceRefusal', () => {
  const req = (args: { root?: string; netns?: string }): HelperRequest => ({
    verb: 'start',
    args: { name: 'n', ...args }
  })

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
