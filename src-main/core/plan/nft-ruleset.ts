/**
 * The nftables ruleset of one network: one `inet` table guestnet owns (see nft-names.ts), loaded
 * with `nft -f` as a single atomic transaction and removed with `nft delete table`.
 *
 * Chains (each network's table has the same shape, and only ever decides about its own bridge):
 *   input        guests → host: DHCP, DNS, TFTP, RS/ND accepted explicitly
 *   forward      dispatches traffic entering or leaving our bridge to:
 *   from_guests  same-bridge traffic accepted; other guestnet bridges refused (unless both networks
 *                route); the subnets out (towards `forward dev` when pinned); everything else rejected
 *   to_guests    other guestnet bridges refused; NAT: only replies (ct established,related) in;
 *                route: the subnets in; everything else rejected
 *   postrouting  NAT: libvirt's masquerade / snat rules
 *
 * Where we differ from libvirt on purpose: IPv6 on a NAT network is routed but inbound is limited to
 * replies (libvirt accepts unsolicited inbound IPv6 to the guests); guests' needs from the host are
 * accepted on the input hook (libvirt's nft backend compiles those rules out); traffic between two
 * guestnet bridges is refused unless both are routed networks; reject rules cover IPv6 on IPv4-only
 * networks too (one inet table).
 *
 * `<port isolated='yes'/>` adds a second table, `bridge guestnet_<name>` (an inet table cannot hook
 * the bridge family): its forward chain drops every frame the bridge switches from one of its ports
 * to another, so guests reach the host (bridge input) but not each other, ports that join later
 * included. It needs the kernel's nft bridge meta keys (NFT_BRIDGE_META). A kernel without them
 * gets the kernel's own per-port flag instead (`portIsolation: 'kernel'`, what libvirt sets on each
 * tap): no bridge table, the plan's `ports` step and the warm service's guardian set `isolated on`
 * on every port of the bridge. In the inet table the same-bridge rule drops too, for traffic that
 * br_netfilter hands to the IP hooks.
 */
import type { NftChain, NftExtras, NftFeature, NftFeatureContext, PortIsolation } from './nft-extras'
import { mergeExtras } from './nft-extras'
import { NFT_FEATURES } from './nft-features'
import type { AddressBlock, NetworkShape } from './network-shape'
import { GUESTNET_DEVGROUP } from './devgroup'
import { nftTableName } from './nft-names'
import { canonicalIp } from '../net/ip'
import { spanBridgeChains, spanOf } from './nft-span'

type Chain = NftChain

const quote = (ifname: string): string => `"${ifname}"`

type Extras = Required<NftExtras>

function inputChain(shape: NetworkShape, extras: Extras): Chain {
  const br = quote(shape.bridge)
  const lines = [
    "# What guests need from the host. An accept only ends this table's verdict: a drop in any other",
    '# table on this hook (ufw, firewalld, a VPN kill switch) still wins, whatever this table says.'
  ]
  if (shape.dhcp4) lines.push(`iifname ${br} udp dport 67 accept`)
  if (shape.dhcp6) lines.push(`iifname ${br} udp dport 547 accept`)
  // The read request; dnsmasq sends the file from an ephemeral port, and the guest's ACKs to that
  // port pass under this chain's accept policy (only another table's drop could stop them).
  if (shape.tftp) lines.push(`iifname ${br} udp dport 69 accept`)
  if (shape.needsDnsmasq && shape.dnsEnabled) lines.push(`iifname ${br} meta l4proto { tcp, udp } th dport 53 accept`)
  if (shape.bridgeIpv6) {
    lines.push(`iifname ${br} icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert } accept`)
  }
  lines.push(...extras.input)
  return { name: 'input', base: 'type filter hook input priority filter; policy accept;', lines }
}

function forwardChain(shape: NetworkShape, extras: Extras): Chain {
  const br = quote(shape.bridge)
  return {
    name: 'forward',
    base: 'type filter hook forward priority filter; policy accept;',
    lines: [...extras.forward, `iifname ${br} jump from_guests`, `oifname ${br} jump to_guests`]
  }
}

function familyOf(block: AddressBlock): 'ip' | 'ip6' {
  return block.ip.family === 'ipv4' ? 'ip' : 'ip6'
}

/** IPv4 blocks always, IPv6 blocks too: NAT networks route IPv6 (or NAT66 it), route networks route both. */
function forwardedBlocks(shape: NetworkShape): AddressBlock[] {
  return shape.isolated ? [] : [...shape.ipv4, ...shape.ipv6]
}

export function hasIsolatedPorts(shape: NetworkShape): boolean {
  return shape.def.port?.isolated === true
}

function fromGuestsChain(shape: NetworkShape, extras: Extras): Chain {
  const { forward } = shape.def
  const out = forward.dev ? ` oifname ${quote(forward.dev)}` : ''
  const lines = hasIsolatedPorts(shape)
    ? ['# isolated ports: guests on this bridge do not reach each other', `oifname ${quote(shape.bridge)} drop`]
    : ['# guests on this bridge reach each other', `oifname ${quote(shape.bridge)} accept`]
  if (!shape.isolated && forward.mode !== 'route') {
    lines.push(
      '# never into another guestnet network (only two routed networks reach each other)',
      `oifgroup ${GUESTNET_DEVGROUP} reject`
    )
  }
  for (const block of forwardedBlocks(shape)) {
    lines.push(`${familyOf(block)} saddr ${block.subnetText}${out} accept`)
  }
  lines.push(...extras.fromGuests, 'reject')
  return { name: 'from_guests', lines }
}

function toGuestsChain(shape: NetworkShape, extras: Extras): Chain {
  const { forward } = shape.def
  const inn = forward.dev ? `iifname ${quote(forward.dev)} ` : ''
  const lines: string[] = []
  if (!shape.isolated && forward.mode !== 'route') {
    lines.push('# nothing from another guestnet network', `iifgroup ${GUESTNET_DEVGROUP} reject`)
  }
  lines.push(...extras.toGuests)
  for (const block of forwardedBlocks(shape)) {
    const daddr = `${familyOf(block)} daddr ${block.subnetText}`
    if (forward.mode === 'route') {
      lines.push(`${inn}${daddr} accept`)
    } else {
      if (block.ip.family === 'ipv6' && !forward.nat?.ipv6) {
        lines.push('# routed IPv6 behind a stateful filter: replies only, no new inbound connections')
      }
      lines.push(`${inn}${daddr} ct state established,related accept`)
    }
  }
  lines.push('reject')
  return { name: 'to_guests', lines }
}

function natTarget(shape: NetworkShape, block: AddressBlock, withPorts: boolean): string {
  const nat = shape.def.forward.nat
  const ports = withPorts ? `:${nat?.portStart ?? 1024}-${nat?.portEnd ?? 65535}` : ''
  if (block.ip.family === 'ipv4' && nat?.addressStart) {
    const start = canonicalIp(nat.addressStart) ?? nat.addressStart
    const end = nat.addressEnd ? (canonicalIp(nat.addressEnd) ?? nat.addressEnd) : undefined
    const range = end && end !== start ? `${start}-${end}` : start
    return `snat ip to ${range}${ports}`
  }
  return withPorts ? `masquerade to ${ports}` : 'masquerade'
}

function natRules(shape: NetworkShape, block: AddressBlock): string[] {
  const dev = shape.def.forward.dev
  const out = dev ? ` oifname ${quote(dev)}` : ''
  const fam = familyOf(block)
  const src = `${fam} saddr ${block.subnetText}`
  const away = `${src} ${fam} daddr != ${block.subnetText}${out}`
  const lines =
    fam === 'ip'
      ? [`${src} ip daddr 224.0.0.0/24${out} return`, `${src} ip daddr 255.255.255.255${out} return`]
      : [`${src} ip6 daddr ff02::/16${out} return`]
  // Source ports of NATed tcp/udp stay ≥ 1024 so guests cannot pose as privileged local clients (NFS).
  lines.push(
    `meta l4proto tcp ${away} ${natTarget(shape, block, true)}`,
    `meta l4proto udp ${away} ${natTarget(shape, block, true)}`,
    `${away} ${natTarget(shape, block, false)}`
  )
  return lines
}

function postroutingChain(shape: NetworkShape, extras: Extras): Chain | null {
  const nat = shape.def.forward.mode === 'nat'
  const blocks = nat ? [...shape.ipv4, ...(shape.def.forward.nat?.ipv6 ? shape.ipv6 : [])] : []
  const lines = [...extras.postrouting, ...blocks.flatMap((b) => natRules(shape, b))]
  if (lines.length === 0) return null
  return { name: 'postrouting', base: 'type nat hook postrouting priority srcnat; policy accept;', lines }
}

function renderChain(chain: Chain): string {
  const body = [...(chain.base ? [chain.base] : []), ...chain.lines].map((l) => `\t\t${l}\n`).join('')
  return `\tchain ${chain.name} {\n${body}\t}\n`
}

/** The chains of the network's table, in file order: the base ones with every feature's rules. */
export function nftChains(
  shape: NetworkShape,
  ctx: NftFeatureContext = {},
  features: readonly NftFeature[] = NFT_FEATURES
): Chain[] {
  const extras = mergeExtras(features, shape, ctx)
  const chains = [
    inputChain(shape, extras),
    forwardChain(shape, extras),
    fromGuestsChain(shape, extras),
    toGuestsChain(shape, extras)
  ]
  const nat = postroutingChain(shape, extras)
  return [...chains, ...(nat ? [nat] : []), ...extras.chains]
}

/** The sets features declare in the network's table (`set lan_seen { … }`), before its chains. */
export function nftSets(
  shape: NetworkShape,
  ctx: NftFeatureContext = {},
  features: readonly NftFeature[] = NFT_FEATURES
): string[] {
  return mergeExtras(features, shape, ctx).sets
}

/** The bridge table's chains: port isolation (nft-enforced), a span's VXLAN port. */
function bridgeChains(shape: NetworkShape, isolation: PortIsolation | undefined): Chain[] {
  const span = spanOf(shape)
  return [
    ...(hasIsolatedPorts(shape) && (isolation ?? 'nft') === 'nft' ? [isolationChain(shape)] : []),
    ...(span ? spanBridgeChains(shape, span) : [])
  ]
}

function isolationChain(shape: NetworkShape): Chain {
  const br = quote(shape.bridge)
  return {
    name: 'forward',
    base: 'type filter hook forward priority filter; policy accept;',
    lines: [
      "# <port isolated='yes'/>: nothing is switched between two ports of this bridge",
      `meta ibrname ${br} meta obrname ${br} drop`
    ]
  }
}

/** The tables a network's ruleset holds (`inet NAME`, `bridge NAME`), in file order. */
export function nftTablesOf(shape: NetworkShape, isolation: PortIsolation = 'nft'): string[] {
  const name = nftTableName(shape.def.name)
  const tables = shape.def.forward.mode === 'open' ? [] : [`inet ${name}`]
  if ((hasIsolatedPorts(shape) && isolation === 'nft') || spanOf(shape)) tables.push(`bridge ${name}`)
  return tables
}

/**
 * `create` fails when a table of that name exists (another store's network of the same name, or
 * anything else): the whole file is then refused and nothing is touched. The comment is the owner
 * mark (core/store/store-id.ts) by which stop and reconcile recognise the table as this network's.
 */
function renderTable(table: string, chains: Chain[], owner: string, sets: string[] = []): string[] {
  const body = [...sets.map((set) => `\t${set}\n`), ...chains.map(renderChain)].join('\n')
  return [`create table ${table} { comment "${owner}"; }`, `table ${table} {`, body + '}']
}

export function renderNftRuleset(shape: NetworkShape, owner: string, ctx: NftFeatureContext = {}): string {
  const mode = shape.isolated ? 'isolated' : shape.def.forward.mode
  const body = nftTablesOf(shape, ctx.portIsolation).flatMap((table) =>
    table.startsWith('bridge ')
      ? renderTable(table, bridgeChains(shape, ctx.portIsolation), owner)
      : renderTable(table, nftChains(shape, ctx), owner, nftSets(shape, ctx))
  )
  return [
    `# guestnet firewall for network ${JSON.stringify(shape.def.name)}, bridge ${shape.bridge}, mode ${mode}`,
    '# Loaded with nft -f as one transaction: all of it, or (a table of the same name exists) nothing.',
    ...body,
    ''
  ].join('\n')
}
