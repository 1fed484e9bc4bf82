/**
 * Building blocks of a laptop-like world made only of network namespaces: a "host" namespace (where
 * guestnet runs), an "internet" namespace on documentation addresses joined to it by a veth uplink, and
 * guest namespaces whose veth's other end is a port of a bridge in the host namespace. Shared by
 * `guestnet sandbox` and the namespace tests; every command goes through a guarded `NsExec`.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { parseIpAddrJson } from '../core/host/parse-host-facts'
import { parseCidr, cidrContainsIp } from '../core/net/cidr'
import { parseIp } from '../core/net/ip'
import type { NsExec } from './ns-exec'
import { waitFor } from './wait'

export interface UplinkSpec {
  hostNs: string
  inetNs: string
  /** Interface names (each at most 15 bytes, unique only within its namespace). */
  hostIf: string
  inetIf: string
  /** CIDR addresses, e.g. `203.0.113.1/24`, `2001:db8::1/64`. */
  inet4: string
  host4: string
  inet6: string
  host6: string
}

/** Creates a namespace with its loopback up. */
export async function addNamespace(x: NsExec, name: string): Promise<void> {
  await x.run(['ip', 'netns', 'add', name])
  await x.ip(name, ['link', 'set', 'lo', 'up'])
}

export async function listNamespaces(x: NsExec): Promise<string[]> {
  const { stdout } = await x.run(['ip', 'netns', 'list'])
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((name): name is string => Boolean(name))
}

export async function namespacePids(x: NsExec, ns: string): Promise<number[]> {
  const { stdout } = await x.run(['ip', 'netns', 'pids', ns], { allowFail: true })
  return stdout
    .split(/\s+/)
    .filter((word) => /^\d+$/.test(word))
    .map(Number)
}

/** Deletes a namespace (its veths go with it); a namespace that is already gone is fine. */
export async function deleteNamespace(x: NsExec, name: string): Promise<void> {
  await x.run(['ip', 'netns', 'del', name], { allowFail: true })
}

/** Writes a sysctl inside a namespace (through /proc/sys of that namespace, never the machine's). */
export async function nsSysctl(x: NsExec, ns: string, key: string, value: string): Promise<void> {
  await x.inNs(ns, ['busybox', 'sysctl', '-q', '-w', `${key}=${value}`])
}

/** The uplink veth, its addresses (no DAD wait) and the host's default routes towards the internet side. */
export async function connectUplink(x: NsExec, s: UplinkSpec): Promise<void> {
  await x.ip(s.hostNs, ['link', 'add', s.hostIf, 'type', 'veth', 'peer', 'name', s.inetIf, 'netns', s.inetNs])
  await x.ip(s.inetNs, ['addr', 'add', s.inet4, 'dev', s.inetIf])
  await x.ip(s.inetNs, ['addr', 'add', s.inet6, 'dev', s.inetIf, 'nodad'])
  await x.ip(s.hostNs, ['addr', 'add', s.host4, 'dev', s.hostIf])
  await x.ip(s.hostNs, ['addr', 'add', s.host6, 'dev', s.hostIf, 'nodad'])
  await x.ip(s.inetNs, ['link', 'set', s.inetIf, 'up'])
  await x.ip(s.hostNs, ['link', 'set', s.hostIf, 'up'])
  await x.ip(s.hostNs, ['route', 'add', 'default', 'via', addressOf(s.inet4), 'dev', s.hostIf])
  await x.ip(s.hostNs, ['-6', 'route', 'add', 'default', 'via', addressOf(s.inet6), 'dev', s.hostIf])
}

/** `203.0.113.1/24` → `203.0.113.1`. */
export function addressOf(cidr: string): string {
  return cidr.split('/')[0]
}

export interface GuestAttach {
  hostNs: string
  guestNs: string
  /** The host-side veth end, a port of `bridge` (at most 15 bytes, unique in the host namespace). */
  hostIf: string
  guestIf: string
  bridge: string
  mac?: string
}

/**
 * Joins an existing guest namespace to a bridge of the host namespace, like a VM's tap device: the guest
 * end accepts router advertisements (SLAAC) and comes up last, so the guest starts with a fresh link.
 */
export async function attachGuest(x: NsExec, g: GuestAttach): Promise<void> {
  const mac = g.mac ? ['address', g.mac] : []
  await x.ip(g.hostNs, ['link', 'add', g.hostIf, 'type', 'veth', 'peer', 'name', g.guestIf, ...mac, 'netns', g.guestNs])
  await nsSysctl(x, g.guestNs, `net.ipv6.conf.${g.guestIf}.accept_ra`, '1')
  await nsSysctl(x, g.guestNs, `net.ipv6.conf.${g.guestIf}.autoconf`, '1')
  await x.ip(g.hostNs, ['link', 'set', g.hostIf, 'master', g.bridge, 'up'])
  await x.ip(g.guestNs, ['link', 'set', g.guestIf, 'up'])
}

/** Global IPv6 addresses of an interface that finished duplicate address detection. */
export async function globalIpv6(x: NsExec, ns: string, ifname: string): Promise<string[]> {
  const links = await x.ipJson<unknown>(ns, ['-6', 'addr', 'show', 'dev', ifname, 'scope', 'global'])
  return parseIpAddrJson(links).flatMap((a) => (a.family === 6 && a.tentative !== true ? [a.address] : []))
}

/** Waits for a SLAAC address (in `prefix` when given); returns it. */
export async function waitForSlaac(
  x: NsExec,
  ns: string,
  ifname: string,
  opts: { prefix?: string; timeoutMs?: number } = {}
): Promise<string> {
  const prefix = opts.prefix ? parseCidr(opts.prefix) : null
  return waitFor(
    async () => {
      const found = (await globalIpv6(x, ns, ifname)).find((a) => {
        const ip = parseIp(a)
        return !prefix || (ip !== null && cidrContainsIp(prefix, ip))
      })
      return found ?? null
    },
    {
      timeoutMs: opts.timeoutMs ?? 15_000,
      intervalMs: 50,
      what: `a SLAAC address${opts.prefix ? ` in ${opts.prefix}` : ''} on ${ns}/${ifname}`
    }
  )
}

/** The page the internet namespace serves, and where its CGI answers the caller's address. */
export const INTERNET_PAGE = 'guestnet sandbox internet: you reached 203.0.113.0/24\n'
export const PEER_CGI_PATH = '/cgi-bin/peer'

/** Writes busybox httpd's document root: an index page and a CGI that prints the peer's address. */
export async function writeInternetDocroot(dir: string): Promise<void> {
  await mkdir(join(dir, 'cgi-bin'), { recursive: true })
  await writeFile(join(dir, 'index.html'), INTERNET_PAGE)
  const cgi = join(dir, 'cgi-bin', 'peer')
  await writeFile(cgi, '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n%s\\n" "$REMOTE_ADDR"\n')
  await chmod(cgi, 0o755)
}

/** busybox httpd reports `[::ffff:203.0.113.2]` or `[2001:db8::2]`; this gives the plain address. */
export function normalizePeer(text: string): string {
  return text
    .trim()
    .replace(/^\[/, '')
    .replace(/\]$/, '')
    .replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1')
}

/** The argv that serves `docroot` on port 80 of `ns` in the foreground (the caller spawns and owns it). */
export function httpdArgv(ns: string, docroot: string): string[] {
  return ['ip', 'netns', 'exec', ns, 'busybox', 'httpd', '-f', '-p', '80', '-h', docroot]
}

/** The name the internet namespace's DNS answers with its own addresses. */
export const INTERNET_NAME = 'internet.test'

/**
 * The internet's DNS server (dnsmasq in the foreground, no upstream, no files): `internet.test` is the
 * internet namespace's address; any other name is NXDOMAIN at once (`address=/#/`), so a forwarded
 * query never waits for a timeout. The host namespace uses it as its
 * upstream, so guestnet's dnsmasq forwards there instead of to the machine's own resolvers.
 */
export function internetDnsArgv(ns: string, inet4: string, inet6: string): string[] {
  return [
    'ip',
    'netns',
    'exec',
    ns,
    'dnsmasq',
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    '--no-resolv',
    '--no-hosts',
    '--bind-interfaces',
    `--listen-address=${inet4}`,
    `--listen-address=${inet6}`,
    `--address=/${INTERNET_NAME}/${inet4}`,
    `--address=/${INTERNET_NAME}/${inet6}`,
    '--address=/#/',
    '--pid-file=',
    '--user=nobody',
    '--group=nogroup'
  ]
}

/**
 * `/etc/netns/NS/resolv.conf`, which `ip netns exec NS …` bind-mounts over /etc/resolv.conf for every
 * program started that way (dnsmasq included). Returns the directory, for removal.
 */
export async function writeNsResolvConf(ns: string, servers: string[], search?: string): Promise<string> {
  const dir = join('/etc/netns', ns)
  await mkdir(dir, { recursive: true, mode: 0o755 })
  const lines = [...servers.map((d) => `nameserver ${d}`), ...(search ? [`search ${search}`] : [])]
  await writeFile(
    join(dir, 'resolv.conf'),
    `# guestnet sandbox: resolver of network namespace ${ns}\n${lines.join('\n')}\n`
  )
  return dir
}

/** Fetches a URL from inside a namespace with busybox wget; null when it could not. */
export async function fetchFrom(x: NsExec, ns: string, url: string, timeoutS = 3): Promise<string | null> {
  // No `-T`: busybox 1.35's wget crashes with it; the run's own timeout ends a fetch that hangs.
  const result = await x.inNs(ns, ['busybox', 'wget', '-q', '-O', '-', url], {
    allowFail: true,
    timeoutMs: timeoutS * 1000
  })
  return result.code === 0 ? result.stdout : null
}

/** The round-trip time in ms of one ping (IPv4 or IPv6 by the address) from `ns`; null without an answer. */
export async function pingRtt(x: NsExec, ns: string, address: string, timeoutS = 2): Promise<number | null> {
  const tool = address.includes(':') ? 'ping6' : 'ping'
  const result = await x.inNs(ns, ['busybox', tool, '-c', '1', '-W', String(timeoutS), address], {
    allowFail: true,
    timeoutMs: timeoutS * 1000 + 3000
  })
  if (result.code !== 0) return null
  const rtt = /time=([\d.]+) ms/.exec(result.stdout)
  return rtt ? Number(rtt[1]) : 0
}

export async function pingFrom(x: NsExec, ns: string, address: string, timeoutS = 2): Promise<boolean> {
  return (await pingRtt(x, ns, address, timeoutS)) !== null
}

/**
 * Resolves `name` (A records by default) with the DNS server at `server` from inside `ns`; the
 * addresses found (empty: none). One record type per query: an unanswerable AAAA query would
 * otherwise be forwarded upstream and cost seconds.
 */
export async function resolveFrom(
  x: NsExec,
  ns: string,
  name: string,
  server: string,
  type: 'a' | 'aaaa' = 'a'
): Promise<string[]> {
  const result = await x.inNs(ns, ['busybox', 'nslookup', `-type=${type}`, name, server], {
    allowFail: true,
    timeoutMs: 8000
  })
  // busybox prints the server first ("Server:", "Address: S:53"), then the answers; it exits 1 when
  // either the A or the AAAA query found nothing, so the exit code says little.
  const answers = result.stdout
    .split(/\n\s*\n/)
    .slice(1)
    .join('\n')
  return [...answers.matchAll(/^Address(?: \d+)?:\s*(\S+)/gm)].map((m) => m[1].replace(/#\d+$/, ''))
}
