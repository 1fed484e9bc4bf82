import { describe, expect, it } from 'vitest'

import { GUESTNET_DEVGROUP } from '../../core/plan/devgroup'
import { hostBridgeRefusal } from './host-bridge-check'

describe('hostBridgeRefusal', () => {
  it('accepts an existing bridge of the host', () => {
    expect(hostBridgeRefusal('br0', { exists: true, isBridge: true, group: 0 })).toBeNull()
  })

  it('refuses a missing bridge, saying how to make one', () => {
    expect(hostBridgeRefusal('br0', { exists: false, isBridge: false, group: null })).toMatchObject({
      message: 'the host has no bridge br0',
      fix: expect.stringContaining('nmcli con add type bridge ifname br0')
    })
  })

  it('refuses an interface that is not a bridge, and a bridge guestnet made', () => {
    expect(hostBridgeRefusal('eth0', { exists: true, isBridge: false, group: 0 })?.message).toBe('eth0 is not a bridge')
    expect(hostBridgeRefusal('virbr0', { exists: true, isBridge: true, group: GUESTNET_DEVGROUP })?.message).toBe(
      'virbr0 is a bridge guestnet made for another network'
    )
  })
})
