/**
 * `iptables -S` output (one table, every chain) as data: policies, chains, rules as argument
 * lists. Pure. Quoted arguments (`--comment "a b"`) are unquoted the way iptables-save writes them.
 */

export interface IptablesRule {
  chain: string
  /** The arguments after `-A CHAIN`. */
  args: string[]
}

export interface IptablesTable {
  /** Built-in chain → policy (`ACCEPT`, `DROP`). */
  policies: Record<string, string>
  /** Every chain, built-in and user-defined. */
  chains: string[]
  rules: IptablesRule[]
}

/** Splits one line into arguments, honouring double quotes and backslash escapes inside them. */
export function splitIptablesLine(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let inQuote = false
  let has = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (inQuote) {
      if (c === '\\' && i + 1 < line.length) cur += line[++i]
      else if (c === '"') inQuote = false
      else cur += c
    } else if (c === '"') {
      inQuote = true
      has = true
    } else if (c === ' ' || c === '\t') {
      if (has || cur) out.push(cur)
      cur = ''
      has = false
    } else {
      cur += c
      has = true
    }
  }
  if (has || cur) out.push(cur)
  return out
}

export function parseIptablesRules(text: string): IptablesTable {
  const table: IptablesTable = { policies: {}, chains: [], rules: [] }
  for (const raw of text.split('\n')) {
    const args = splitIptablesLine(raw.trim())
    if (args.length < 2) continue
    const [op, chain] = args
    if (op === '-P' && args[2]) {
      table.policies[chain] = args[2]
      if (!table.chains.includes(chain)) table.chains.push(chain)
    } else if (op === '-N') {
      if (!table.chains.includes(chain)) table.chains.push(chain)
    } else if (op === '-A') {
      table.rules.push({ chain, args: args.slice(2) })
    }
  }
  return table
}

/** The value after `flag` in a rule (`-i virbr0` → `virbr0`), or null. Negated (`! -i x`) counts as absent. */
export function ruleOption(rule: IptablesRule, flag: string): string | null {
  const i = rule.args.indexOf(flag)
  if (i < 0 || i + 1 >= rule.args.length) return null
  if (i > 0 && rule.args[i - 1] === '!') return null
  return rule.args[i + 1]
}

export function rulesOf(table: IptablesTable, chain: string): IptablesRule[] {
  return table.rules.filter((r) => r.chain === chain)
}

/** Does `chain` jump to `target` (`-j target`)? */
export function jumpsTo(table: IptablesTable, chain: string, target: string): boolean {
  return rulesOf(table, chain).some((r) => ruleOption(r, '-j') === target)
}

/**
 * An ACCEPT rule in `chain` for traffic in (`-i`) or out (`-o`) of `ifname`: the chain already lets
 * that bridge's traffic through (whatever else the rule matches, which may narrow it further).
 */
export function acceptsInterface(table: IptablesTable, chain: string, dir: '-i' | '-o', ifname: string): boolean {
  return rulesOf(table, chain).some((r) => ruleOption(r, '-j') === 'ACCEPT' && ruleOption(r, dir) === ifname)
}
