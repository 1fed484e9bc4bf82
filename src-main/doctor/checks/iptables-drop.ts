/**
 * iptables (nft or legacy backend) with a DROP policy on FORWARD or INPUT: Docker sets FORWARD to
 * DROP, ufw sets both. A drop there wins over guestnet's own nftables accept (every table and
 * every backend runs on the hook, and one drop is final), so the guests' traffic dies.
 *
 * The fix is narrow: Docker's policy stays; accept rules for our bridges only, inserted into
 * DOCKER-USER (the chain Docker keeps for its users, created the way Docker does when missing) or,
 * without Docker, at the top of FORWARD / INPUT. Each rule carries the comment `guestnet-doctor`.
 */
import type { DoctorObservation, Finding, FixCommand, ObservedIptables } from '../model'
import { DOCTOR_COMMENT } from '../model'
import type { IptablesRule, IptablesTable } from '../parse/iptables-rules'
import { jumpsTo, parseIptablesRules, ruleOption } from '../parse/iptables-rules'
import type { BridgeNeeds, InputNeed } from './guest-needs'
import { allBridgeNeeds, needLabel, networksText, severityFor } from './guest-needs'

const COMMENT: string[] = ['-m', 'comment', '--comment', DOCTOR_COMMENT]
const ICMPV6_ND = ['router-solicitation', 'neighbour-solicitation', 'neighbour-advertisement']

function owner(table: IptablesTable): 'docker' | 'ufw' | null {
  if (table.chains.some((c) => c === 'DOCKER' || c === 'DOCKER-USER' || c.startsWith('DOCKER-'))) return 'docker'
  if (table.chains.some((c) => c.startsWith('ufw-') || c.startsWith('ufw6-'))) return 'ufw'
  return null
}

const isAccept = (r: IptablesRule): boolean => ruleOption(r, '-j') === 'ACCEPT'
const inOk = (r: IptablesRule, br: string): boolean => {
  const i = ruleOption(r, '-i')
  return i === null ? !r.args.includes('-i') : i === br
}

/** Some ACCEPT rule of the table lets traffic in (`-i`) or out (`-o`) of the bridge through, unconditionally as far as ports go. */
function forwardAccepted(t: IptablesTable, dir: '-i' | '-o', br: string): boolean {
  return t.rules.some((r) => isAccept(r) && ruleOption(r, dir) === br && ruleOption(r, '-p') === null)
}

function inputAccepted(t: IptablesTable, br: string, need: InputNeed): boolean {
  return t.rules.some((r) => {
    if (!isAccept(r) || !inOk(r, br)) return false
    const p = ruleOption(r, '-p')
    if (need.kind === 'nd')
      return p === 'ipv6-icmp' || p === 'icmpv6' || p === '58' || (p === null && ruleOption(r, '-i') === br)
    if (p === null) return ruleOption(r, '-i') === br && ruleOption(r, '--dport') === null
    return p === need.proto && ruleOption(r, '--dport') === String(need.port)
  })
}

function inputMatch(need: InputNeed): string[] {
  if (need.kind === 'port') return ['-p', need.proto, '--dport', String(need.port)]
  return []
}

/** `-I CHAIN <match> -m comment --comment guestnet-doctor -j ACCEPT`, undone by the same rule with -D. */
function acceptRule(program: string, chain: string, match: string[]): FixCommand {
  const spec = [...match, ...COMMENT, '-j', 'ACCEPT']
  return { argv: [program, '-I', chain, ...spec], undo: [program, '-D', chain, ...spec] }
}

function forwardFix(
  view: ObservedIptables,
  t: IptablesTable,
  missing: Array<{ br: string; dir: '-i' | '-o' }>
): { chain: string; commands: FixCommand[] } {
  const p = view.program
  const commands: FixCommand[] = []
  let chain = 'FORWARD'
  if (owner(t) === 'docker') {
    chain = 'DOCKER-USER'
    // As Docker itself creates it: an empty chain ending in RETURN, jumped to first thing in FORWARD.
    if (!t.chains.includes('DOCKER-USER')) {
      commands.push({ argv: [p, '-N', 'DOCKER-USER'], undo: [p, '-X', 'DOCKER-USER'] })
      commands.push({ argv: [p, '-A', 'DOCKER-USER', '-j', 'RETURN'], undo: [p, '-D', 'DOCKER-USER', '-j', 'RETURN'] })
    }
    if (!jumpsTo(t, 'FORWARD', 'DOCKER-USER'))
      commands.push({
        argv: [p, '-I', 'FORWARD', '-j', 'DOCKER-USER'],
        undo: [p, '-D', 'FORWARD', '-j', 'DOCKER-USER']
      })
  }
  for (const m of missing) commands.push(acceptRule(p, chain, [m.dir, m.br]))
  return { chain, commands }
}

function inputFix(view: ObservedIptables, missing: Array<{ br: string; need: InputNeed }>): FixCommand[] {
  const out: FixCommand[] = []
  for (const m of missing) {
    if (m.need.kind === 'nd') {
      for (const type of ICMPV6_ND)
        out.push(acceptRule(view.program, 'INPUT', ['-i', m.br, '-p', 'ipv6-icmp', '--icmpv6-type', type]))
    } else {
      out.push(acceptRule(view.program, 'INPUT', ['-i', m.br, ...inputMatch(m.need)]))
    }
  }
  return out
}

function subjectOf(view: ObservedIptables, chain: string): string {
  return `ipv${view.family}-${view.backend}-${chain.toLowerCase()}`
}

function forwardFinding(view: ObservedIptables, t: IptablesTable, needs: BridgeNeeds[]): Finding | null {
  const missing: Array<{ br: string; dir: '-i' | '-o' }> = []
  const affected = new Set<BridgeNeeds>()
  for (const n of needs.filter((x) => (view.family === 4 ? x.forward4 : x.forward6))) {
    for (const dir of ['-i', '-o'] as const) {
      if (!forwardAccepted(t, dir, n.bridge)) {
        missing.push({ br: n.bridge, dir })
        affected.add(n)
      }
    }
  }
  if (missing.length === 0) return null
  const who = owner(t)
  const { chain, commands } = forwardFix(view, t, missing)
  const tool = `${view.program} (iptables ${view.backend === 'nft' ? 'nftables' : 'legacy'} backend, IPv${view.family})`
  const whose = who === 'docker' ? "Docker's " : who === 'ufw' ? "ufw's " : ''
  return {
    id: `iptables-drop/${subjectOf(view, 'FORWARD')}`,
    check: 'iptables-drop',
    severity: severityFor([...affected]),
    title: `${whose}iptables FORWARD policy DROP blocks guest traffic (IPv${view.family})`,
    explanation:
      `The FORWARD chain of ${tool} drops every packet it does not accept, so guests of ${networksText([...affected])} cannot reach ` +
      `anything beyond the host${who === 'docker' ? ' (Docker sets this policy when it starts)' : ''}. guestnet's own firewall accepts ` +
      'their traffic, but a drop in any table wins. The fix keeps the DROP policy and lets through only traffic entering or ' +
      `leaving our bridges, with accept rules in ${chain}${who === 'docker' ? ', the chain Docker leaves to its users' : ''}; ` +
      "guestnet's own table still filters what may reach the guests.",
    evidence: [
      `${view.program} -S: -P FORWARD DROP`,
      ...missing.map((m) => `no ACCEPT rule for ${m.dir === '-i' ? 'traffic from' : 'traffic to'} ${m.br}`)
    ],
    fix: {
      summary: `accept traffic in and out of ${[...affected].map((a) => a.bridge).join(', ')} in ${chain} (${view.program})`,
      commands
    },
    advice: null
  }
}

function inputFinding(view: ObservedIptables, t: IptablesTable, needs: BridgeNeeds[]): Finding | null {
  const missing: Array<{ br: string; need: InputNeed }> = []
  const affected = new Set<BridgeNeeds>()
  for (const n of needs) {
    for (const need of view.family === 4 ? n.input4 : n.input6) {
      if (!inputAccepted(t, n.bridge, need)) {
        missing.push({ br: n.bridge, need })
        affected.add(n)
      }
    }
  }
  if (missing.length === 0) return null
  const who = owner(t)
  return {
    id: `iptables-drop/${subjectOf(view, 'INPUT')}`,
    check: 'iptables-drop',
    severity: severityFor([...affected]),
    title: `${who === 'ufw' ? "ufw's " : ''}iptables INPUT policy DROP blocks guests' DHCP and DNS (IPv${view.family})`,
    explanation:
      `The INPUT chain of ${view.program} drops what it does not accept, and nothing accepts what guests of ${networksText([...affected])} ` +
      "ask the host for: addresses (DHCP) and names (DNS) from guestnet's dnsmasq. A drop in any table wins over guestnet's own accept " +
      'rules. The fix keeps the policy and accepts only those services, only from our bridges, at the top of INPUT.',
    evidence: [
      `${view.program} -S: -P INPUT DROP`,
      ...missing.map((m) => `nothing accepts ${needLabel(m.need)} from ${m.br}`)
    ],
    fix: {
      summary: `accept ${[...new Set(missing.map((m) => m.need.what))].join(', ')} from our bridges in INPUT (${view.program})`,
      commands: inputFix(view, missing)
    },
    advice:
      who === 'ufw' ? `or allow them in ufw: ufw allow in on ${missing[0].br} to any port 67 proto udp (and 53)` : null
  }
}

export function checkIptablesDrop(obs: DoctorObservation): Finding[] {
  const needs = allBridgeNeeds(obs.networks)
  if (needs.length === 0) return []
  const out: Finding[] = []
  for (const view of obs.iptables) {
    const t = parseIptablesRules(view.rules)
    if (t.policies.FORWARD === 'DROP') {
      const f = forwardFinding(view, t, needs)
      if (f) out.push(f)
    }
    if (t.policies.INPUT === 'DROP') {
      const f = inputFinding(view, t, needs)
      if (f) out.push(f)
    }
  }
  return out
}
