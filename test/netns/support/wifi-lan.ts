/**
 * A Wi-Fi-like LAN for `ipv6='lan'` tests: an access point (a bridge in its own namespace) whose nft
 * `bridge` table drops (and counts) every frame from the host's port `hp` whose source MAC is not
 * the host's (an access point without 4-address mode), a router namespace sending RAs for the LAN's
 * /64 (dnsmasq), LAN peers, and the host's uplink `wlan0` plugged into it.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { parseIpAddrJson } from '../../../src-main/core/host/parse-host-facts'
import { cidrContainsIp, parseCidr } from '../../../src-main/core/net/cidr'
import { parseIp } from '../../../src-main/core/net/ip'
import { nsSysctl } from '../../../src-main/sandbox/topology'
import { waitFor } from '../../../src-main/sandbox/wait'
import type { World } from './world'

export const WLAN = 'wlan0'

/** The ipv6='lan' network both the namespace and the QEMU tests run: NAT for IPv4, a ULA fallback. */
export const LAN6 = { name: 'lan6', bridge: 'virbr7', gw4: '192.168.171.1', ula64: 'fd42:7:7:7::/64' } as const
export const LAN6_XML = `<network>
  <name>${LAN6.name}</name>
  <bridge name='${LAN6.bridge}'/>
  <forward mode='nat'/>
  <metadata><gn:uplink xmlns:gn='urn:guestnet:network:1' ipv6='lan'/></metadata>
  <ip address='${LAN6.gw4}' prefix='24'><dhcp><range start='192.168.171.10' end='192.168.171.99'/></dhcp></ip>
  <ip family='ipv6' address='fd42:7:7:7::1' prefix='64'/>
</network>
`

export const inPrefix =
  (prefix: string) =>
  (a: string): boolean => {
    const ip = parseIp(a)
    const c = parseCidr(prefix)
    return ip !== null && c !== null && cidrContainsIp(c, ip)
  }

export async function ip6Addrs(world: World, ns: string, dev: string) {
  return parseIpAddrJson(await world.x.ipJson<unknown>(ns, ['-6', 'addr', 'show', 'dev', dev, 'scope', 'global']))
}

/** Waits for a usable (not tentative) SLAAC address of `ns`'s `dev` in `prefix`. */
export async function waitForAddress(world: World, ns: string, dev: string, prefix: string): Promise<string> {
  const found = await waitFor(
    async () => (await ip6Addrs(world, ns, dev)).find((a) => inPrefix(prefix)(a.address) && !a.tentative),
    { timeoutMs: 15_000, what: `${ns} ${dev}'s SLAAC address in ${prefix}` }
  )
  return found.address
}

/** A LAN: its access-point bridge, a router sending RAs for `prefix` (dnsmasq). Returns the AP's namespace. */
export async function makeLan(world: World, tag: string, prefix: string): Promise<string> {
  const { x } = world
  const lan = await world.newNamespace(`l${tag}`)
  const router = await world.newNamespace(`r${tag}`)
  await x.ip(lan, ['link', 'add', 'ap0', 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0'])
  await nsSysctl(x, lan, 'net.ipv6.conf.ap0.disable_ipv6', '1')
  await x.ip(lan, ['link', 'set', 'ap0', 'up'])
  await x.ip(lan, ['link', 'add', 'rp', 'type', 'veth', 'peer', 'name', 'lan0', 'netns', router])
  await x.ip(lan, ['link', 'set', 'rp', 'master', 'ap0', 'up'])
  const routerAddr = `${prefix.split('::')[0]}::1/64`
  await nsSysctl(x, router, 'net.ipv6.conf.all.forwarding', '1')
  await x.ip(router, ['addr', 'add', routerAddr, 'dev', 'lan0', 'nodad'])
  await x.ip(router, ['link', 'set', 'lan0', 'up'])
  const conf = join(world.dir, `router-${tag}.conf`)
  await writeFile(
    conf,
    [
      'port=0',
      'interface=lan0',
      'bind-dynamic',
      'enable-ra',
      `dhcp-range=${prefix.split('/')[0]},ra-only,64`,
      'ra-param=lan0,3,1800',
      `pid-file=${join(world.dir, `router-${tag}.pid`)}`,
      `dhcp-leasefile=${join(world.dir, `router-${tag}.leases`)}`,
      ''
    ].join('\n')
  )
  world.spawn(['ip', 'netns', 'exec', router, 'dnsmasq', '--keep-in-foreground', `--conf-file=${conf}`])
  return lan
}

/** A peer on `lan` (its `eth0` on the access point, SLAAC from the LAN's router). Returns its namespace. */
export async function addLanPeer(world: World, lan: string): Promise<string> {
  const { x } = world
  const peer = await world.newNamespace('p')
  await x.ip(lan, ['link', 'add', 'pp', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', peer])
  await x.ip(lan, ['link', 'set', 'pp', 'master', 'ap0', 'up'])
  await x.ip(peer, ['link', 'set', 'eth0', 'up'])
  return peer
}

/**
 * The host's uplink `wlan0` (down, accepting RAs), its other end `hp` in `lan` (not yet plugged in),
 * and the world's wired IPv6 default route gone: IPv6 comes from the Wi-Fi's RAs. Returns the host's MAC.
 */
export async function addWlan(world: World, lan: string): Promise<string> {
  const { x, host } = world
  await x.ip(host, ['-6', 'route', 'del', 'default'])
  await x.ip(host, ['link', 'add', WLAN, 'type', 'veth', 'peer', 'name', 'hp', 'netns', lan])
  await nsSysctl(x, host, `net.ipv6.conf.${WLAN}.accept_ra`, '1')
  return (await x.ipJson<Array<{ address: string }>>(host, ['link', 'show', 'dev', WLAN]))[0].address
}

/** The access point's rule on the host's port `hp`: only the host's own MAC gets through. */
export async function apFilter(world: World, lan: string, hostMac: string): Promise<void> {
  const file = join(world.dir, `ap-${lan}.nft`)
  await writeFile(
    file,
    [
      'table bridge ap {',
      '  counter foreign { }',
      '  chain forward { type filter hook forward priority 0; policy accept;',
      `    iifname "hp" ether saddr != ${hostMac} counter name "foreign" drop`,
      '  }',
      '}',
      ''
    ].join('\n')
  )
  await world.x.inNs(lan, ['nft', '-f', file])
}

/** Frames from the host's port with a foreign source MAC, dropped by the access point. */
export async function foreignFrames(world: World, lan: string): Promise<number> {
  const out = (await world.x.inNs(lan, ['nft', '-j', 'list', 'counter', 'bridge', 'ap', 'foreign'])).stdout
  const m = /"packets":\s*(\d+)/.exec(out)
  if (!m) throw new Error(`no counter in ${out}`)
  return Number(m[1])
}

/** Plugs the host's uplink into `lan`'s access point (the veth end `hp` moves there). */
export async function plugHost(world: World, lan: string): Promise<void> {
  await world.x.ip(lan, ['link', 'set', 'hp', 'master', 'ap0', 'up'])
}

/** Plugs the host into `lan` and brings `wlan0` up; resolves with the host's SLAAC address in `prefix`. */
export async function connectWlan(world: World, lan: string, prefix: string): Promise<string> {
  await plugHost(world, lan)
  await world.x.ip(world.host, ['link', 'set', WLAN, 'up'])
  return waitForAddress(world, world.host, WLAN, prefix)
}
