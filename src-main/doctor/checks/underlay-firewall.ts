/**
 * Another firewall dropping the VXLAN port of a spanning network on input: an nft rule dropping or
 * rejecting `udp dport PORT` in another table's input chain, such a chain dropping by default with
 * nothing accepting the port, or the same in iptables (a DROP/REJECT rule for the port, or INPUT
 * policy DROP without an ACCEPT for it). Peers' frames arrive from a hashed source port, never as
 * replies, so conntrack's established accept does not let them in. Advice only: the narrow accept
 * (the peers' addresses, the port) as a command. Pure.
 */
import type { DoctorObservation, Finding } from '../model'
import type { IptablesRule } from '../parse/iptables-rules'
import { parseIptablesRules, ruleOption } from '../parse/iptables-rules'
import type { NftChain, NftRuleset } from '../parse/nft-ruleset'
import { matchesDport, parseNftRuleset, ruleVerdict, rulesOfChain } from '../parse/nft-ruleset'
import { chainSubject, dropsByDefault, excluded } from './nft-drop'
import { spanningNetworks } from './underlay'

interface Blocked {
  port: number
  peers: string[]
  networks: string[]
}

function portsToCheck(obs: DoctorObservation): Blocked[] {
  const out: Blocked[] = []
  for (const n of spanningNetworks(obs)) {
    const b = out.find((x) => x.port === n.span.port)
    if (b) {
      b.peers.push(...n.span.peers.filter((p) => !b.peers.includes(p)))
      b.networks.push(n.name)
    } else out.push({ port: n.span.port, peers: [...n.span.peers], networks: [n.name] })
  }
  return out
}

const isStop = (v: string | null): boolean => v === 'drop' || v === 'reject'

function nftWhy(rs: NftRuleset, chain: NftChain, port: number): string | null {
  // The first rule deciding about the port wins: an accept (for the peers, say) before a drop lets them in.
  const first = rulesOfChain(rs, chain).find(
    (r) => (isStop(ruleVerdict(r)) || ruleVerdict(r) === 'accept') && matchesDport(r, 'udp', port)
  )
  if (first)
    return ruleVerdict(first) === 'accept'
      ? null
      : `rule handle ${first.handle} ${ruleVerdict(first) ?? ''}s udp dport ${port}`
  const dflt = dropsByDefault(rs, chain)
  return dflt ? `${dflt}, and nothing accepts udp dport ${port}` : null
}

function finding(subject: string, b: Blocked, where: string, why: string, advice: string): Finding {
  return {
    id: `underlay/udp${b.port}-${subject}`,
    check: 'underlay',
    severity: 'error',
    title: `${where} drops VXLAN (UDP ${b.port}) from the peer hosts`,
    explanation:
      `${where} ${why}, so the VXLAN frames the peer hosts (${b.peers.join(', ')}) send to this host are dropped: guests of ` +
      `${b.networks.join(', ')} here do not hear the guests on the other hosts. The frames come from a hashed source port, ` +
      'not as replies, so an accept for established connections does not let them in. The narrow fix accepts UDP ' +
      `${b.port} from the peers only, in that same chain (a drop in any table is final).`,
    evidence: [`${where}: ${why}`],
    fix: null,
    advice
  }
}

function nftFindings(rs: NftRuleset, b: Blocked): Finding[] {
  return rs.chains.flatMap((chain) => {
    if (chain.hook !== 'input' || !['ip', 'inet'].includes(chain.family)) return []
    if (excluded(rs, chain.family, chain.table)) return []
    const why = nftWhy(rs, chain, b.port)
    if (!why) return []
    const where = `nftables table ${chain.family} ${chain.table}, chain ${chain.name}`
    return [
      finding(
        `nft-${chainSubject(chain)}`,
        b,
        where,
        why,
        `nft insert rule ${chain.family} ${chain.table} ${chain.name} ip saddr { ${b.peers.join(', ')} } udp dport ${b.port} accept` +
          ' (or the same allowance in the program that owns this table, which may rewrite it)'
      )
    ]
  })
}

const udpPort = (r: IptablesRule, port: number): boolean =>
  ruleOption(r, '-p') === 'udp' && ruleOption(r, '--dport') === String(port)

function iptablesFindings(obs: DoctorObservation, b: Blocked): Finding[] {
  return obs.iptables
    .filter((v) => v.family === 4)
    .flatMap((view) => {
      const t = parseIptablesRules(view.rules)
      const isAccept = (r: IptablesRule): boolean => ruleOption(r, '-j') === 'ACCEPT' && udpPort(r, b.port)
      // A DROP counts unless an ACCEPT for the port comes first in its chain.
      const stop = t.rules.find(
        (r, i) =>
          ['DROP', 'REJECT'].includes(ruleOption(r, '-j') ?? '') &&
          udpPort(r, b.port) &&
          !t.rules.slice(0, i).some((a) => a.chain === r.chain && isAccept(a))
      )
      const accepted = t.rules.some(isAccept)
      const why = stop
        ? `-A ${stop.chain} ${stop.args.join(' ')}`
        : t.policies.INPUT === 'DROP' && !accepted
          ? `-P INPUT DROP, and nothing accepts udp dport ${b.port}`
          : null
      if (!why) return []
      const chain = stop?.chain ?? 'INPUT'
      const ufw = t.chains.some((c) => c.startsWith('ufw-'))
      return [
        finding(
          `ipv4-${view.backend}-${chain.toLowerCase()}`.replace(/[^A-Za-z0-9_.-]/g, '_'),
          b,
          `${view.program} chain ${chain}`,
          why,
          ufw
            ? b.peers.map((p) => `ufw allow proto udp from ${p} to any port ${b.port}`).join('; ')
            : b.peers.map((p) => `${view.program} -I ${chain} -s ${p} -p udp --dport ${b.port} -j ACCEPT`).join('; ')
        )
      ]
    })
}

export function checkUnderlayFirewall(obs: DoctorObservation): Finding[] {
  const ports = portsToCheck(obs)
  if (ports.length === 0 || obs.nftRuleset === null) return []
  const rs = parseNftRuleset(obs.nftRuleset)
  return ports.flatMap((b) => [...nftFindings(rs, b), ...iptablesFindings(obs, b)])
}
