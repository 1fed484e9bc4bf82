import { describe, expect, it } from 'vitest'

import type { Plan } from '../../core/model/plan'
import { buildPlan } from '../../core/plan/build-plan'
import type { NetworkRecord } from '../../core/plan/network-record'
import { recordOfPlan } from '../../core/plan/network-record'
import { defaultNet, PATHS, ULA, v6 } from '../../../test/unit-support/plan-defs.fixture'
import type { ObservedNetwork } from './drift'
import { differingArtifacts, findDrift, restoreSteps, wantedOf } from './drift'
import { normalizeListing } from './observe'

const hostFacts = {
  addresses: [],
  routes: [{ family: 6 as const, dst: '::/0', dev: 'wlan0', table: 'main', protocol: 'ra' }]
}
const plan: Plan = buildPlan(defaultNet({ ips: [...defaultNet().ips, v6(ULA, 64)] }), { paths: PATHS, hostFacts })
const ctx = { store: 'system', uuid: null, netns: null, nsId: null, now: new Date(0) }
const record: NetworkRecord = recordOfPlan('journal', plan, ctx, { pid: 42, startTime: 7 })
const wanted = wantedOf(plan, record)

/** What a healthy network looks like: everything as wanted. */
function healthy(): ObservedNetwork {
  return {
    tables: new Set(['inet guestnet_default']),
    changedTables: new Set(),
    sysctls: new Map(Object.entries(plan.sysctls).map(([k, v]) => [k, `${v}\n`])),
    bridge: true,
    addresses: new Set(['192.168.122.1/24', `${ULA}/64`, 'fe80::1/64']),
    dnsmasq: true,
    openPorts: [],
    isolatedPorts: []
  }
}

describe('the guardian: wanted and observed', () => {
  it('wants what the journal holds, with the plan’s values', () => {
    expect(wanted.tables).toEqual([{ family: 'inet', name: 'guestnet_default' }])
    expect(wanted.hostSysctls).toContainEqual(['net.ipv4.ip_forward', '1'])
    expect(wanted.bridgeSysctls.map(([k]) => k)).toContain('net.ipv6.conf.virbr0.accept_ra')
    expect([...wanted.addresses.keys()]).toEqual(['192.168.122.1/24', `${ULA}/64`])
    expect(wanted.dnsmasq).toBe(true)
  })

  it('a host sysctl the journal does not hold is not wanted (another network of the ledger holds it)', () => {
    const w = wantedOf(plan, { ...record, sysctls: ['net.ipv4.ip_forward'] })
    expect(w.hostSysctls).toEqual([['net.ipv4.ip_forward', '1']])
  })

  it('finds nothing on a healthy network (positive control)', () => {
    expect(findDrift(wanted, healthy())).toEqual([])
  })

  it('finds a deleted table, a changed one, a sysctl put back, a removed address, a dead dnsmasq', () => {
    expect(findDrift(wanted, { ...healthy(), tables: new Set() }).map((d) => d.object)).toEqual([
      'table inet guestnet_default'
    ])
    expect(findDrift(wanted, { ...healthy(), changedTables: new Set(['inet guestnet_default']) })[0]?.detail).toMatch(
      /rules .* were changed/
    )
    const sysctls = new Map(healthy().sysctls)
    sysctls.set('net.ipv4.ip_forward', '0\n')
    expect(findDrift(wanted, { ...healthy(), sysctls })).toEqual([
      { kind: 'sysctl', object: 'net.ipv4.ip_forward', detail: 'net.ipv4.ip_forward was set to 0' }
    ])
    expect(findDrift(wanted, { ...healthy(), addresses: new Set([`${ULA}/64`]) }).map((d) => d.object)).toEqual([
      'address 192.168.122.1/24'
    ])
    expect(findDrift(wanted, { ...healthy(), dnsmasq: false }).map((d) => d.kind)).toEqual(['dnsmasq'])
  })

  it('does not judge what it could not read (tables or addresses not listed this time)', () => {
    expect(findDrift(wanted, { ...healthy(), tables: null, addresses: null })).toEqual([])
  })

  it('a deleted bridge stands for its addresses and sysctls', () => {
    const drifts = findDrift(wanted, { ...healthy(), bridge: false, addresses: new Set(), sysctls: new Map() })
    expect(drifts.map((d) => d.kind)).toEqual(['bridge', ...wanted.hostSysctls.map(() => 'sysctl')])
    expect(drifts.filter((d) => d.kind === 'sysctl').every((d) => !d.object.includes('virbr0'))).toBe(true)
  })
})

describe('the guardian: restore steps', () => {
  const all = (steps: ReturnType<typeof restoreSteps>): string[][] => steps.flatMap((s) => s.apply)

  it('reloads the whole ruleset from memory after deleting the network’s tables still there', () => {
    const steps = restoreSteps([{ kind: 'table', object: 'table inet guestnet_default', detail: '' }], plan, PATHS, {
      tables: [{ family: 'inet', name: 'guestnet_default' }]
    })
    expect(all(steps)).toEqual([
      ['@delete-table', 'inet', 'guestnet_default'],
      ['@write', '/run/guestnet/default/ruleset.nft', 'nft'],
      ['nft', '-f', '/run/guestnet/default/ruleset.nft']
    ])
    expect(steps.every((s) => s.rollback.length === 0)).toBe(true)
  })

  it('puts back a host sysctl through the ledger check, an address and a bridge sysctl with the plan’s words', () => {
    const steps = restoreSteps(
      [
        { kind: 'sysctl', object: 'net.ipv4.ip_forward', detail: '' },
        { kind: 'address', object: 'address 192.168.122.1/24', detail: '' },
        { kind: 'sysctl', object: 'net.ipv6.conf.virbr0.accept_ra', detail: '' }
      ],
      plan,
      PATHS,
      { tables: [] }
    )
    expect(all(steps)).toEqual([
      ['ip', 'address', 'add', '192.168.122.1/24', 'broadcast', '+', 'dev', 'virbr0'],
      ['@sysctl-bridge', 'net.ipv6.conf.virbr0.accept_ra', '0'],
      ['@sysctl-reassert', 'net.ipv4.ip_forward', '1']
    ])
  })

  it('starts dnsmasq with its files written from the plan first; makes a deleted bridge as a start does', () => {
    const steps = restoreSteps(
      [
        { kind: 'dnsmasq', object: 'dnsmasq', detail: '' },
        { kind: 'bridge', object: 'bridge virbr0', detail: '' }
      ],
      plan,
      PATHS,
      { tables: [] }
    )
    expect(steps.map((s) => s.id)).toEqual(['restore-bridge', 'restore-dnsmasq'])
    expect(all(steps).at(-1)).toEqual(['dnsmasq', '--conf-file=/run/guestnet/default/dnsmasq.conf'])
    expect(steps[1]?.apply[0]).toEqual(['@write', '/run/guestnet/default/dnsmasq.conf', 'dnsmasq.conf'])
    expect(steps[0]?.apply).toContainEqual(['ip', '-batch', '/run/guestnet/default/ip.batch'])
  })

  it('tells a network that runs another definition by its generated files', () => {
    const files = (k: string): string | null => plan.artifacts[k] ?? null
    expect(differingArtifacts(plan, files)).toEqual([])
    expect(differingArtifacts(plan, (k) => (k === 'nft' ? 'table inet x {}' : files(k)))).toEqual(['nft'])
  })
})

describe('the guardian: isolated ports on a kernel without nft bridge meta', () => {
  const isolatedPlan = buildPlan(defaultNet({ port: { isolated: true } }), { paths: PATHS, portIsolation: 'kernel' })
  const isolatedRecord = recordOfPlan('journal', isolatedPlan, ctx, { pid: 42, startTime: 7 })
  const w = wantedOf(isolatedPlan, isolatedRecord)
  const seen = (o: Partial<ObservedNetwork>): ObservedNetwork => ({
    ...healthy(),
    addresses: new Set(['192.168.122.1/24']),
    sysctls: new Map(Object.entries(isolatedPlan.sysctls).map(([k, v]) => [k, `${v}\n`])),
    ...o
  })

  it('wants the ports isolated only when the plan isolates them by the kernel’s flag', () => {
    expect(w.isolatePorts).toBe(true)
    expect(wanted.isolatePorts).toBe(false)
    const nftPlan = buildPlan(defaultNet({ port: { isolated: true } }), { paths: PATHS, portIsolation: 'nft' })
    expect(wantedOf(nftPlan, recordOfPlan('journal', nftPlan, ctx)).isolatePorts).toBe(false)
  })

  it('finds each port without the flag as its own object (positive control: none when all have it)', () => {
    expect(findDrift(w, seen({ isolatedPorts: ['vnet0'] }))).toEqual([])
    expect(findDrift(w, seen({ openPorts: ['vnet1', 'vnet2'] })).map((d) => d.object)).toEqual([
      'port vnet1',
      'port vnet2'
    ])
    // Not wanted: an open port is no drift.
    expect(findDrift(wanted, { ...healthy(), openPorts: ['vnet1'] })).toEqual([])
  })

  it('isolates with the plan’s own step, and after making the bridge again also puts it back in its zone', () => {
    const ports = restoreSteps([{ kind: 'port', object: 'port vnet1', detail: '' }], isolatedPlan, PATHS, {
      tables: []
    })
    expect(ports.flatMap((s) => s.apply)).toEqual([['@isolate-ports', 'virbr0']])
    const bridge = restoreSteps([{ kind: 'bridge', object: 'bridge virbr0', detail: '' }], isolatedPlan, PATHS, {
      tables: [],
      zone: 'guestnet'
    })
    expect(bridge.map((s) => s.id)).toEqual(['restore-bridge', 'restore-ports'])
    expect(bridge[0]?.apply.at(-1)).toEqual(['@firewalld-zone', 'virbr0', 'guestnet'])
  })

  it('wants the journal’s firewalld zone, and puts a bridge firewalld forgot back in it (not one the admin moved)', () => {
    const zoned = wantedOf(plan, { ...record, zone: 'guestnet' })
    expect(zoned.zone).toBe('guestnet')
    expect(wanted.zone).toBeNull()
    // Positive control: in its zone, or not asked this time, or no firewalld: nothing to do.
    expect(findDrift(zoned, { ...healthy(), zone: 'guestnet' })).toEqual([])
    expect(findDrift(zoned, healthy())).toEqual([])
    expect(findDrift(zoned, { ...healthy(), zone: null })).toEqual([])
    expect(findDrift(zoned, { ...healthy(), zone: 'trusted' })).toEqual([])
    // Not wanted (no zone in the journal): in no zone is no drift.
    expect(findDrift(wanted, { ...healthy(), zone: '' })).toEqual([])
    const drifts = findDrift(zoned, { ...healthy(), zone: '' })
    expect(drifts).toEqual([
      {
        kind: 'zone',
        object: 'zone of virbr0',
        detail: 'virbr0 is in no firewalld zone (firewalld was reloaded or restarted)'
      }
    ])
    const steps = restoreSteps(drifts, plan, PATHS, { tables: [], zone: 'guestnet' })
    expect(steps.map((s) => [s.id, s.apply])).toEqual([['restore-zone', [['@firewalld-zone', 'virbr0', 'guestnet']]]])
    // With the bridge made again, the bridge step already zones it: once, not twice.
    const both = restoreSteps([{ kind: 'bridge', object: 'bridge virbr0', detail: '' }, ...drifts], plan, PATHS, {
      tables: [],
      zone: 'guestnet'
    })
    expect(both.flatMap((s) => s.apply).filter((a) => a[0] === '@firewalld-zone')).toHaveLength(1)
  })
})

describe('normalizeListing', () => {
  it("leaves out counters and the guests an ipv6='lan' table has seen, not other sets' elements", () => {
    const listing = (seen: string) => `table inet guestnet_lan {
	set lan_seen {
		type ipv6_addr
		flags dynamic,timeout
		timeout 1h${seen}
	}
	set fixed {
		type ipv4_addr
		elements = { 10.0.0.1 }
	}
	chain input {
		counter packets 5 bytes 300 accept
	}
}`
    const none = normalizeListing(listing(''))
    expect(
      normalizeListing(
        listing(
          '\n\t\telements = { 2001:db8:aa::5 timeout 1h expires 59m,\n\t\t\t     2001:db8:aa::6 timeout 1h expires 3m }'
        )
      )
    ).toBe(none)
    expect(none).toContain('elements = { 10.0.0.1 }')
    expect(none).not.toContain('packets')
  })
})
