/**
 * A new guest's first seconds on a running network, timed from its attach: the host end of its veth
 * enslaved to the bridge and brought up (the guest's eth0 is already up, so this is the moment its
 * carrier comes on, like a VM's tap device joining the bridge). From then on, concurrently:
 * busybox udhcpc until it has a lease, and `ip monitor address route` in the guest for the IPv6
 * timeline: its link-local address finishing DAD (the guest's own cost: Linux solicits a router only
 * then), the router advertisement processed (the prefix route appears; the SLAAC address is assigned
 * at that moment, tentative: Linux announces an address only once its DAD is done), and that address
 * finishing DAD (usable).
 */
import { requestLease } from '../../../src-main/sandbox/dhcp-client'
import { cidrContainsIp, parseCidr } from '../../../src-main/core/net/cidr'
import { parseIp } from '../../../src-main/core/net/ip'
import { deleteNamespace } from '../../../src-main/sandbox/topology'
import { waitFor } from '../../../src-main/sandbox/wait'
import { untrackNamespace } from '../../netns/support/cleanup'
import type { BenchWorld } from './bench-world'

export interface GuestTimes {
  /** udhcpc started after the attach and exited with an address configured. */
  leaseMs: number
  /** The guest's link-local address left DAD (it sends its router solicitation then). */
  linkLocalMs: number | null
  /** The router advertisement was processed: the prefix route appeared, the SLAAC address was assigned (tentative). */
  slaacTentativeMs: number | null
  /** That address finished DAD: usable as a source address. */
  slaacUsableMs: number | null
}

export interface AttachedGuest {
  ns: string
  hostIf: string
  ip4: string | null
  times: GuestTimes
  remove(): Promise<void>
}

/** One `ip monitor address` line → what it says about an IPv6 address of eth0, or null. */
export function parseAddrEvent(line: string): { address: string; scope: string; tentative: boolean } | null {
  if (line.startsWith('Deleted')) return null
  const m = /\binet6 ([0-9a-f:]+)\/\d+ scope (\w+)(.*)$/.exec(line)
  if (!m) return null
  return { address: m[1], scope: m[2], tentative: /\btentative\b/.test(m[3]) }
}

/**
 * Makes guest `index`, attaches it to `bridge` in the host namespace and times lease and SLAAC.
 * `prefix6` is the network's IPv6 /64 (null: no IPv6 timeline). Bounded by `timeoutMs`.
 */
export async function attachTimedGuest(
  w: BenchWorld,
  index: number,
  bridge: string,
  prefix6: string | null,
  timeoutMs = 10_000
): Promise<AttachedGuest> {
  const { x } = w
  const ns = await w.newNamespace(`g${index}`)
  const hostIf = `gv${index}`
  await x.ip(w.host, ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns])
  await x.ip(ns, ['link', 'set', 'eth0', 'up'])

  // The monitor is subscribed once it reports a change we make ourselves.
  const monitor = w.spawn(['ip', '-n', ns, 'monitor', 'address', 'route'])
  const prefixRoute = prefix6 ? `${prefix6} dev eth0 ` : null
  const prefix = prefix6 ? parseCidr(prefix6) : null
  const seen: { ll: number | null; tentative: number | null; usable: number | null; ready: boolean } = {
    ll: null,
    tentative: null,
    usable: null,
    ready: false
  }
  let t0 = 0
  let buffer = ''
  monitor.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const now = performance.now()
    buffer += chunk
    let nl: number
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl)
      buffer = buffer.slice(nl + 1)
      if (/ lo +inet 127\.0\.0\.\d+\/8/.test(line)) seen.ready = true
      if (t0 !== 0 && prefixRoute && line.startsWith(prefixRoute) && seen.tentative === null) seen.tentative = now - t0
      const e = parseAddrEvent(line)
      if (!e || t0 === 0) continue
      if (e.scope === 'link' && !e.tentative && seen.ll === null) seen.ll = now - t0
      const ip = parseIp(e.address)
      if (e.scope === 'global' && prefix && ip && cidrContainsIp(prefix, ip) && !e.tentative && seen.usable === null)
        seen.usable = now - t0
    }
  })
  // ip subscribes a moment after it starts: add marker addresses until one is seen.
  for (let k = 2; !seen.ready; k++) {
    if (k > 40) throw new Error(`ip monitor in ${ns} reported nothing`)
    await x.ip(ns, ['addr', 'add', `127.0.0.${k}/8`, 'dev', 'lo'])
    await waitFor(async () => seen.ready, { timeoutMs: 250, intervalMs: 5, what: `ip monitor in ${ns}` }).catch(
      () => undefined
    )
  }

  t0 = performance.now()
  await x.ip(w.host, ['link', 'set', hostIf, 'master', bridge, 'up'])
  const lease = requestLease(x, {
    ns,
    ifname: 'eth0',
    hostname: `bench${index}`,
    scriptPath: w.udhcpcScript,
    leaseFile: `${w.dir}/lease-${index}`,
    timeoutMs
  }).then((r) => ({ ms: performance.now() - t0, ip: r.lease.ip }))
  const slaac = prefix
    ? waitFor(async () => seen.usable !== null, {
        timeoutMs,
        intervalMs: 5,
        what: `a usable SLAAC address in ${prefix6} on ${ns}`
      }).catch(() => false)
    : Promise.resolve(true)
  const [l] = await Promise.all([lease, slaac])
  monitor.kill('SIGTERM')
  return {
    ns,
    hostIf,
    ip4: l.ip,
    times: { leaseMs: l.ms, linkLocalMs: seen.ll, slaacTentativeMs: seen.tentative, slaacUsableMs: seen.usable },
    async remove() {
      await deleteNamespace(x, ns)
      untrackNamespace(ns)
      // The host end went with the guest's namespace (a veth pair dies together).
    }
  }
}
