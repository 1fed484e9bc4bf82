import { describe, expect, it } from 'vitest'

import type { GuardianFrame } from '../../contract/helper-protocol'
import { guardianNotificationText, newGuardianFrames, parseGuardianLog } from './guardian-news'

const frame = (over: Partial<GuardianFrame>): GuardianFrame => ({
  type: 'guardian',
  event: 'restored',
  network: 'default',
  what: 'firewall',
  detail: 'nft table inet guestnet_default was deleted',
  ms: 40,
  at: '2026-01-01T00:00:01.000Z',
  ...over
})

describe('the guardian’s news for the app', () => {
  it('reads the frames of the file, leaving out what is not one', () => {
    const text = JSON.stringify({ frames: [frame({}), { type: 'guardian', event: 'rm -rf' }, 'x'] })
    expect(parseGuardianLog(text)).toEqual([frame({})])
    expect(parseGuardianLog('not json')).toEqual([])
    expect(parseGuardianLog(null)).toEqual([])
  })

  it('shows nothing from before the first look, then only what is newer', () => {
    const old = frame({ at: '2026-01-01T00:00:01.000Z' })
    const first = newGuardianFrames([old], null)
    expect(first.fresh).toEqual([])
    const next = frame({ at: '2026-01-01T00:00:05.000Z', what: 'dnsmasq' })
    const second = newGuardianFrames([old, next], first.seen)
    expect(second.fresh).toEqual([next])
    expect(newGuardianFrames([old, next], second.seen).fresh).toEqual([])
  })

  it('a new guest’s port getting its isolation is not news; a port that lost it is', () => {
    const seen = newGuardianFrames([], null).seen
    const joined = frame({ what: 'ports', detail: 'port vnet3 joined virbr0' })
    const lost = frame({ what: 'ports', detail: 'port vnet1 of virbr0 is not isolated' })
    expect(newGuardianFrames([joined, lost], seen).fresh).toEqual([lost])
  })

  it('a first look at no file still lets the next frames through', () => {
    const first = newGuardianFrames([], null)
    expect(newGuardianFrames([frame({})], first.seen).fresh).toHaveLength(1)
  })

  it('says what was restored and why, as the user would put it', () => {
    expect(guardianNotificationText(frame({}))).toEqual({
      title: 'guestnet restored the rules for default',
      body: 'nftables was restarted or its ruleset flushed (nft table inet guestnet_default was deleted); guests are connected again.'
    })
    expect(guardianNotificationText(frame({ what: 'dnsmasq', detail: 'dnsmasq is not running' })).title).toBe(
      'guestnet restarted DHCP and DNS for default'
    )
    const gaveUp = guardianNotificationText(
      frame({ event: 'gave-up', detail: 'something keeps undoing table inet guestnet_default of default' })
    )
    expect(gaveUp.title).toBe('Something keeps undoing network default')
  })
})
