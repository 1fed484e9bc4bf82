/**
 * Gathers one DoctorObservation: our networks (store + journals), links and routes (`ip -j`), the
 * nftables ruleset, iptables of both backends, sysctls, sockets on the DHCP/DNS ports, firewalld,
 * programs. Runs inside the helper's namespace. As a normal user it still looks at what it can and
 * lists the rest in `unavailable`; it never changes anything.
 */
import { parseHostFacts, parseIpAddrJson } from '../../core/host/parse-host-facts'
import type { NetworkEntry } from '../../store/network-store'
import { confKey, raUplinkNames } from '../checks/accept-ra'
import { BR_NF_KEYS } from '../checks/br-netfilter'
import type {
  DoctorObservation,
  ObservedIptables,
  ObservedLink,
  ObservedNetwork,
  ObservedRoute,
  ObservedUnderlayRoute
} from '../model'
import { isIptablesNftTable, parseNftRuleset } from '../parse/nft-ruleset'
import { observeFirewalld } from './firewalld'
import { observedNetwork } from './networks'
import { observeSockets } from './sockets'

export interface ObserveDeps {
  netns: string | null
  uid: number
  runtimeDir: string
  listNetworks(): Promise<NetworkEntry[]>
  /** A journal exists for the network: it runs. */
  isRunning(name: string): boolean
  /** Runs an allow-listed program; never throws (code null: it could not start). */
  exec(argv: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }>
  /** Absolute path of an allow-listed program, or null when it is not installed. */
  findProgram(name: string): string | null
  /** A kernel view (`/proc/...`) of the doctor's own namespace. */
  readFile(path: string): string | null
  /**
   * A file of the host's own configuration (`/etc/...`, what libvirt defines, say): under the store's
   * `--root` when there is one (a sandbox or a test sees its own tree, never the machine's).
   */
  hostFile(path: string): string | null
  sockets?: (runtimeDir: string) => DoctorObservation['sockets']
}

export const OBSERVED_PROGRAMS = [
  'ip',
  'nft',
  'dnsmasq',
  'iptables-nft',
  'ip6tables-nft',
  'iptables-legacy',
  'ip6tables-legacy',
  'firewall-cmd'
] as const

interface IpAddrJson {
  ifname?: unknown
  group?: unknown
  linkinfo?: { info_kind?: unknown }
  addr_info?: unknown
  mtu?: unknown
  flags?: unknown
}

/** Pure: `ip -j -d addr show` → links. */
export function parseIpAddr(json: string): ObservedLink[] {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return []
  }
  if (!Array.isArray(raw)) return []
  return (raw as IpAddrJson[]).flatMap((l) =>
    typeof l.ifname === 'string'
      ? [
          {
            ifname: l.ifname,
            group: typeof l.group === 'string' ? l.group : 'default',
            kind: typeof l.linkinfo?.info_kind === 'string' ? l.linkinfo.info_kind : null,
            addresses: parseIpAddrJson([l]).map((a) => `${a.address}/${a.prefix}`),
            ...(typeof l.mtu === 'number' ? { mtu: l.mtu } : {}),
            ...(Array.isArray(l.flags) ? { up: l.flags.includes('UP') } : {})
          }
        ]
      : []
  )
}

/** Pure: `ip -j [-6] route show table all` → routes, through the core's host-facts parser (one parser for both). */
export function parseIpRoutes(json: string, family: 4 | 6): ObservedRoute[] {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return []
  }
  if (!Array.isArray(raw)) return []
  const facts = parseHostFacts({ addr: [], route4: family === 4 ? raw : [], route6: family === 6 ? raw : [] })
  return facts.routes.map((r) => ({
    family,
    dst: r.dst,
    dev: r.dev ?? null,
    protocol: r.protocol ?? null,
    table: r.table
  }))
}

/** Pure: `ip -j route get PEER from UNDERLAY` → its device, or why there is no usable route. */
export function parseRouteGet(
  r: { code: number | null; stdout: string; stderr: string },
  peer: string,
  from: string
): ObservedUnderlayRoute {
  const fail = (error: string): ObservedUnderlayRoute => ({ peer, from, dev: null, error })
  if (r.code !== 0) return fail(r.stderr.trim().split('\n').pop() || 'ip route get failed')
  let raw: unknown
  try {
    raw = JSON.parse(r.stdout)
  } catch {
    return fail('ip route get printed something that is not JSON')
  }
  const route = (Array.isArray(raw) ? raw[0] : null) as { dev?: unknown; type?: unknown } | null
  if (typeof route?.type === 'string' && ['unreachable', 'blackhole', 'prohibit'].includes(route.type))
    return fail(`the route is of type ${route.type}`)
  return typeof route?.dev === 'string' ? { peer, from, dev: route.dev, error: null } : fail('no route')
}

/** Cheap and local: the kernel's routing decision for each peer, no packet sent. */
async function observeUnderlayRoutes(deps: ObserveDeps, networks: ObservedNetwork[]): Promise<ObservedUnderlayRoute[]> {
  const pairs = networks.flatMap((n) => {
    const from = n.span?.underlay
    return from === undefined ? [] : (n.span?.peers ?? []).map((peer) => ({ peer, from }))
  })
  return Promise.all(
    pairs.map(async ({ peer, from }) =>
      parseRouteGet(await deps.exec(['ip', '-j', 'route', 'get', peer, 'from', from]), peer, from)
    )
  )
}

async function observeNetworks(deps: ObserveDeps, unavailable: string[]): Promise<ObservedNetwork[]> {
  let entries: NetworkEntry[] = []
  try {
    entries = await deps.listNetworks()
  } catch (e) {
    unavailable.push(`the networks could not be read: ${e instanceof Error ? e.message : String(e)}`)
  }
  return entries.flatMap((e) => (e.state === 'ok' ? (observedNetwork(e.def, deps.isRunning(e.name)) ?? []) : []))
}

async function observeIptables(
  deps: ObserveDeps,
  rs: ReturnType<typeof parseNftRuleset> | null,
  unavailable: string[]
): Promise<ObservedIptables[]> {
  const views: Array<Omit<ObservedIptables, 'rules'>> = []
  const hasNftTable = (family: string): boolean => (rs ? isIptablesNftTable(rs, { family, name: 'filter' }) : false)
  if (hasNftTable('ip')) views.push({ family: 4, backend: 'nft', program: 'iptables-nft' })
  if (hasNftTable('ip6')) views.push({ family: 6, backend: 'nft', program: 'ip6tables-nft' })
  const legacy = (file: string): boolean =>
    (deps.readFile(`/proc/self/net/${file}`) ?? '').split('\n').includes('filter')
  if (legacy('ip_tables_names')) views.push({ family: 4, backend: 'legacy', program: 'iptables-legacy' })
  if (legacy('ip6_tables_names')) views.push({ family: 6, backend: 'legacy', program: 'ip6tables-legacy' })
  const out: ObservedIptables[] = []
  for (const v of views) {
    if (deps.findProgram(v.program) === null) {
      unavailable.push(
        `iptables ${v.backend} rules (IPv${v.family}) exist but ${v.program} is not installed (Debian package iptables)`
      )
      continue
    }
    const r = await deps.exec([v.program, '-t', 'filter', '-S'])
    if (r.code === 0) out.push({ ...v, rules: r.stdout })
    else unavailable.push(`${v.program} -S failed: ${r.stderr.trim().split('\n').pop() ?? ''}`)
  }
  return out
}

function readSysctls(deps: ObserveDeps, keys: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  for (const key of keys) {
    const path = `/proc/sys/${key.includes('/') ? key : key.replace(/\./g, '/')}`
    out[key] = deps.readFile(path)?.trim() ?? null
  }
  return out
}

export async function observe(deps: ObserveDeps): Promise<DoctorObservation> {
  const unavailable: string[] = []
  const asRoot = deps.uid === 0
  const programs: Record<string, string | null> = {}
  for (const p of OBSERVED_PROGRAMS) programs[p] = deps.findProgram(p)
  const [networks, addr, route6, route4, nft] = await Promise.all([
    observeNetworks(deps, unavailable),
    programs.ip ? deps.exec(['ip', '-j', '-d', 'addr', 'show']) : null,
    programs.ip ? deps.exec(['ip', '-j', '-6', 'route', 'show', 'table', 'all']) : null,
    // IPv4 too: a VPN client's default route in its own table (wg-quick's 51820) or on its kill-switch interface.
    programs.ip ? deps.exec(['ip', '-j', '-4', 'route', 'show', 'table', 'all']) : null,
    programs.nft && asRoot ? deps.exec(['nft', '-j', 'list', 'ruleset']) : null
  ])
  let nftRuleset: unknown = null
  if (nft?.code === 0) {
    try {
      nftRuleset = JSON.parse(nft.stdout)
    } catch {
      unavailable.push('nft -j list ruleset printed something that is not JSON')
    }
  } else {
    unavailable.push(
      asRoot
        ? `the nftables ruleset could not be listed${nft ? `: ${nft.stderr.trim()}` : ' (nft is missing)'}`
        : 'firewall rules (nftables, iptables): only root can list them'
    )
  }
  const links = addr?.code === 0 ? parseIpAddr(addr.stdout) : []
  const routes = [
    ...(route6?.code === 0 ? parseIpRoutes(route6.stdout, 6) : []),
    ...(route4?.code === 0 ? parseIpRoutes(route4.stdout, 4) : [])
  ]
  const underlayRoutes = programs.ip ? await observeUnderlayRoutes(deps, networks) : []
  const iptables = asRoot
    ? await observeIptables(deps, nftRuleset === null ? null : parseNftRuleset(nftRuleset), unavailable)
    : []
  const uplinks = raUplinkNames({ routes, networks })
  const sysctls = readSysctls(deps, [
    'net.ipv4.ip_forward',
    'net.ipv6.conf.all.forwarding',
    ...BR_NF_KEYS,
    ...uplinks.flatMap((d) => [confKey(d, 'accept_ra'), confKey(d, 'forwarding')])
  ])
  const firewalld = await observeFirewalld({
    installed: programs['firewall-cmd'] !== null,
    netns: deps.netns,
    bridges: networks.map((n) => n.bridge),
    conf: deps.hostFile('/etc/firewalld/firewalld.conf'),
    exec: async (argv) => {
      const r = await deps.exec(argv)
      return { code: r.code ?? -1, stdout: r.stdout }
    }
  })
  const sockets = (deps.sockets ?? observeSockets)(deps.runtimeDir)
  if (!asRoot && sockets.length > 0) unavailable.push('which programs hold the DHCP and DNS ports: only root can see')
  return {
    netns: deps.netns,
    asRoot,
    networks,
    sysctls,
    links,
    routes,
    ...(underlayRoutes.length > 0 ? { underlayRoutes } : {}),
    nftRuleset,
    iptables,
    firewalld,
    sockets,
    programs,
    libvirtDefaultDefined: deps.hostFile('/etc/libvirt/qemu/networks/default.xml') !== null,
    unavailable
  }
}
