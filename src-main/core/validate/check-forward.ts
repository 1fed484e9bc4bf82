/** `<forward>`: uplink device and NAT address/port ranges. */
import type { NetworkDef } from '../model/network'
import { parseIPv4 } from '../net/ip'
import type { Problems } from './problems'
import { ifnameProblem, printable } from './syntax'

export function checkForward(def: NetworkDef, p: Problems): void {
  const { mode, dev, nat } = def.forward
  if (dev !== undefined) {
    const problem = ifnameProblem(dev)
    if (problem)
      p.add(
        'forward.dev',
        problem,
        "name the host's uplink interface, e.g. dev='eth0', or remove dev= to use whichever holds the default route"
      )
    else if (mode === 'open') {
      p.add(
        'forward.dev',
        "forward dev is not allowed with mode='open'",
        "remove dev=: an open network adds no firewall rules, so it cannot pin an uplink; use mode='route' to pin one"
      )
    } else if (mode === 'none') {
      p.add(
        'forward.dev',
        'an isolated network has no uplink',
        "remove dev=, or add <forward mode='nat'/> to give the network one"
      )
    }
  }
  if (!nat) return
  if (mode !== 'nat') {
    p.add(
      'forward.nat',
      `<nat> is only allowed with mode='nat', not ${mode === 'none' ? 'an isolated network' : `mode='${mode}'`}`,
      "remove <nat> or set mode='nat'"
    )
  }
  checkNatAddresses(nat.addressStart, nat.addressEnd, p)
  checkNatPorts(nat.portStart, nat.portEnd, p)
}

function checkNatAddresses(start: string | undefined, end: string | undefined, p: Problems): void {
  if (start === undefined && end === undefined) return
  if (start === undefined || end === undefined) {
    const missing = start === undefined ? 'start' : 'end'
    p.add(
      `forward.nat.address.${missing}`,
      `the NAT address range has no ${missing}`,
      'give both start= and end= (equal for a single address)'
    )
    return
  }
  const a = parseIPv4(start)
  const b = parseIPv4(end)
  if (!a)
    p.add(
      'forward.nat.address.start',
      `'${printable(start)}' is not an IPv4 address`,
      "write the first public address to SNAT to, e.g. start='203.0.113.10'"
    )
  if (!b)
    p.add(
      'forward.nat.address.end',
      `'${printable(end)}' is not an IPv4 address`,
      "write the last public address to SNAT to, e.g. end='203.0.113.20'"
    )
  if (a && b && a.value > b.value)
    p.add(
      'forward.nat.address.end',
      `the NAT address range ends (${end}) before it starts (${start})`,
      'swap start= and end='
    )
}

function checkNatPorts(start: number | undefined, end: number | undefined, p: Problems): void {
  if (start === undefined && end === undefined) return
  if (start === undefined || end === undefined) {
    const missing = start === undefined ? 'start' : 'end'
    p.add(
      `forward.nat.port.${missing}`,
      `the NAT port range has no ${missing}`,
      "give both start= and end=, e.g. start='1024' end='65535'"
    )
    return
  }
  let ok = true
  for (const [key, value] of [
    ['start', start],
    ['end', end]
  ] as const) {
    if (value < 1 || value > 65535) {
      p.add(`forward.nat.port.${key}`, `port ${value} is out of range`, 'use a port from 1 to 65535')
      ok = false
    }
  }
  if (ok && start > end)
    p.add(
      'forward.nat.port.end',
      `the NAT port range ends (${end}) before it starts (${start})`,
      'swap start= and end='
    )
}
