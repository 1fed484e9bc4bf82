/** `guestnet net-forward-list NAME [--refresh] [--json]`: each forward, where it goes now, and its state. */
import type { HelperValue } from '../../contract/helper-protocol'
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { oneName, runOnline } from './net-call'

type Entry = HelperValue<'forwards'>['forwards'][number]

function goesTo(f: Entry): string {
  const parts = [f.ipv4 === null ? null : `${f.ipv4}:${f.toPort}`, f.ipv6 === null ? null : `[${f.ipv6}]:${f.toPort}`]
  const known = parts.filter((p): p is string => p !== null)
  return known.length > 0 ? known.join(' ') : '-'
}

export function formatForwards(v: HelperValue<'forwards'>): string {
  if (v.forwards.length === 0) return `Network ${v.network} has no port forwards`
  const rows = v.forwards.map((f) => [`${f.proto}/${f.port}`, f.address ?? '*', f.family, f.to, goesTo(f), f.state])
  const head = ['Forward', 'Address', 'Family', 'To', 'Goes to now', 'State']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (r: string[]): string =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

export const verb: Verb = {
  usage: 'net-forward-list NAME [--refresh] [--json]',
  summary:
    "a network's port forwards, each with the guest address it reaches now and whether it is active or waiting; --refresh first moves the rules to where the guests are now",
  async run(args, io) {
    const name = oneName(args, 'net-forward-list')
    if (args.flags.has('refresh')) {
      const refreshed = await runOnline('net-forward-list', 'forward-refresh', args, io, { name })
      if (!refreshed.ok) return refreshed.exit
    }
    const r = await runOnline('net-forward-list', 'forwards', args, io, { name })
    if (!r.ok) return r.exit
    io.out(args.flags.has('json') ? JSON.stringify(r.value, null, 2) : formatForwards(r.value))
    return EXIT.ok
  }
}
