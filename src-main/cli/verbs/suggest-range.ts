import type { RangePurpose } from '../../core/address/suggest-range'
import { DEFAULT_NETWORK_RANGE, DEFAULT_POOL, suggestRange } from '../../core/address/suggest-range'
import { ipv4PlanFor } from '../../core/address/ipv4-plan'
import type { HostFacts } from '../../core/model/host-facts'
import { UsageError } from '../args'
import { HostFactsError, loadHostFacts } from '../load-host-facts'
import type { Verb } from '../verb'
import { EXIT } from '../verb'

/**
 * `--for default|other`. Until args.ts lists `for` among the options taking a value, the parser
 * sees `--for` as a flag and its value as a positional, so take it from there.
 */
function purposeOf(options: Map<string, string>, flags: Set<string>, positionals: string[]): RangePurpose {
  let value = options.get('for')
  if (value === undefined && flags.has('for')) {
    value = positionals.shift()
    if (value === undefined) throw new UsageError("--for needs a value: 'default' or 'other'")
  }
  if (value === undefined || value === 'default' || value === 'other') return value ?? 'default'
  throw new UsageError(`--for takes 'default' or 'other', not '${value}'`)
}

export const verb: Verb = {
  usage: 'suggest-range [--for default|other] [--pool CIDR,…] [--json]',
  summary:
    'print a free IPv4 /24 (subnet, gateway, DHCP range) that no host network overlaps (--host-facts FILE: recorded facts)',
  async run(args, io) {
    const positionals = [...args.positionals]
    const purpose = purposeOf(args.options, args.flags, positionals)
    if (positionals.length > 0) throw new UsageError(`suggest-range takes no argument '${positionals[0]}'`)
    const poolText = args.options.get('pool')
    const pool =
      poolText === undefined
        ? undefined
        : poolText
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
    let facts: HostFacts
    try {
      facts = await loadHostFacts(args)
    } catch (e) {
      if (!(e instanceof HostFactsError)) throw e
      io.err(`guestnet suggest-range: ${e.message}`)
      return e.kind === 'input' ? EXIT.invalid : EXIT.environment
    }
    let subnet
    try {
      subnet = suggestRange(facts, { purpose, pool })
    } catch (e) {
      throw new UsageError(`--pool: ${(e as Error).message}`)
    }
    if (!subnet) {
      const first = purpose === 'default' ? DEFAULT_NETWORK_RANGE : '192.168.123.0/24'
      const tried = `${first.replace('.0/24', '')}–192.168.254 /24s and the pool ${(pool ?? DEFAULT_POOL).join(', ')}`
      io.err(
        `guestnet suggest-range: no free /24: every candidate (${tried}) overlaps a host network; give other blocks with --pool, e.g. --pool 172.16.0.0/12`
      )
      return EXIT.failed
    }
    const plan = ipv4PlanFor(subnet)
    if (args.flags.has('json')) {
      io.out(JSON.stringify({ purpose, ...plan }, null, 2))
    } else {
      io.out(
        [
          `subnet      ${plan.subnet}`,
          `gateway     ${plan.gateway}`,
          `netmask     ${plan.netmask}`,
          `dhcp range  ${plan.dhcpStart} - ${plan.dhcpEnd}`
        ].join('\n')
      )
    }
    return EXIT.ok
  }
}
