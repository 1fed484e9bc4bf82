/**
 * VPN clients on the host, recognised by the rules and routes each one installs (recorded shapes in
 * test/fixtures/vpn/, each with its source): Mullvad's `inet mullvad` table, NordVPN's `inet
 * nordvpn` table or its iptables rules commented `nordvpn`, IVPN's `IVPN-IN` chain, ProtonVPN's
 * kill-switch dummy interfaces, wg-quick's table 51820 and `wg-quick-*` table. For each: what it
 * does to guests (their DHCP and DNS to the host blocked, their traffic routed through the tunnel,
 * or rejected while the VPN is down) and the narrow, reversible allowance that client itself offers.
 * Text only: the doctor never runs another program's commands. A drop in the client's own nft
 * chain is also found by the nft-drop check, whose fix (accept rules for our bridges, undone by
 * handle) works until the client rewrites its table. Pure.
 */
import { cidrContainsCidr, parseCidr } from '../../core/net/cidr'
import type { DoctorObservation, Finding } from '../model'
import type { NftRule, NftRuleset } from '../parse/nft-ruleset'
import { parseNftRuleset, ruleVerdict, rulesOfChain } from '../parse/nft-ruleset'
import { parseIptablesRules, ruleOption, rulesOf } from '../parse/iptables-rules'
import type { BridgeNeeds } from './guest-needs'
import { allBridgeNeeds, networksText, severityFor } from './guest-needs'

/** The private ranges VPN clients call "the LAN" (Mullvad's ALLOWED_LAN_NETS, NordVPN's lan_ranges). */
const LAN_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', 'fc00::/7', 'fe80::/10']

function inLanRanges(subnet: string): boolean {
  const net = parseCidr(subnet)
  if (!net) return false
  return LAN_RANGES.some((r) => {
    const lan = parseCidr(r)
    return lan !== null && cidrContainsCidr(lan, net)
  })
}

type Expr = { match?: { op?: unknown; left?: unknown; right?: unknown } }

/** `meta oif|oifname|iif|iifname == NAME` in a rule: the interface it names. */
function interfaceOf(rule: NftRule, keys: readonly string[]): string | null {
  for (const e of rule.expr as Expr[]) {
    const left = e.match?.left as { meta?: { key?: unknown } } | undefined
    const key = left?.meta?.key
    if (typeof key === 'string' && keys.includes(key) && e.match?.op === '==' && typeof e.match.right === 'string')
      return e.match.right
  }
  return null
}

/** An accept rule matching `ip saddr` (or `ip6 saddr`) with a prefix that holds `subnet`. */
function acceptsSource(rules: readonly NftRule[], subnet: string): boolean {
  const net = parseCidr(subnet)
  if (!net) return false
  return rules.some(
    (r) =>
      ruleVerdict(r) === 'accept' &&
      (r.expr as Expr[]).some((e) => {
        const left = e.match?.left as { payload?: { field?: unknown } } | undefined
        const right = e.match?.right as { prefix?: { addr?: unknown; len?: unknown } } | undefined
        if (left?.payload?.field !== 'saddr' || typeof right?.prefix?.addr !== 'string') return false
        const lan = parseCidr(`${right.prefix.addr}/${String(right.prefix.len)}`)
        return lan !== null && cidrContainsCidr(lan, net)
      })
  )
}

interface Table {
  rs: NftRuleset
  family: string
  name: string
}

function chainRules(t: Table, chain: string): NftRule[] {
  const c = t.rs.chains.find((x) => x.family === t.family && x.table === t.name && x.name === chain)
  return c ? rulesOfChain(t.rs, c) : []
}

function chainPolicy(t: Table, chain: string): string | null {
  return t.rs.chains.find((x) => x.family === t.family && x.table === t.name && x.name === chain)?.policy ?? null
}

function tunnelOf(t: Table): string | null {
  for (const r of chainRules(t, 'forward'))
    if (ruleVerdict(r) === 'accept') {
      const dev = interfaceOf(r, ['oif', 'oifname'])
      if (dev !== null) return dev
    }
  return null
}

function subnetsOf(obs: DoctorObservation): string[] {
  return obs.networks.flatMap((n) => n.subnets)
}

function affectedText(needs: readonly BridgeNeeds[]): string {
  return networksText(needs)
}

function finding(
  client: string,
  subject: string,
  f: Omit<Finding, 'id' | 'check' | 'fix' | 'title'> & { title: string }
): Finding {
  return { id: `vpn/${subject}`, check: 'vpn', fix: null, ...f, title: `${client}: ${f.title}` }
}

function routedText(tunnel: string | null, client: string): string {
  return tunnel === null
    ? `${client} is not connected (no tunnel is accepted in its forward chain), so it rejects everything guests send beyond the host: that is its kill switch.`
    : `While connected, ${client} accepts forwarded traffic only into its tunnel ${tunnel}, so guests reach the internet through the VPN (guestnet's NAT hides them behind the tunnel's address; the MSS clamp keeps large packets inside the tunnel's MTU).`
}

function mullvad(obs: DoctorObservation, rs: NftRuleset, needs: BridgeNeeds[]): Finding[] {
  if (!rs.tables.some((t) => t.family === 'inet' && t.name === 'mullvad')) return []
  const t: Table = { rs, family: 'inet', name: 'mullvad' }
  const subnets = subnetsOf(obs)
  const lanShared = subnets.length > 0 && subnets.every((s) => acceptsSource(chainRules(t, 'input'), s))
  const blocked = chainPolicy(t, 'input') === 'drop' && !lanShared
  const tunnel = tunnelOf(t)
  const outside = subnets.filter((s) => !inLanRanges(s))
  const advice = [
    "`mullvad lan set allow` (Local network sharing; undo: `mullvad lan set block`) lets guests reach the host's DHCP and DNS, and lets replies reach them.",
    ...(outside.length > 0
      ? [
          `It covers private ranges only; ${outside.join(', ')} is not one: renumber it into 10/8, 172.16/12, 192.168/16 or fc00::/7.`
        ]
      : []),
    'Guests still leave through the tunnel; Mullvad has no switch to exempt forwarded traffic.'
  ].join(' ')
  return [
    finding('Mullvad VPN', 'mullvad', {
      severity: blocked ? severityFor(needs) : 'info',
      title: blocked
        ? "its firewall (table inet mullvad) blocks guests' DHCP and DNS to the host"
        : `guests' traffic goes through its tunnel${tunnel ? ` ${tunnel}` : ''}`,
      explanation: `Mullvad's daemon keeps its own nftables table inet mullvad with input, output and forward chains that drop by policy. ${
        blocked
          ? `Local network sharing is off, so DHCP and DNS from guests of ${affectedText(needs)} to the host are dropped: new guests get no address.`
          : 'Local network sharing is on: guests reach the host.'
      } ${routedText(tunnel, 'Mullvad')}`,
      evidence: [
        'nft table inet mullvad',
        `chain input: policy ${chainPolicy(t, 'input') ?? '?'}; chain forward: policy ${chainPolicy(t, 'forward') ?? '?'}`,
        ...(tunnel ? [`forward accepts oif ${tunnel}`] : [])
      ],
      advice
    })
  ]
}

function nordvpnNft(obs: DoctorObservation, rs: NftRuleset, needs: BridgeNeeds[]): Finding[] {
  if (!rs.tables.some((t) => t.family === 'inet' && t.name === 'nordvpn')) return []
  const t: Table = { rs, family: 'inet', name: 'nordvpn' }
  const blocked = chainPolicy(t, 'input') === 'drop'
  const tunnel = tunnelOf(t)
  const subnets = subnetsOf(obs).filter((s) => !s.includes(':'))
  return [
    finding('NordVPN', 'nordvpn', {
      severity: blocked ? severityFor(needs) : 'info',
      title: blocked
        ? "its firewall (table inet nordvpn) blocks guests' DHCP and DNS to the host"
        : `guests' traffic goes through its tunnel${tunnel ? ` ${tunnel}` : ''}`,
      explanation: `NordVPN's daemon keeps an nftables table inet nordvpn whose input and forward chains drop by policy. ${
        blocked ? `Guests of ${affectedText(needs)} cannot reach the host's DHCP and DNS.` : ''
      } ${routedText(tunnel, 'NordVPN')}`,
      evidence: [
        'nft table inet nordvpn',
        `chain input: policy ${chainPolicy(t, 'input') ?? '?'}; chain forward: policy ${chainPolicy(t, 'forward') ?? '?'}`,
        ...(tunnel ? [`forward accepts oifname ${tunnel}`] : [])
      ],
      advice:
        `${subnets.map((s) => `\`nordvpn allowlist add subnet ${s}\``).join(', ') || '`nordvpn allowlist add subnet SUBNET`'} (undo: \`nordvpn allowlist remove subnet …\`) ` +
        "lets guests already holding an address reach the host (DNS, DHCP renewals). A new guest's first DHCP request comes from 0.0.0.0, which no allowlist covers: " +
        "`guestnet doctor --fix nft-drop` adds a DHCP accept for our bridge to NordVPN's input chain (undone by handle; NordVPN may rewrite its table on reconnect)."
    })
  ]
}

function iptablesFindings(obs: DoctorObservation, needs: BridgeNeeds[]): Finding[] {
  const out: Finding[] = []
  const v4 = obs.iptables.find((t) => t.family === 4 && t.rules.trim() !== '')
  if (!v4) return out
  const table = parseIptablesRules(v4.rules)
  if (table.chains.includes('IVPN-IN')) {
    const blocked = table.policies.INPUT === 'DROP'
    out.push(
      finding('IVPN', 'ivpn', {
        severity: blocked ? severityFor(needs) : 'info',
        title: blocked
          ? "its firewall (INPUT DROP, chain IVPN-IN) blocks guests' DHCP and DNS to the host"
          : 'its firewall is on',
        explanation: `IVPN's firewall sets the INPUT and OUTPUT policies to DROP and accepts only loopback, DHCP as a client and its tunnel in IVPN-IN / IVPN-OUT. ${
          blocked ? `Guests of ${affectedText(needs)} cannot reach the host's DHCP and DNS.` : ''
        } It leaves FORWARD alone: guests' traffic follows the host's default route (through the tunnel while connected).`,
        evidence: [`${v4.program} -S: -P INPUT ${table.policies.INPUT ?? '?'}`, 'chain IVPN-IN', `-A INPUT -j IVPN-IN`],
        advice:
          '`ivpn firewall -lan_allow on` (Allow LAN traffic; undo: `ivpn firewall -lan_allow off`) accepts the private ranges both ways in IVPN-IN-STAT-EXP / IVPN-OUT-STAT-EXP, ' +
          "so guests with an address reach the host and get answers. A new guest's first DHCP exchange (from 0.0.0.0, answered by broadcast) stays blocked by IVPN's OUTPUT DROP, " +
          'which no doctor fix touches: turn the IVPN firewall off while a new guest first boots, or give guests static addresses.'
      })
    )
  }
  const nord = rulesOf(table, 'INPUT').filter((r) => ruleOption(r, '--comment') === 'nordvpn')
  if (nord.length > 0) {
    const ifaces = [...new Set(nord.map((r) => ruleOption(r, '-i')).filter((x): x is string => x !== null))]
    const bridges = new Set(needs.map((n) => n.bridge))
    const hitsBridge = ifaces.some((i) => bridges.has(i))
    out.push(
      finding('NordVPN', 'nordvpn-iptables', {
        severity: hitsBridge ? severityFor(needs) : 'info',
        title: `its iptables kill switch drops on ${ifaces.join(', ') || 'the uplink'}`,
        explanation:
          'NordVPN\'s older firewall inserts rules commented "nordvpn" that drop everything on the physical interfaces except its own transport and tunnel. ' +
          (hitsBridge
            ? 'They name one of our bridges, so guests are cut off.'
            : "They name the uplink only: our bridges are untouched, and guests' traffic follows the default route, through the tunnel while connected."),
        evidence: nord.map((r) => `${v4.program} -S: -A INPUT ${r.args.join(' ')}`).slice(0, 4),
        advice:
          '`nordvpn allowlist add subnet SUBNET` for each guest subnet (undo: `nordvpn allowlist remove subnet SUBNET`) if the kill switch keeps guests from the LAN.'
      })
    )
  }
  return out
}

function protonvpn(obs: DoctorObservation): Finding[] {
  const dummies = ['pvpnksintrf0', 'pvpnroutintrf0', 'ipv6leakintrf0']
  const found = obs.links.filter((l) => dummies.includes(l.ifname)).map((l) => l.ifname)
  if (found.length === 0) return []
  const killDefault = obs.routes.find((r) => r.dst.endsWith('/0') && r.dev === 'pvpnksintrf0')
  return [
    finding('Proton VPN', 'protonvpn', {
      severity: killDefault ? 'warning' : 'info',
      title: killDefault
        ? 'its kill switch routes the host, guests included, into a dummy interface'
        : 'its kill-switch interfaces are present',
      explanation:
        "Proton VPN's kill switch is a NetworkManager connection on a dummy interface (pvpnksintrf0, and ipv6leakintrf0 against IPv6 leaks) that takes the default route: " +
        "while the VPN is down, everything the host forwards for guests goes nowhere; while it is up, guests' traffic leaves through the VPN. Guests still reach the host (DHCP and DNS are not filtered).",
      evidence: [
        ...found.map((f) => `interface ${f}`),
        ...(killDefault ? [`default route on pvpnksintrf0 (table ${killDefault.table})`] : [])
      ],
      advice:
        'In the Proton VPN app: Settings → Kill switch → Standard (on only while a connection drops) or Off, and Settings → Connection → Allow LAN connections; both are switched back the same way.'
    })
  ]
}

function wgQuick(obs: DoctorObservation, rs: NftRuleset | null): Finding[] {
  const defaults = obs.routes.filter((r) => r.table === '51820' && (r.dst === '0.0.0.0/0' || r.dst === '::/0') && r.dev)
  const tables = (rs?.tables ?? []).filter((t) => t.name.startsWith('wg-quick-'))
  if (defaults.length === 0 && tables.length === 0) return []
  const dev = defaults[0]?.dev ?? tables[0].name.slice('wg-quick-'.length)
  const subnets = subnetsOf(obs).filter((s) => !s.includes(':'))
  const rule = (s: string, op: 'add' | 'del'): string => `ip rule ${op} from ${s} lookup main priority 32000`
  const list = subnets.length > 0 ? subnets : ['SUBNET']
  return [
    finding('wg-quick', `wg-quick-${dev}`, {
      severity: 'info',
      title: `guests' traffic goes through the WireGuard tunnel ${dev} (table 51820)`,
      explanation:
        `wg-quick's full tunnel marks its own packets with fwmark 51820 (0xca6c) and sends every other packet, forwarded ones included, to table 51820, whose default route is ${dev}. ` +
        "So guests reach the internet through the tunnel, behind its address and its MTU (the MSS clamp and guestnet's MTU announcement follow it). Nothing is blocked: wg-quick adds no kill switch.",
      evidence: [
        ...defaults.map((r) => `default route on ${r.dev} in table 51820`),
        ...tables.map((t) => `nft table ${t.family} ${t.name} (its reverse-path guard)`)
      ],
      advice:
        `To keep guests off the tunnel, add to /etc/wireguard/${dev}.conf ${list.map((s) => `PostUp = ${rule(s, 'add')}`).join(', ')} and ` +
        `${list.map((s) => `PreDown = ${rule(s, 'del')}`).join(', ')} (remove the lines to undo): their packets then use the main table's default route.`
    })
  ]
}

export function checkVpnClients(obs: DoctorObservation): Finding[] {
  const needs = allBridgeNeeds(obs.networks)
  if (needs.length === 0) return []
  const rs = obs.nftRuleset === null ? null : parseNftRuleset(obs.nftRuleset)
  return [
    ...(rs ? [...mullvad(obs, rs, needs), ...nordvpnNft(obs, rs, needs)] : []),
    ...iptablesFindings(obs, needs),
    ...protonvpn(obs),
    ...wgQuick(obs, rs)
  ]
}
