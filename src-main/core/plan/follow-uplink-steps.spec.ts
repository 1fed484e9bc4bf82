import { describe, expect, it } from 'vitest'

import { hostFacts } from '../../../test/fixtures/host-facts/fixtures'
import { defaultNet, PATHS, ULA, v6 } from '../../../test/unit-support/plan-defs.fixture'
import { buildPlan } from './build-plan'
import { announcedMtu, followUplinkSteps, runningGuestMtu, withoutUplinkMtu } from './follow-uplink-steps'
import { networkPaths } from './network-paths'

const dual = defaultNet({ ips: [...defaultNet().ips, v6(ULA, 64)] })
const confOn = (facts: Parameters<typeof hostFacts>[0], def = dual): string =>
  buildPlan(def, { paths: PATHS, hostFacts: hostFacts(facts) }).dnsmasqConf

describe('the announced MTU in a dnsmasq configuration', () => {
  it("reads guestnet's uplink line and libvirt's <mtu> line; none on a 1500 uplink", () => {
    expect(announcedMtu(confOn('wireguard-vpn'))).toBe(1420)
    expect(announcedMtu(confOn('laptop-wifi'))).toBeNull()
    expect(announcedMtu(confOn('laptop-wifi', { ...dual, mtu: 9000 }))).toBe(9000)
  })

  it('two configurations that differ only in the uplink MTU are the same without it', () => {
    const wg = confOn('wireguard-vpn')
    const wifi = confOn('laptop-wifi')
    expect(wg).not.toBe(wifi)
    expect(withoutUplinkMtu(wg)).toBe(wifi)
    const otherDef = buildPlan(
      { ...dual, domain: { name: 'lab.test' } },
      { paths: PATHS, hostFacts: hostFacts('wireguard-vpn') }
    )
    expect(withoutUplinkMtu(otherDef.dnsmasqConf)).not.toBe(wifi)
  })
})

describe('runningGuestMtu', () => {
  it("tells the uplink's announcement, the definition's <mtu> and the default apart", () => {
    expect(runningGuestMtu(confOn('wireguard-vpn'), dual)).toEqual({ value: 1420, source: 'uplink' })
    expect(runningGuestMtu(confOn('laptop-wifi'), dual)).toEqual({ value: 1500, source: 'default' })
    const jumbo = { ...dual, mtu: 9000 }
    expect(runningGuestMtu(confOn('wireguard-vpn', jumbo), jumbo)).toEqual({ value: 9000, source: 'definition' })
  })
})

describe('followUplinkSteps', () => {
  const paths = networkPaths(PATHS, 'default')
  const s = followUplinkSteps({ paths, oldConf: 'old', newConf: 'new', dnsmasqStartTime: 4242 })

  it('stops exactly the recorded dnsmasq, writes the new config, starts dnsmasq; each with its undo', () => {
    expect(s.steps.map((x) => x.id)).toEqual(['dnsmasq-stop', 'files', 'dnsmasq'])
    expect(s.steps[0].apply).toEqual([['@kill-dnsmasq', paths.pidfile, '4242']])
    expect(s.steps[0].rollback).toEqual([['dnsmasq', `--conf-file=${paths.dnsmasqConf}`]])
    expect(s.steps[1].apply).toEqual([['@write', paths.dnsmasqConf, 'dnsmasq.conf']])
    expect(s.steps[1].rollback).toEqual([['@write', paths.dnsmasqConf, 'old:dnsmasq.conf']])
    expect(s.steps[2].apply).toEqual([['dnsmasq', `--conf-file=${paths.dnsmasqConf}`]])
    expect(s.steps[2].rollback).toEqual([['@kill-dnsmasq', paths.pidfile]])
    expect(s.artifacts).toEqual({ 'dnsmasq.conf': 'new', 'old:dnsmasq.conf': 'old' })
  })

  it('never touches the lease file, the bridge or the firewall', () => {
    const argvs = s.steps.flatMap((x) => [...x.apply, ...x.rollback]).flat()
    expect(argvs.join(' ')).not.toMatch(/leases|nft|ip |@delete/)
  })
})
