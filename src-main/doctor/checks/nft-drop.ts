/**
 * Another nftables table (a VPN kill switch, a hand-written firewall; ufw and Docker go through
 * iptables, firewalld has its own check) whose input, forward or output chain drops by policy or ends in an
 * unconditional drop. nftables runs every table's base chain on a hook, and a packet survives only
 * if none drops it: an accept in guestnet's own table, whatever its priority, cannot save it. So the
 * fix has to add accept rules to that very chain, narrowly (only our bridges, on input only DHCP,
 * DNS and neighbour discovery, on output only what the host sends to our bridges), commented `guestnet-doctor`; undo deletes exactly those rules
 * by the handles nft gave them.
 */
import { NFT_TABLE_PREFIX } from '../../core/plan/nft-names'
import type { DoctorObservation, Finding } from '../model'
import { DOCTOR_COMMENT } from '../model'
import type { NftChain, NftRuleset } from '../parse/nft-ruleset'
import {
  isIptablesNftTable,
  isUnconditional,
  matchesInterface,
  parseNftRuleset,
  ruleVerdict,
  rulesOfChain
} from '../parse/nft-ruleset'
import type { BridgeNeeds, InputNeed } from './guest-needs'
import { allBridgeNeeds, needLabel, networksText, severityFor } from './guest-needs'

type Expr = Record<string, unknown>

const ifMatch = (key: 'iifname' | 'oifname', br: string): Expr => ({
  match: { op: '==', left: { meta: { key } }, right: br }
})
const portMatch = (proto: string, port: number): Expr => ({
  match: { op: '==', left: { payload: { protocol: proto, field: 'dport' } }, right: port }
})
const ND: Expr = {
  match: {
    op: '==',
    left: { payload: { protocol: 'icmpv6', field: 'type' } },
    right: { set: ['nd-router-solicit', 'nd-neighbor-solicit', 'nd-neighbor-advert'] }
  }
}

export function dropsByDefault(rs: NftRuleset, chain: NftChain): string | null {
  if (chain.policy === 'drop') return 'policy drop'
  const rules = rulesOfChain(rs, chain)
  const last = rules[rules.length - 1]
  if (last && isUnconditional(last)) {
    const v = ruleVerdict(last)
    if (v === 'drop' || v === 'reject') return `ends with an unconditional ${v}`
  }
  return null
}

/** guestnet's own tables, iptables-nft's and firewalld's: other checks look at those. */
export function excluded(rs: NftRuleset, family: string, table: string): boolean {
  if (table.startsWith(NFT_TABLE_PREFIX)) return true
  if (table === 'firewalld') return true
  return isIptablesNftTable(rs, { family, name: table })
}

function accepts(rs: NftRuleset, chain: NftChain, key: 'iifname' | 'oifname', br: string): boolean {
  return rulesOfChain(rs, chain).some((r) => ruleVerdict(r) === 'accept' && matchesInterface(r, key, br))
}

interface Missing {
  br: string
  exprs: Expr[][]
  labels: string[]
}

function inputNeedsFor(family: string, n: BridgeNeeds): InputNeed[] {
  if (family === 'ip') return n.input4
  if (family === 'ip6') return n.input6
  // inet: one rule serves both families; keep each port once.
  const seen = new Set<string>()
  return [...n.input4, ...n.input6].filter((x) => {
    const k = x.kind === 'nd' ? 'nd' : `${x.proto}/${x.port}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

function missingFor(rs: NftRuleset, chain: NftChain, n: BridgeNeeds): Missing | null {
  if (chain.hook === 'output') {
    // The host's own answers to guests (DHCP offers, DNS replies) leave through the output hook.
    if (inputNeedsFor(chain.family, n).length === 0 || accepts(rs, chain, 'oifname', n.bridge)) return null
    return {
      br: n.bridge,
      exprs: [[ifMatch('oifname', n.bridge)]],
      labels: [`the host's answers (DHCP, DNS) to ${n.bridge}`]
    }
  }
  if (chain.hook === 'forward') {
    const wanted = chain.family === 'ip' ? n.forward4 : chain.family === 'ip6' ? n.forward6 : n.forward4 || n.forward6
    if (!wanted) return null
    const exprs: Expr[][] = []
    if (!accepts(rs, chain, 'iifname', n.bridge)) exprs.push([ifMatch('iifname', n.bridge)])
    if (!accepts(rs, chain, 'oifname', n.bridge)) exprs.push([ifMatch('oifname', n.bridge)])
    return exprs.length
      ? {
          br: n.bridge,
          exprs,
          labels: [`forwarded traffic ${exprs.length === 2 ? 'in and out of' : 'of'} ${n.bridge}`]
        }
      : null
  }
  const needs = inputNeedsFor(chain.family, n)
  if (needs.length === 0 || accepts(rs, chain, 'iifname', n.bridge)) return null
  const exprs = needs.map((need) => [
    ifMatch('iifname', n.bridge),
    ...(need.kind === 'nd' ? [ND] : [portMatch(need.proto, need.port)])
  ])
  return { br: n.bridge, exprs, labels: needs.map((need) => `${needLabel(need)} from ${n.bridge}`) }
}

export function nftInsertArgv(chain: NftChain, exprs: Expr[][]): string[] {
  const nftables = exprs.map((expr) => ({
    insert: {
      rule: {
        family: chain.family,
        table: chain.table,
        chain: chain.name,
        comment: DOCTOR_COMMENT,
        expr: [...expr, { accept: null }]
      }
    }
  }))
  return ['nft', '-j', '--echo', '--handle', JSON.stringify({ nftables })]
}

export function chainSubject(chain: NftChain): string {
  return `${chain.hook}-${chain.family}-${chain.table}-${chain.name}`.replace(
    /[^A-Za-z0-9_.-]/g,
    (c) => `_${c.charCodeAt(0).toString(16)}`
  )
}

function findingFor(rs: NftRuleset, chain: NftChain, why: string, needs: BridgeNeeds[]): Finding | null {
  const missing = needs.map((n) => missingFor(rs, chain, n)).filter((m): m is Missing => m !== null)
  if (missing.length === 0) return null
  const affected = needs.filter((n) => missing.some((m) => m.br === n.bridge))
  const where = `table ${chain.family} ${chain.table}, chain ${chain.name} (hook ${chain.hook})`
  const what =
    chain.hook === 'forward'
      ? 'reach anything beyond the host'
      : chain.hook === 'output'
        ? "get the host's DHCP and DNS answers"
        : 'get addresses (DHCP) and names (DNS) from the host'
  return {
    id: `nft-drop/${chainSubject(chain)}`,
    check: 'nft-drop',
    severity: severityFor(affected),
    title: `nftables ${where} drops guest traffic`,
    explanation:
      `Another firewall's nftables ${where} ${why}, so guests of ${networksText(affected)} cannot ${what}. nftables runs the chains of ` +
      "every table on a hook and a packet survives only if none of them drops it: an accept in guestnet's own table, even at a higher " +
      "priority, cannot override this drop. So the fix inserts accept rules into this table's own chain, narrowly: only traffic " +
      `${chain.hook === 'forward' ? 'entering or leaving our bridges' : chain.hook === 'output' ? 'from the host to our bridges' : 'from our bridges to DHCP, DNS and neighbour discovery'}, each rule ` +
      `commented "${DOCTOR_COMMENT}". Undo deletes exactly those rules by their handles. The program that owns the table may ` +
      'replace its rules when it restarts; run the doctor again then.',
    evidence: [`${where}: ${why}`, ...missing.flatMap((m) => m.labels.map((l) => `nothing accepts ${l}`))],
    fix: {
      summary: `insert ${missing.reduce((s, m) => s + m.exprs.length, 0)} accept rule(s) for our bridges into ${where}`,
      commands: [
        {
          argv: nftInsertArgv(
            chain,
            missing.flatMap((m) => m.exprs)
          ),
          undo: null,
          undoFromEcho: true
        }
      ]
    },
    advice: null
  }
}

export function checkNftDrop(obs: DoctorObservation): Finding[] {
  if (obs.nftRuleset === null) return []
  const needs = allBridgeNeeds(obs.networks)
  if (needs.length === 0) return []
  const rs = parseNftRuleset(obs.nftRuleset)
  const out: Finding[] = []
  for (const chain of rs.chains) {
    if (chain.hook !== 'input' && chain.hook !== 'forward' && chain.hook !== 'output') continue
    if (!['ip', 'ip6', 'inet'].includes(chain.family) || excluded(rs, chain.family, chain.table)) continue
    const why = dropsByDefault(rs, chain)
    if (!why) continue
    const f = findingFor(rs, chain, why, needs)
    if (f) out.push(f)
  }
  return out
}
