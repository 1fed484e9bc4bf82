import { describe, expect, it } from 'vitest'

import { natNetwork, observation } from '../../../test/unit-support/observation.fixture'
import { diagnose } from '../diagnose'
import type { DoctorObservation, ObservedLink, ObservedSpan } from '../model'
import { checkUnderlay } from './underlay'

const span = (over: Partial<ObservedSpan> = {}): ObservedSpan => ({
  vni: 4242,
  port: 4789,
  underlay: '198.51.100.1',
  peers: ['198.51.100.2'],
  mtu: null,
  ...over
})
const eth = (over: Partial<ObservedLink> = {}): ObservedLink => ({
  ifname: 'eth1',
  group: 'default',
  kind: null,
  addresses: ['198.51.100.1/24'],
  mtu: 1550,
  up: true,
  ...over
})

function spanning(over: Partial<DoctorObservation> = {}, s: Partial<ObservedSpan> = {}): DoctorObservation {
  return observation({
    networks: [natNetwork({ name: 'lab', span: span(s) })],
    links: [eth()],
    underlayRoutes: [{ peer: '198.51.100.2', from: '198.51.100.1', dev: 'eth1', error: null }],
    ...over
  })
}

describe('underlay of a spanning network', () => {
  it('address here and up, a route to the peer, room for the MTU: nothing found, check ok', () => {
    expect(checkUnderlay(spanning())).toEqual([])
    expect(diagnose(spanning()).checks.find((c) => c.check === 'underlay')?.status).toBe('ok')
  })

  it('no spanning network: ok with a note', () => {
    const c = diagnose(observation()).checks.find((x) => x.check === 'underlay')
    expect(c).toMatchObject({ status: 'ok', note: 'no network spans hosts' })
  })

  it('the underlay address is on no interface here', () => {
    const [f] = checkUnderlay(spanning({ links: [eth({ addresses: ['192.0.2.9/24'] })] }))
    expect(f).toMatchObject({ id: 'underlay/lab-address', severity: 'error' })
    expect(f.title).toContain('198.51.100.1 is not on this host')
  })

  it('the underlay link is down', () => {
    const [f] = checkUnderlay(spanning({ links: [eth({ up: false })] }))
    expect(f.title).toContain('eth1 (198.51.100.1) is down')
  })

  it('no route to a peer (ip route get failed): names the peer and the error', () => {
    const found = checkUnderlay(
      spanning({
        underlayRoutes: [
          { peer: '198.51.100.2', from: '198.51.100.1', dev: null, error: 'RTNETLINK answers: Network is unreachable' }
        ]
      })
    )
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({ id: 'underlay/lab-peer-198.51.100.2', severity: 'error' })
    expect(found[0].evidence[0]).toContain('Network is unreachable')
  })

  it("a definition's MTU larger than the underlay's less 50: an error with both fixes", () => {
    expect(checkUnderlay(spanning({}, { mtu: 1500 }))).toEqual([])
    const [g] = checkUnderlay(spanning({ links: [eth({ mtu: 1500 })] }, { mtu: 1500 }))
    expect(g).toMatchObject({ id: 'underlay/lab-mtu', severity: 'error' })
    expect(g.title).toContain('room for 1450')
    expect(g.advice).toContain("<mtu size='1450'/>")
    expect(g.advice).toContain('MTU to 1550')
    // It fits exactly: nothing.
    expect(checkUnderlay(spanning({ links: [eth({ mtu: 1500 })] }, { mtu: 1450 }))).toEqual([])
  })

  it('no <mtu> on a 1500 underlay: a note that guests get 1450', () => {
    const [f] = checkUnderlay(spanning({ links: [eth({ mtu: 1500 })] }))
    expect(f).toMatchObject({ severity: 'info' })
    expect(f.title).toContain('MTU 1450')
  })

  it('IPv6 on the network and the room below 1280: a warning', () => {
    const obs = spanning({
      links: [eth({ mtu: 1300 })],
      networks: [natNetwork({ name: 'lab', ipv6: ['fd00:1::1/64'], span: span() })]
    })
    const [f] = checkUnderlay(obs)
    expect(f).toMatchObject({ severity: 'warning' })
    expect(f.title).toContain('below IPv6')
  })
})
