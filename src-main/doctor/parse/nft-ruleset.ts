/**
 * `nft -j list ruleset` as data: tables, base chains (hook, policy) and rules (their expressions,
 * handle and comment). Pure; anything of an unexpected shape is skipped rather than trusted.
 */

export interface NftTable {
  family: string
  name: string
}

export interface NftChain {
  family: string
  table: string
  name: string
  /** Base chains only. */
  hook: string | null
  type: string | null
  prio: number | null
  policy: string | null
}

export interface NftRule {
  family: string
  table: string
  chain: string
  handle: number
  expr: unknown[]
  comment: string | null
}

export interface NftRuleset {
  tables: NftTable[]
  chains: NftChain[]
  rules: NftRule[]
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

export function parseNftRuleset(json: unknown): NftRuleset {
  const out: NftRuleset = { tables: [], chains: [], rules: [] }
  const items = (json as { nftables?: unknown } | null)?.nftables
  if (!Array.isArray(items)) return out
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue
    const o = item as Record<string, Record<string, unknown> | undefined>
    if (o.table) {
      const family = str(o.table.family)
      const name = str(o.table.name)
      if (family && name) out.tables.push({ family, name })
    } else if (o.chain) {
      const c = o.chain
      const family = str(c.family)
      const table = str(c.table)
      const name = str(c.name)
      if (family && table && name) {
        out.chains.push({
          family,
          table,
          name,
          hook: str(c.hook),
          type: str(c.type),
          prio: num(c.prio),
          policy: str(c.policy)
        })
      }
    } else if (o.rule) {
      const r = o.rule
      const family = str(r.family)
      const table = str(r.table)
      const chain = str(r.chain)
      const handle = num(r.handle)
      if (family && table && chain && handle !== null) {
        out.rules.push({
          family,
          table,
          chain,
          handle,
          expr: Array.isArray(r.expr) ? r.expr : [],
          comment: str(r.comment)
        })
      }
    }
  }
  return out
}

export function rulesOfChain(rs: NftRuleset, chain: NftChain): NftRule[] {
  return rs.rules.filter((r) => r.family === chain.family && r.table === chain.table && r.chain === chain.name)
}

function exprKey(e: unknown): string | null {
  if (typeof e !== 'object' || e === null) return null
  const keys = Object.keys(e)
  return keys.length === 1 ? keys[0] : null
}

/** The verdict a rule ends with (`accept`, `drop`, `reject`, `jump`, `goto`, `return`, …), or null. */
export function ruleVerdict(rule: NftRule): string | null {
  for (let i = rule.expr.length - 1; i >= 0; i--) {
    const k = exprKey(rule.expr[i])
    if (k && ['accept', 'drop', 'reject', 'jump', 'goto', 'return', 'queue'].includes(k)) return k
  }
  return null
}

/** Expressions that neither match nor decide: a rule made only of these and a verdict is unconditional. */
const NEUTRAL = new Set(['counter', 'log', 'limit'])

export function isUnconditional(rule: NftRule): boolean {
  return rule.expr.every((e) => {
    const k = exprKey(e)
    return k !== null && (NEUTRAL.has(k) || ['accept', 'drop', 'reject'].includes(k))
  })
}

/** Does the rule match interface `key` (`iifname`/`oifname`) equal to (or in a set holding) `ifname`? */
export function matchesInterface(rule: NftRule, key: 'iifname' | 'oifname', ifname: string): boolean {
  return rule.expr.some((e) => {
    const m = (e as { match?: { op?: unknown; left?: { meta?: { key?: unknown } }; right?: unknown } } | null)?.match
    if (!m || m.left?.meta?.key !== key) return false
    if (m.op !== '==' && m.op !== 'in') return false
    const right = m.right
    const same = (v: unknown): boolean =>
      typeof v === 'string' && (v === ifname || (v.endsWith('*') && ifname.startsWith(v.slice(0, -1))))
    if (typeof right === 'string') return same(right)
    const set = (right as { set?: unknown } | null)?.set
    return Array.isArray(set) && set.some(same)
  })
}

/** iptables-nft's tables (`ip filter`, `ip6 nat`, …): listed and changed with iptables, not nft. */
export function isIptablesNftTable(rs: NftRuleset, t: NftTable): boolean {
  if (!['ip', 'ip6', 'arp', 'bridge'].includes(t.family)) return false
  if (!['filter', 'nat', 'mangle', 'raw', 'security', 'broute'].includes(t.name)) return false
  const base = rs.chains.filter((c) => c.family === t.family && c.table === t.name && c.hook !== null)
  return base.length > 0 && base.every((c) => /^[A-Z]+$/.test(c.name))
}

/** Does the rule match `PROTO dport` equal to `port` (a value, a set holding it, or a range around it)? */
export function matchesDport(rule: NftRule, proto: string, port: number): boolean {
  const hit = (v: unknown): boolean => {
    if (v === port) return true
    const range = (v as { range?: unknown } | null)?.range
    return Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number'
      ? range[0] <= port && port <= range[1]
      : false
  }
  return rule.expr.some((e) => {
    const m = (e as { match?: { op?: unknown; left?: { payload?: Record<string, unknown> }; right?: unknown } } | null)
      ?.match
    const p = m?.left?.payload
    if (!m || p?.field !== 'dport' || (p.protocol !== proto && p.protocol !== 'th')) return false
    if (m.op !== '==' && m.op !== 'in') return false
    const set = (m.right as { set?: unknown } | null)?.set
    return Array.isArray(set) ? set.some(hit) : hit(m.right)
  })
}
