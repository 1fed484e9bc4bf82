/**
 * libvirt's networkxml2firewalldata (its nftables backend) against our ruleset, compared by effect:
 * each rule becomes (family, role, matches, verdict), with role = out (from the guests), in (to the
 * guests), cross (guest to guest on the bridge), nat (postrouting) or host (guests to the host). The
 * bridge match implied by the role is dropped (libvirt: iif/oif in guest_output/guest_input; ours: the
 * from_guests/to_guests dispatch), and our family-less inet rules count for both ip and ip6.
 *
 * Then, per case: every libvirt effect must be ours too, except the deliberate differences listed in
 * DELIBERATE; every effect of ours not in libvirt must be one of our documented additions; the NAT
 * rules must come in libvirt's effective order; each guest chain must end in its catch-all reject.
 * Every generated ruleset is also checked by the real `nft -c` in a throw-away network namespace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { NetworkDef } from '../../src-main/core/model/network'
import { buildPlan } from '../../src-main/core/plan/build-plan'
import { GUESTNET_DEVGROUP } from '../../src-main/core/plan/devgroup'
import { parseNetworkXml } from '../../src-main/core/xml/parse-network-xml'
import { NftNamespace, nftSkipReason } from '../golden/nft-check'
import { corpusCases, readCorpusFile } from './support/libvirt-corpus'

type Family = 'ip' | 'ip6'
interface Effect {
  family: Family
  role: string
  matches: string
  verdict: string
}

const key = (e: Effect): string => `${e.family} ${e.role} [${e.matches}] ${e.verdict}`

/** Reads one rule's tokens into an effect (without family/role). */
function readRule(
  tokens: string[],
  bridge: string
): { matches: Map<string, string>; verdict: string; family?: Family } {
  const matches = new Map<string, string>()
  let family: Family | undefined
  let verdict = ''
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]
    if (t === 'counter') continue
    if (t === 'iif' || t === 'iifname' || t === 'oif' || t === 'oifname') {
      matches.set(t.startsWith('i') ? 'iif' : 'oif', tokens[++i].replace(/"/g, ''))
    } else if (t === 'iifgroup' || t === 'oifgroup') {
      matches.set(t, tokens[++i])
    } else if ((t === 'ip' || t === 'ip6') && (tokens[i + 1] === 'saddr' || tokens[i + 1] === 'daddr')) {
      family = t
      const field = tokens[i + 1]
      i += 2
      const negate = tokens[i] === '!='
      if (negate) i++
      matches.set(`${field}${negate ? '!=' : ''}`, tokens[i].replace(/\/(32|128)$/, ''))
    } else if (t === 'meta' && tokens[i + 1] === 'l4proto') {
      matches.set('proto', tokens[i + 2])
      i += 2
    } else if (t === 'ct' && tokens[i + 1] === 'state') {
      matches.set('ct', tokens[i + 2].split(',').sort().join(','))
      i += 2
    } else if (['accept', 'reject', 'return', 'masquerade', 'snat'].includes(t)) {
      verdict = tokens
        .slice(i)
        .filter((x) => x !== 'ip')
        .join(' ')
      break
    } else {
      throw new Error(`unexpected token '${t}' in: ${tokens.join(' ')}`)
    }
  }
  if (matches.get('iif') === bridge && matches.get('oif') === bridge) {
    matches.delete('iif')
    matches.delete('oif')
    matches.set('cross', 'yes')
  }
  return { matches, verdict, family }
}

function effects(family: Family | 'any', role: string, tokens: string[], bridge: string): Effect[] {
  const rule = readRule(tokens, bridge)
  if (role === 'out' && rule.matches.get('iif') === bridge) rule.matches.delete('iif')
  if (role === 'in' && rule.matches.get('oif') === bridge) rule.matches.delete('oif')
  if (role === 'out' && rule.matches.get('oif') === bridge) {
    rule.matches.delete('oif')
    rule.matches.set('cross', 'yes')
  }
  const realRole = rule.matches.delete('cross') ? 'cross' : role
  const matches = [...rule.matches]
    .map(([k, v]) => `${k}${k.endsWith('!=') ? '' : '='}${v}`)
    .sort()
    .join(' ')
  const fams: Family[] = rule.family ? [rule.family] : family === 'any' ? ['ip', 'ip6'] : [family]
  return fams.map((f) => ({ family: f, role: realRole, matches, verdict: rule.verdict }))
}

const LIBVIRT_ROLES: Record<string, string> = {
  guest_output: 'out',
  guest_input: 'in',
  guest_cross: 'cross',
  guest_nat: 'nat'
}

/** libvirt's `nft -ae insert rule FAMILY libvirt_network CHAIN …` commands, in effective order. */
function libvirtEffects(text: string, bridge: string): Effect[] {
  const commands = text.split(/(?<!\\)\n/).filter((c) => c.trim() !== '')
  const byChain = new Map<string, Effect[]>()
  for (const command of commands) {
    const tokens = command
      .split(' \\\n')
      .flatMap((line) => (line === '-ae insert' ? ['-ae', 'insert'] : [line.replace(/^'(.*)'$/, '$1')]))
    expect(tokens.slice(0, 4)).toEqual(['nft', '-ae', 'insert', 'rule'])
    const [family, table, chain] = tokens.slice(4, 7)
    expect(table).toBe('libvirt_network')
    const list = byChain.get(`${family} ${chain}`) ?? []
    // insert prepends: the effective order is the reverse of the file order
    list.unshift(...effects(family as Family, LIBVIRT_ROLES[chain], tokens.slice(7), bridge))
    byChain.set(`${family} ${chain}`, list)
  }
  return [...byChain.values()].flat()
}

const OUR_ROLES: Record<string, string> = { input: 'host', from_guests: 'out', to_guests: 'in', postrouting: 'nat' }

/** Our ruleset text: chain → rules (comments and base-chain headers left out), as effects. */
function ourEffects(ruleset: string, bridge: string): { effects: Effect[]; chains: Map<string, string[]> } {
  const chains = new Map<string, string[]>()
  let chain = ''
  for (const raw of ruleset.split('\n')) {
    const line = raw.trim()
    const open = /^chain (\w+) \{$/.exec(line)
    if (open) {
      chain = open[1]
      chains.set(chain, [])
    } else if (chain && line !== '' && line !== '}' && !line.startsWith('#') && !line.startsWith('type ')) {
      chains.get(chain)?.push(line)
    }
  }
  const out: Effect[] = []
  for (const [name, rules] of chains) {
    if (name === 'forward') continue
    for (const rule of rules) {
      const tokens = rule
        .replace('{ tcp, udp }', '{tcp,udp}')
        .replace(/\{ ([^}]*) \}/g, (_m, s: string) => `{${s.replace(/, /g, ',')}}`)
        .split(' ')
      if (name === 'input')
        out.push({ family: rule.includes('icmpv6') ? 'ip6' : 'ip', role: 'host', matches: rule, verdict: 'accept' })
      else out.push(...effects('any', OUR_ROLES[name], tokens, bridge))
    }
  }
  return { effects: out, chains }
}

interface Deliberate {
  /** libvirt effects we replace, with why. */
  missing: (e: Effect) => string | null
  /** our effects libvirt lacks, with why. */
  extra: (e: Effect, libvirtFamilies: Set<Family>) => string | null
}

const GROUP = String(GUESTNET_DEVGROUP)

const DELIBERATE: Deliberate = {
  missing: (e) =>
    e.family === 'ip6' && e.role === 'in' && e.verdict === 'accept' && !e.matches.includes('ct=')
      ? 'IPv6 inbound: stateful (replies only)'
      : null,
  extra: (e, fams) => {
    if (e.role === 'host' && e.matches.includes('dport 69'))
      return 'TFTP from the guests accepted on the input hook (libvirt: iptables backend and firewalld zone only)'
    if (e.role === 'host') return 'guests→host accepts on the input hook'
    if (e.matches.includes(`group=${GROUP}`)) return 'other guestnet bridges refused'
    if (e.family === 'ip6' && e.role === 'in' && e.verdict === 'accept' && e.matches.includes('ct=established,related'))
      return 'IPv6 inbound: stateful (replies only)'
    if (!fams.has(e.family) && (e.verdict === 'reject' || e.role === 'cross'))
      return `${e.family} catch-all on an IPv4-only network (one inet table)`
    return null
  }
}

/** The corpus XML (or, for nat-default, libvirt's default network) for a case. */
function caseXml(name: string): { xml: string; note?: string } {
  if (name === 'nat-default')
    return { xml: readCorpusFile('default-network', 'default.xml.in'), note: 'input: default-network/default.xml.in' }
  return { xml: readCorpusFile('networkxml2firewalldata', `${name}.xml`) }
}

const CASES = [
  'forward-dev',
  'isolated',
  'nat-default',
  'nat-ipv6',
  'nat-ipv6-masquerade',
  'nat-many-ips',
  'nat-port-range',
  'nat-tftp'
]
const report: string[] = []
const rulesets = new Map<string, string>()

function defOf(name: string): NetworkDef {
  const parsed = parseNetworkXml(caseXml(name).xml)
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.problems)}`)
  return parsed.def
}

describe('libvirt networkxml2firewalldata, by effect', () => {
  afterAll(() =>
    console.log(`networkxml2firewalldata:\n${report.map((l) => `  ${l}`).join('\n')}\n  total ${report.length} cases`)
  )

  it('covers every case of the corpus', () => {
    expect(['nat-default', ...corpusCases('networkxml2firewalldata')].sort()).toEqual([...CASES].sort())
  })

  // libvirt's nft backend adds no rule for TFTP (its iptables backend accepted udp 69 into the host,
  // and firewalld's libvirt zone allows tftp); we accept it on our input hook, from the bridge only.
  it('nat-tftp: TFTP requests from the bridge are accepted on the input hook; no other case opens port 69', () => {
    for (const name of CASES) {
      const plan = buildPlan(defOf(name), { paths: { runtimeDir: '/run/guestnet', stateDir: '/var/lib/guestnet' } })
      const tftp = ourEffects(plan.nftRuleset, plan.bridge).effects.filter(
        (e) => e.role === 'host' && e.matches.includes('dport 69')
      )
      expect(
        tftp.map((e) => e.matches),
        name
      ).toEqual(name === 'nat-tftp' ? [`iifname "${plan.bridge}" udp dport 69 accept`] : [])
    }
  })

  for (const name of CASES) {
    it(name, () => {
      const def = defOf(name)
      const plan = buildPlan(def, { paths: { runtimeDir: '/run/guestnet', stateDir: '/var/lib/guestnet' } })
      rulesets.set(name, plan.nftRuleset)
      const bridge = plan.bridge
      const theirs = libvirtEffects(readCorpusFile('networkxml2firewalldata', `${name}-linux.nftables`), bridge)
      const ours = ourEffects(plan.nftRuleset, bridge)
      const ourKeys = new Set(ours.effects.map(key))
      const theirKeys = new Set(theirs.map(key))
      const theirFamilies = new Set(theirs.map((e) => e.family))
      const why = new Map<string, number>()
      const note = (reason: string): void => void why.set(reason, (why.get(reason) ?? 0) + 1)

      for (const e of theirs) {
        if (ourKeys.has(key(e))) continue
        const reason = DELIBERATE.missing(e)
        expect(reason, `libvirt effect missing from ours: ${key(e)}`).not.toBeNull()
        note(`${reason}`)
      }
      for (const e of ours.effects) {
        if (theirKeys.has(key(e))) continue
        const reason = DELIBERATE.extra(e, theirFamilies)
        expect(reason, `effect of ours not in libvirt and not documented: ${key(e)}`).not.toBeNull()
        note(`${reason}`)
      }
      // Within one source subnet the NAT rules must keep libvirt's order (exemptions first, generic
      // masquerade last); rules of different subnets never match the same packet, so their order is free.
      const subnets = new Set(
        theirs.filter((e) => e.role === 'nat').map((e) => `${e.family} ${/saddr=(\S+)/.exec(e.matches)?.[1]}`)
      )
      for (const subnet of subnets) {
        const order = (list: Effect[]): string[] =>
          list
            .filter((e) => e.role === 'nat' && `${e.family} ${/saddr=(\S+)/.exec(e.matches)?.[1]}` === subnet)
            .map(key)
        expect(order(ours.effects), `NAT order for ${subnet}`).toEqual(order(theirs))
      }
      expect(ours.effects.filter((e) => e.role === 'nat').length).toBe(theirs.filter((e) => e.role === 'nat').length)
      for (const chain of ['from_guests', 'to_guests']) expect(ours.chains.get(chain)?.at(-1)).toBe('reject')
      const shared = theirs.filter((e) => ourKeys.has(key(e))).length
      const diffs = [...why].map(([r, n]) => `${r} ×${n}`).join('; ')
      const extraNote = caseXml(name).note
      report.push(
        `${name}: ${shared}/${theirs.length} libvirt effects equal${diffs ? `; deliberate: ${diffs}` : ''}${extraNote ? ` (${extraNote})` : ''}`
      )
    })
  }
})

const skip = nftSkipReason()

describe.skipIf(skip !== null)(`firewall corpus rulesets in real nft${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const ns = new NftNamespace()
  beforeAll(() => ns.open())
  afterAll(() => ns.close())

  for (const name of CASES) {
    it(`${name}: nft -c accepts our ruleset`, () => {
      const ruleset =
        rulesets.get(name) ??
        buildPlan(defOf(name), { paths: { runtimeDir: '/run/guestnet', stateDir: '/var/lib/guestnet' } }).nftRuleset
      const result = ns.check(ruleset)
      expect(result.output).toBe('')
      expect(result.ok).toBe(true)
    })
  }
})
