import { describe, expect, it } from 'vitest'

import type { NetworkDef } from '../../core/model/network'
import { observeFirewalld, parseZoneInfo } from './firewalld'
import { observedNetwork } from './networks'
import type { ObserveDeps } from './observe'
import { observe, parseIpAddr, parseIpRoutes, parseRouteGet } from './observe'

const IP_ADDR = JSON.stringify([
  { ifname: 'lo', group: 'default', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
  {
    ifname: 'virbr0',
    group: '26478',
    linkinfo: { info_kind: 'bridge' },
    addr_info: [{ family: 'inet', local: '192.168.150.1', prefixlen: 24 }]
  },
  { nope: 1 }
])

describe('observation parsing', () => {
  it('reads links with their group, kind and addresses', () => {
    expect(parseIpAddr(IP_ADDR)).toEqual([
      { ifname: 'lo', group: 'default', kind: null, addresses: ['127.0.0.1/8'] },
      { ifname: 'virbr0', group: '26478', kind: 'bridge', addresses: ['192.168.150.1/24'] }
    ])
    expect(parseIpAddr('oops')).toEqual([])
  })

  it("reads a link's MTU and whether it is up, when ip lists them", () => {
    const [eth] = parseIpAddr(
      JSON.stringify([{ ifname: 'eth1', mtu: 1500, flags: ['BROADCAST', 'UP'], addr_info: [] }])
    )
    expect(eth).toMatchObject({ ifname: 'eth1', mtu: 1500, up: true })
    const [down] = parseIpAddr(JSON.stringify([{ ifname: 'eth1', mtu: 1500, flags: ['BROADCAST'], addr_info: [] }]))
    expect(down.up).toBe(false)
  })

  it('reads `ip -j route get`: the device, or why there is no usable route', () => {
    const ok = { code: 0, stdout: '[{"dst":"198.51.100.2","from":"198.51.100.1","dev":"eth1"}]', stderr: '' }
    expect(parseRouteGet(ok, '198.51.100.2', '198.51.100.1')).toEqual({
      peer: '198.51.100.2',
      from: '198.51.100.1',
      dev: 'eth1',
      error: null
    })
    const none = { code: 2, stdout: '', stderr: 'RTNETLINK answers: Network is unreachable\n' }
    expect(parseRouteGet(none, 'p', 'f').error).toBe('RTNETLINK answers: Network is unreachable')
    const hole = { code: 0, stdout: '[{"type":"blackhole","dst":"198.51.100.2"}]', stderr: '' }
    expect(parseRouteGet(hole, 'p', 'f').error).toBe('the route is of type blackhole')
  })

  it('reads routes with their protocol', () => {
    const routes = parseIpRoutes(
      JSON.stringify([
        { dst: 'default', dev: 'wlan0', protocol: 'ra' },
        { dst: '2001:db8::/64', dev: 'wlan0', protocol: 'kernel', table: 'main' }
      ]),
      6
    )
    expect(routes).toEqual([
      { family: 6, dst: '::/0', dev: 'wlan0', protocol: 'ra', table: 'main' },
      { family: 6, dst: '2001:db8::/64', dev: 'wlan0', protocol: 'kernel', table: 'main' }
    ])
  })

  it('reads a firewalld zone', () => {
    expect(
      parseZoneInfo(
        'public (active)\n  target: default\n  interfaces: eth0\n  services: ssh dhcpv6-client\n  ports: \n'
      )
    ).toEqual({ target: 'default', services: ['ssh', 'dhcpv6-client'] })
  })

  it('turns a definition into what the checks need', () => {
    const def = {
      name: 'n',
      bridge: { name: 'virbr3' },
      forward: { mode: 'nat' },
      ips: [
        {
          family: 'ipv4',
          address: '10.9.0.1',
          prefix: 24,
          dhcp: { ranges: [{ start: '10.9.0.10', end: '10.9.0.20' }], hosts: [] }
        }
      ]
    } as unknown as NetworkDef
    expect(observedNetwork(def, true)).toEqual({
      name: 'n',
      bridge: 'virbr3',
      running: true,
      mode: 'nat',
      isolated: false,
      ipv4: ['10.9.0.1/24'],
      ipv6: [],
      subnets: ['10.9.0.0/24'],
      dhcp4: true,
      dhcp6: false,
      dns: true
    })
    expect(observedNetwork({ ...def, bridge: { name: 'virbr%d' } } as NetworkDef, false)).toBeNull()
    // A span: its port defaults to 4789, its <mtu> is kept (null: none).
    const spanning = {
      ...def,
      mtu: 1400,
      guestnet: { span: { vni: 9, underlay: '198.51.100.1', peers: [{ address: '198.51.100.2' }] } }
    } as NetworkDef
    expect(observedNetwork(spanning, false)?.span).toEqual({
      vni: 9,
      port: 4789,
      underlay: '198.51.100.1',
      peers: ['198.51.100.2'],
      mtu: 1400
    })
  })
})

describe('observing', () => {
  it('asks firewalld only when it runs, and never inside a namespace', async () => {
    const calls: string[] = []
    const exec = async (argv: readonly string[]): Promise<{ code: number; stdout: string }> => {
      calls.push(argv.join(' '))
      if (argv[1] === '--state') return { code: 0, stdout: 'running\n' }
      if (argv[1] === '--get-default-zone') return { code: 0, stdout: 'public\n' }
      if (argv[1] === '--get-zones') return { code: 0, stdout: 'libvirt public trusted\n' }
      if (argv[1].startsWith('--get-zone-of-interface')) return { code: 2, stdout: 'no zone\n' }
      return { code: 0, stdout: 'target: default\nservices: ssh\n' }
    }
    const fw = await observeFirewalld({ installed: true, netns: null, bridges: ['virbr0'], exec })
    expect(fw).toMatchObject({
      state: 'running',
      defaultZone: 'public',
      interfaceZones: { virbr0: null },
      zoneInfo: { public: { services: ['ssh'] } }
    })
    expect((await observeFirewalld({ installed: true, netns: 'x', bridges: [], exec })).state).toBe('skipped')
    expect((await observeFirewalld({ installed: false, netns: null, bridges: [], exec })).state).toBe('absent')
    const stopped = await observeFirewalld({
      installed: true,
      netns: null,
      bridges: [],
      exec: async () => ({ code: 252, stdout: 'not running\n' })
    })
    expect(stopped.state).toBe('not-running')
  })

  it('as a normal user: no firewall listing, and says so', async () => {
    const ran: string[] = []
    const deps: ObserveDeps = {
      netns: null,
      uid: 1000,
      runtimeDir: '/run/guestnet',
      listNetworks: async () => [],
      isRunning: () => false,
      exec: async (argv) => {
        ran.push(argv.join(' '))
        return { code: 0, stdout: '[]', stderr: '' }
      },
      findProgram: (p) => (p === 'dnsmasq' ? null : `/usr/sbin/${p}`),
      readFile: () => null,
      hostFile: () => null,
      sockets: () => []
    }
    const obs = await observe(deps)
    expect(ran.some((c) => c.startsWith('nft') || c.startsWith('iptables'))).toBe(false)
    expect(obs).toMatchObject({ asRoot: false, nftRuleset: null, iptables: [] })
    expect(obs.programs.dnsmasq).toBeNull()
    expect(obs.unavailable).toEqual(['firewall rules (nftables, iptables): only root can list them'])
  })

  it('as root: lists iptables of each backend that has a filter table', async () => {
    const ran: string[] = []
    const deps: ObserveDeps = {
      netns: 'ns',
      uid: 0,
      runtimeDir: '/run/guestnet',
      listNetworks: async () => [],
      isRunning: () => false,
      exec: async (argv) => {
        ran.push(argv.join(' '))
        if (argv[0] === 'nft')
          return {
            code: 0,
            stdout: JSON.stringify({
              nftables: [
                { table: { family: 'ip', name: 'filter' } },
                { chain: { family: 'ip', table: 'filter', name: 'FORWARD', hook: 'forward', policy: 'drop' } }
              ]
            }),
            stderr: ''
          }
        return { code: 0, stdout: argv[0] === 'ip' ? '[]' : '-P FORWARD DROP\n', stderr: '' }
      },
      findProgram: (p) => `/usr/sbin/${p}`,
      readFile: (p) =>
        p === '/proc/self/net/ip6_tables_names' ? 'filter\n' : p === '/proc/sys/net/ipv4/ip_forward' ? '1\n' : null,
      // libvirt's default network is defined in the store's own view of the host, not read from /etc.
      hostFile: (p) => (p === '/etc/libvirt/qemu/networks/default.xml' ? '<network/>' : null),
      sockets: () => []
    }
    const obs = await observe(deps)
    expect(obs.libvirtDefaultDefined).toBe(true)
    expect((await observe({ ...deps, hostFile: () => null })).libvirtDefaultDefined).toBe(false)
    expect(obs.iptables.map((v) => v.program)).toEqual(['iptables-nft', 'ip6tables-legacy'])
    expect(ran).toContain('iptables-nft -t filter -S')
    expect(obs.sysctls['net.ipv4.ip_forward']).toBe('1')
    expect(obs.firewalld.state).toBe('skipped')
  })
})
