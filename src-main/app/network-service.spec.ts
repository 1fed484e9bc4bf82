import { describe, expect, it } from 'vitest'

import type { HostFacts } from '../core/model/host-facts'
import type { NetworkDef } from '../core/model/network'
import { formatNetworkXml } from '../core/xml/format-network-xml'
import type { Channel, ChannelOutput, EventName, EventPayload, IpcResult } from '../contract/ipc-contract'
import type { HelperRequest, HelperVerb, RequestOf, StepEvent } from '../contract/helper-protocol'
import type { NetworkEntry, OkNetworkEntry } from '../store/network-store'
import type { RunOptions } from '../helper-client/app-runner'
import type { ClientResult } from '../helper-client/client-result'
import { dispatch } from './ipc/dispatch'
import type { ServiceDeps } from './network-service'
import type { DefaultRecords } from './service/default-state'
import { createNetworkService } from './network-service'

const facts: HostFacts = {
  addresses: [{ ifname: 'wlan0', family: 4, address: '192.168.1.23', prefix: 24 }],
  routes: [
    { family: 4, dst: '0.0.0.0/0', dev: 'wlan0', table: 'main', gateway: '192.168.1.1' },
    { family: 4, dst: '10.8.0.0/16', dev: 'wg0', table: '51820' }
  ]
}

function netDef(name: string, bridge: string, third: number, extra: Partial<NetworkDef> = {}): NetworkDef {
  return {
    name,
    uuid: `00000000-0000-4000-8000-00000000000${third % 10}`,
    forward: { mode: 'nat' },
    bridge: { name: bridge, stp: true, delay: 0 },
    ips: [
      {
        family: 'ipv4',
        address: `192.168.${third}.1`,
        prefix: 24,
        dhcp: { ranges: [{ start: `192.168.${third}.2`, end: `192.168.${third}.254` }], hosts: [] }
      }
    ],
    ...extra
  }
}

const entry = (def: NetworkDef, autostart = false): OkNetworkEntry => ({
  name: def.name,
  state: 'ok',
  def,
  xml: formatNetworkXml(def),
  autostart,
  file: `/etc/guestnet/networks/${def.name}.xml`
})

interface World {
  entries: NetworkEntry[]
  active: Set<string>
  requests: HelperRequest[]
  privileged: boolean[]
  events: { event: EventName; payload: unknown }[]
  files: Map<string, string>
  /** Makes a verb fail: the events it sends first, then the outcome. */
  failing: Map<string, { events: StepEvent[]; outcome: ClientResult<HelperVerb> }>
  defaultRecords: DefaultRecords
  neighbours: { family: 'ipv4' | 'ipv6'; ip: string; mac: string; state: string }[]
}

function setup(initial: NetworkEntry[] = []) {
  const w: World = {
    entries: [...initial],
    active: new Set(),
    requests: [],
    privileged: [],
    events: [],
    files: new Map(),
    failing: new Map(),
    defaultRecords: { exists: false, created: false, deletedUuid: null, deletedRecordCorrupt: false },
    neighbours: []
  }
  const answer = (req: HelperRequest, opts: RunOptions): ClientResult<HelperVerb> => {
    w.requests.push(req)
    w.privileged.push(opts.privileged)
    const fail = w.failing.get(req.verb)
    if (fail) {
      fail.events.forEach((e) => opts.onEvent?.(e))
      return fail.outcome
    }
    switch (req.verb) {
      case 'status':
        return {
          ok: true,
          value: {
            storeProblems: [],
            networks: w.entries.map((e) => ({
              name: e.name,
              state: w.active.has(e.name) ? 'active' : 'inactive',
              problems: [],
              defined: true,
              autostart: false,
              uuid: null,
              bridge: null,
              bridgePresent: false,
              dnsmasqPid: null,
              dnsmasqAlive: null,
              tables: [],
              startedAt: null,
              netns: null
            }))
          }
        }
      case 'apply': {
        const { name, xml, state } = req.args
        if (xml !== undefined) {
          const d = netDef(name, 'virbr9', 99)
          w.entries = [...w.entries.filter((e) => e.name !== name), { ...entry(d), xml }]
        }
        if (req.args.delete) {
          w.active.delete(name)
          w.entries = w.entries.filter((e) => e.name !== name)
        }
        if (state === 'active') {
          opts.onEvent?.({ type: 'step-started', network: name, step: 'bridge', title: 'Create the bridge' })
          opts.onEvent?.({ type: 'step-done', network: name, step: 'bridge' })
          w.active.add(name)
        }
        if (state === 'inactive') w.active.delete(name)
        return {
          ok: true,
          value: {
            network: name,
            defined: null,
            autostart: req.args.autostart ?? false,
            state: req.args.delete ? 'deleted' : w.active.has(name) ? 'active' : 'inactive',
            started: null,
            stopped: false,
            message: 'done'
          }
        }
      }
      case 'leases':
        return {
          ok: true,
          value: {
            network: req.args.name,
            leases: [],
            problems: [],
            ...(req.args.neighbours ? { neighbours: w.neighbours } : {})
          }
        }
      case 'update':
        return {
          ok: true,
          value: {
            network: req.args.name,
            command: req.args.command,
            section: req.args.section,
            summary: `added ${req.args.xml}`,
            live: true,
            config: true,
            dnsmasqPid: 42,
            message: `added ${req.args.xml} live and in the stored definition`
          }
        }
      default:
        return { ok: false, error: { code: 'INTERNAL', message: `the test helper has no ${req.verb}` } }
    }
  }
  const helper = async <V extends HelperVerb>(req: RequestOf<V>, opts: RunOptions): Promise<ClientResult<V>> =>
    answer(req, opts) as ClientResult<V>
  const deps: ServiceDeps = {
    store: { list: async () => w.entries, get: async (n) => w.entries.find((e) => e.name === n) ?? null },
    helper,
    helperArgs: { root: '/tmp/r', netns: 'gn-sbx-host' },
    hostFacts: async () => facts,
    planPaths: { runtimeDir: '/tmp/r/run/guestnet', stateDir: '/tmp/r/var/lib/guestnet' },
    leasesFile: (n) => `/leases/${n}`,
    readText: async (p) => w.files.get(p) ?? null,
    hostUla: async () => 'fd12:3456:789a::/48',
    rangePool: async () => undefined,
    defaultRecords: async () => w.defaultRecords,
    emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void w.events.push({ event, payload }),
    info: { version: '0.1.0', mode: 'sandbox', elevation: 'direct', storeRoot: '/tmp/r' },
    now: () => 1_000_000_000_000
  }
  const handlers = createNetworkService(deps)
  const call = <C extends Channel>(channel: C, input: unknown = {}) =>
    dispatch(handlers, channel, input) as Promise<IpcResult<ChannelOutput<C>>>
  const raw = (channel: string, input: unknown = {}) => dispatch(handlers, channel, input)
  return { w, call, raw }
}

describe('network service', () => {
  it('validate names the host route a range clashes with, once', async () => {
    const { call } = setup()
    const r = await call('network:validate', {
      def: netDef('lab', 'virbr1', 0, { ips: [{ family: 'ipv4', address: '10.8.3.1', prefix: 24 }] })
    })
    expect(r).toEqual({
      ok: true,
      value: {
        problems: [],
        clashes: [
          {
            overlaps: '10.8.0.0/16',
            ifname: 'wg0',
            table: '51820',
            message: '10.8.3.0/24 overlaps 10.8.0.0/16 on wg0 (table 51820)'
          }
        ]
      }
    })
  })

  it('validate reports a taken name and bridge when creating, not when editing', async () => {
    const { call } = setup([entry(netDef('default', 'virbr0', 122))])
    const fresh = netDef('default', 'virbr0', 124)
    delete fresh.uuid
    const created = await call('network:validate', { def: fresh })
    expect(created.ok && created.value.problems.map((p) => p.field)).toEqual(['name', 'bridge.name'])
    const edited = await call('network:validate', { def: netDef('default', 'virbr0', 124), editing: 'default' })
    expect(edited.ok && edited.value.problems).toEqual([])
  })

  it('define creates, sets autostart and starts, forwarding progress with titles', async () => {
    const { call, w } = setup()
    const r = await call('network:define', {
      def: netDef('lab', 'virbr1', 123),
      autostart: true,
      start: true,
      opId: 'op1'
    })
    expect(r.ok).toBe(true)
    // One user action, one request (one pkexec run, one password prompt): no status calls around it.
    expect(w.requests.map((q) => q.verb)).toEqual(['apply'])
    const apply = w.requests[0] as RequestOf<'apply'>
    expect(apply.args).toMatchObject({
      root: '/tmp/r',
      netns: 'gn-sbx-host',
      name: 'lab',
      autostart: true,
      state: 'active'
    })
    expect(apply.args.xml).toContain('<name>lab</name>')
    const progress = w.events.filter((e) => e.event === 'apply:progress').map((e) => e.payload)
    expect(progress).toEqual([
      { opId: 'op1', network: 'lab', kind: 'step-started', stepId: 'bridge', title: 'Create the bridge' },
      { opId: 'op1', network: 'lab', kind: 'step-done', stepId: 'bridge', title: 'Create the bridge' }
    ])
    expect(w.events).toContainEqual({ event: 'network:state-changed', payload: { network: 'lab', status: 'active' } })
    expect(w.privileged).toEqual([true])
  })

  it('define refuses an existing name and a clashing range without running the helper', async () => {
    const { call, w } = setup([entry(netDef('lab', 'virbr1', 123))])
    expect(await call('network:define', { def: netDef('lab', 'virbr2', 124) })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_EXISTS', field: 'name' }
    })
    const clash = await call('network:define', {
      def: netDef('vpn', 'virbr3', 0, { ips: [{ family: 'ipv4', address: '10.8.3.1', prefix: 24 }] })
    })
    expect(clash).toMatchObject({
      ok: false,
      error: { code: 'CLASH', message: '10.8.3.0/24 overlaps 10.8.0.0/16 on wg0 (table 51820)' }
    })
    expect(w.requests.filter((q) => q.verb !== 'status')).toEqual([])
  })

  it('a failed start says what was rolled back', async () => {
    const { call, w } = setup([entry(netDef('lab', 'virbr1', 123))])
    w.failing.set('apply', {
      events: [
        { type: 'step-started', network: 'lab', step: 'bridge', title: 'Create bridge virbr1' },
        { type: 'step-done', network: 'lab', step: 'bridge' },
        { type: 'step-started', network: 'lab', step: 'dnsmasq', title: 'Start dnsmasq' },
        { type: 'step-failed', network: 'lab', step: 'dnsmasq', error: 'port 53 in use' },
        { type: 'rolled-back', network: 'lab', step: 'dnsmasq', errors: [] },
        { type: 'rolled-back', network: 'lab', step: 'bridge', errors: [] }
      ],
      outcome: { ok: false, error: { code: 'STEP_FAILED', message: 'Start dnsmasq failed: port 53 in use' } }
    })
    const r = await call('network:start', { name: 'lab', opId: 'op2' })
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'APPLY_FAILED',
        message: 'Start dnsmasq failed: port 53 in use',
        rolledBack: ['Start dnsmasq', 'Create bridge virbr1']
      }
    })
  })

  it('a dismissed password prompt comes back as CANCELLED', async () => {
    const { call, w } = setup([entry(netDef('lab', 'virbr1', 123))])
    w.failing.set('apply', {
      events: [],
      outcome: { ok: false, error: { code: 'CANCELLED', message: 'the password prompt was dismissed' } }
    })
    expect(await call('network:start', { name: 'lab' })).toMatchObject({ ok: false, error: { code: 'CANCELLED' } })
  })

  it('lists networks with live state and guest counts from the lease file', async () => {
    const { call, w } = setup([entry(netDef('default', 'virbr0', 122), true), entry(netDef('lab', 'virbr1', 123))])
    w.active.add('default')
    w.files.set(
      '/leases/default',
      [
        '1000003600 52:54:00:00:00:01 192.168.122.10 g1 *',
        '999999000 52:54:00:00:00:02 192.168.122.11 gone *',
        '0 52:54:00:00:00:03 192.168.122.12 * *'
      ].join('\n')
    )
    const r = await call('network:list')
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value).toMatchObject([
      {
        name: 'default',
        status: 'active',
        bridge: 'virbr0',
        ipv4: '192.168.122.1/24',
        guests: 2,
        autostart: true,
        isDefault: true
      },
      { name: 'lab', status: 'inactive', guests: 0, autostart: false, isDefault: false }
    ])
  })

  it('leases shows current leases and reservations', async () => {
    const def = netDef('default', 'virbr0', 122)
    def.ips[0].dhcp?.hosts.push({ mac: '52:54:00:00:00:09', ip: '192.168.122.9', name: 'db' })
    const { call, w } = setup([entry(def)])
    w.files.set('/leases/default', '1000003600 52:54:00:00:00:01 192.168.122.10 g1 01:52:54:00:00:00:01\n')
    expect(await call('network:leases', { name: 'default' })).toEqual({
      ok: true,
      value: {
        name: 'default',
        leases: [
          {
            mac: '52:54:00:00:00:01',
            ip: '192.168.122.10',
            hostname: 'g1',
            expiresAt: 1000003600,
            clientId: '01:52:54:00:00:00:01'
          }
        ],
        reservations: [{ mac: '52:54:00:00:00:09', ip: '192.168.122.9', name: 'db' }]
      }
    })
  })

  it('undefine stops a running network first', async () => {
    const { call, w } = setup([entry(netDef('lab', 'virbr1', 123))])
    w.active.add('lab')
    expect((await call('network:undefine', { name: 'lab' })).ok).toBe(true)
    expect(w.requests.map((q) => q.verb)).toEqual(['apply'])
    expect(w.requests[0].args).toMatchObject({ name: 'lab', delete: true })
  })

  it('derives gateway and DHCP range, and refuses what is not a usable prefix', async () => {
    const { call } = setup()
    expect(await call('network:address-plan', { ipv4: '10.20.30.40/24', ipv6: 'fd12:3456:789a:5::/64' })).toEqual({
      ok: true,
      value: {
        ipv4: {
          subnet: '10.20.30.0/24',
          gateway: '10.20.30.1',
          prefix: 24,
          dhcpStart: '10.20.30.2',
          dhcpEnd: '10.20.30.254'
        },
        ipv6: { subnet: 'fd12:3456:789a:5::/64', gateway: 'fd12:3456:789a:5::1', prefix: 64 },
        problems: []
      }
    })
    const bad = await call('network:address-plan', { ipv4: '10.1.2.3', ipv6: '2001:db8::/48' })
    expect(bad.ok && bad.value.problems.map((p) => p.field)).toEqual(['ipv4', 'ipv6'])
  })

  it('suggests virbr0 and 192.168.122.0/24 for the default, the next free ones otherwise', async () => {
    const { call } = setup()
    expect(await call('host:suggest-range', { purpose: 'default' })).toEqual({
      ok: true,
      value: { name: 'default', bridge: 'virbr0', ipv4: '192.168.122.0/24', ula64: 'fd12:3456:789a::/64' }
    })
    const { call: call2 } = setup([entry(netDef('default', 'virbr0', 122))])
    expect(await call2('host:suggest-range', { purpose: 'other' })).toEqual({
      ok: true,
      value: { name: 'network1', bridge: 'virbr1', ipv4: '192.168.123.0/24', ula64: 'fd12:3456:789a:1::/64' }
    })
  })

  it("default-state says a deleted default was deleted on purpose, through the contract's check", async () => {
    const { call, w } = setup()
    expect(await call('network:default-state')).toEqual({
      ok: true,
      value: { exists: false, created: false, defaultDeleted: false, deletedUuid: null }
    })
    w.defaultRecords = {
      exists: false,
      created: true,
      deletedUuid: '0f2c3b8e-1d1a-4c52-9a43-6c6f1b0e7d21',
      deletedRecordCorrupt: false
    }
    expect(await call('network:default-state')).toEqual({
      ok: true,
      value: { exists: false, created: true, defaultDeleted: true, deletedUuid: '0f2c3b8e-1d1a-4c52-9a43-6c6f1b0e7d21' }
    })
    expect(w.requests).toEqual([])
  })

  it('import refuses XML that does not parse, naming the line', async () => {
    const { call } = setup()
    const r = await call('network:import-xml', {
      xml: '<network>\n<name>x</name>\n<forward mode="bogus"/>\n</network>'
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_NETWORK' } })
  })
})

describe('dispatch', () => {
  it('refuses unknown channels and malformed input, naming the field', async () => {
    const { call, raw } = setup()
    expect(await raw('network:format-disk')).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: "unknown channel 'network:format-disk'" }
    })
    expect(await call('network:start', { name: 7 })).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'name: expected a string, got 7', field: 'name' }
    })
    expect(await call('network:start', { name: 'x', extra: 1 })).toMatchObject({ ok: false, error: { field: 'extra' } })
  })

  it('turns a handler answer that breaks the contract into an INTERNAL error', async () => {
    const handlers = { 'network:list': async () => [{ name: 1 }] } as unknown as Parameters<typeof dispatch>[0]
    const logs: string[] = []
    const r = await dispatch(handlers, 'network:list', {}, (m) => logs.push(m))
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(logs[0]).toContain('[0].name')
  })
})

describe('guests', () => {
  const NOW_S = 1_000_000_000
  const leaseLine = `${NOW_S + 3600} 52:54:00:aa:bb:01 192.168.5.50 web *\n`

  it('network:guests joins the lease file, the neighbour table the helper read (never privileged) and first seen', async () => {
    const { w, call } = setup([entry(netDef('lab', 'virbr5', 5))])
    w.files.set('/leases/lab', leaseLine)
    w.neighbours = [{ family: 'ipv6', ip: 'fd00:5::50', mac: '52:54:00:aa:bb:01', state: 'REACHABLE' }]
    const r = await call('network:guests', { name: 'lab' })
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.guests).toEqual([
      {
        mac: '52:54:00:aa:bb:01',
        hostname: 'web',
        ipv4: { ip: '192.168.5.50', expiresAt: NOW_S + 3600, source: 'lease' },
        ipv6: [{ ip: 'fd00:5::50', source: 'neighbour', linkLocal: false }],
        reservation: null,
        firstSeen: NOW_S
      }
    ])
    expect(r.value.addresses).toEqual(['192.168.5.1/24'])
    const leasesReq = w.requests.find((q) => q.verb === 'leases')
    expect(leasesReq?.args).toMatchObject({ name: 'lab', neighbours: true, netns: 'gn-sbx-host' })
    expect(w.privileged[w.requests.findIndex((q) => q.verb === 'leases')]).toBe(false)
  })

  it('network:keep-lease sends the reservation through the helper update verb, privileged, and announces the change', async () => {
    const { w, call } = setup([entry(netDef('lab', 'virbr5', 5))])
    w.files.set('/leases/lab', leaseLine)
    const r = await call('network:keep-lease', { name: 'lab', mac: '52:54:00:AA:BB:01' })
    expect(r).toMatchObject({ ok: true, value: { ip: '192.168.5.50', hostname: 'web', mac: '52:54:00:aa:bb:01' } })
    const i = w.requests.findIndex((q) => q.verb === 'update')
    expect(w.requests[i].args).toMatchObject({
      name: 'lab',
      command: 'add',
      section: 'ip-dhcp-host',
      xml: "<host mac='52:54:00:aa:bb:01' ip='192.168.5.50' name='web'/>"
    })
    expect(w.privileged[i]).toBe(true)
    expect(w.events).toContainEqual({ event: 'leases:changed', payload: { network: 'lab' } })
  })

  it('network:keep-lease refuses an unknown MAC and a malformed one before any change is asked for', async () => {
    const { w, call } = setup([entry(netDef('lab', 'virbr5', 5))])
    w.files.set('/leases/lab', leaseLine)
    const unknown = await call('network:keep-lease', { name: 'lab', mac: '52:54:00:aa:bb:99' })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'mac' } })
    if (!unknown.ok) expect(unknown.error.message).toMatch(/no guest with MAC 52:54:00:aa:bb:99 has a live IPv4 lease/)
    const junk = await call('network:keep-lease', { name: 'lab', mac: '52:54:00:aa:bb:01; rm -rf' })
    expect(junk).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'mac' } })
    expect(w.requests.some((q) => q.verb === 'update')).toBe(false)
  })
})
