/** `<gn:portForwards>`: each forward's ports, target and family against its network, and collisions. */
import type { NetworkDef } from '../model/network'
import type { PortForward } from '../model/port-forward'
import { forwardFamilies, forwardFamily, forwardKey } from '../model/port-forward'
import { forwardTarget } from '../forward/forward-target'
import { cidrContainsIp, firstIp, lastIp, parseCidr } from '../net/cidr'
import type { Family } from '../net/ip'
import { canonicalIp, parseIp, sameIp } from '../net/ip'
import type { CheckedIp } from './check-ips'
import type { Problems } from './problems'
import { macProblem, printable } from './syntax'

const ULA = parseCidr('fc00::/7')

/** IPv6 guests with a ULA are reached by NAT66; any other IPv6 prefix is routed (a pinhole, no port change). */
export function isUla(ip: CheckedIp): boolean {
  return ULA !== null && cidrContainsIp(ULA, ip.gateway)
}

function pathOf(i: number): string {
  return `metadata.portForwards.forward[${i}]`
}

function checkPorts(f: PortForward, path: string, p: Problems): void {
  if (f.port < 1 || f.port > 65535)
    p.add(`${path}.port`, `port ${f.port} is out of range`, 'use a port from 1 to 65535')
  if (f.toPort !== undefined && (f.toPort < 1 || f.toPort > 65535)) {
    p.add(
      `${path}.toPort`,
      `toPort ${f.toPort} is out of range`,
      'use a port from 1 to 65535, or leave out toPort= (the same as port=)'
    )
  }
}

function checkAddressTarget(f: PortForward, path: string, ips: CheckedIp[], family: Family, p: Problems): void {
  const ip = parseIp(f.to)
  if (!ip) return
  const wanted = forwardFamilies(f)
  if (wanted.length !== 1 || wanted[0] !== family) {
    p.add(
      `${path}.family`,
      `to='${f.to}' is an IPv${family} address, so the forward cannot be family='${forwardFamily(f)}'`,
      family === 4
        ? "use family='ipv4', or give the guest's MAC or reservation name as to= to reach its IPv6 address too"
        : "use family='ipv6', or give the guest's MAC or reservation name as to="
    )
    return
  }
  const block = ips.find((b) => b.family === family && cidrContainsIp(b.subnet, ip))
  if (!block) {
    p.add(
      `${path}.to`,
      `${f.to} is not in the network`,
      `give a guest's address inside the network's ${
        ips
          .filter((b) => b.family === family)
          .map((b) => b.path)
          .join(', ') || `IPv${family} <ip>`
      }, its MAC or its reservation name`
    )
    return
  }
  const edge = family === 4 && (sameIp(ip, firstIp(block.subnet)) || sameIp(ip, lastIp(block.subnet)))
  if (sameIp(ip, block.gateway) || edge) {
    p.add(
      `${path}.to`,
      `${f.to} is ${edge ? "the subnet's network or broadcast address" : "the host's own address on the bridge"}, not a guest`,
      "give a guest's address, MAC or reservation name"
    )
  }
}

function checkTarget(f: PortForward, def: NetworkDef, ips: CheckedIp[], path: string, p: Problems): void {
  const target = forwardTarget(f.to, def)
  const families = forwardFamilies(f)
  if (target.kind === 'address') checkAddressTarget(f, path, ips, target.ip.family, p)
  else if (target.kind === 'mac') {
    const bad = macProblem(f.to)
    if (bad) p.add(`${path}.to`, bad, "give the guest's own MAC, e.g. to='52:54:00:12:34:56'")
  } else if (target.kind === 'reservation') {
    for (const family of families) {
      const has = target.mac !== undefined || (family === 4 ? target.ipv4 : target.ipv6) !== undefined
      if (!has) {
        p.add(
          `${path}.to`,
          `reservation '${printable(f.to)}' has no MAC and no IPv${family} address to forward to`,
          "add mac= to its <host>, or give the guest's address as to="
        )
      }
    }
  } else {
    p.add(
      `${path}.to`,
      `'${printable(f.to)}' is neither an address, a MAC nor the name of a DHCP reservation of this network`,
      "give the guest's address (to='192.168.122.10'), its MAC (to='52:54:00:12:34:56') or a <host name=…> of the network's <dhcp>"
    )
  }
  for (const family of families) {
    if (!ips.some((b) => b.family === family)) {
      p.add(
        `${path}.family`,
        `the network has no IPv${family} address, so there is nothing to forward to over IPv${family}`,
        family === 6
          ? `add an IPv6 <ip> to the network, or use family='ipv4'`
          : `add an IPv4 <ip>, or use family='ipv6'`
      )
    }
  }
  const routed6 = ips.find((b) => b.family === 6 && !isUla(b))
  if (families.includes(6) && routed6 && f.toPort !== undefined && f.toPort !== f.port) {
    p.add(
      `${path}.toPort`,
      `${routed6.path} is not a ULA: IPv6 guests there are reached at their own address through a pinhole, which keeps the port`,
      "make toPort= the same as port=, or use family='ipv4' for the port change"
    )
  }
}

function checkAddress(f: PortForward, path: string, p: Problems): void {
  if (f.address === undefined) return
  const ip = parseIp(f.address)
  if (!ip) {
    p.add(
      `${path}.address`,
      `'${printable(f.address)}' is not an IP address`,
      "give one of the host's addresses, or leave out address= for all of them"
    )
    return
  }
  const families = forwardFamilies(f)
  if (families.length !== 1 || families[0] !== ip.family) {
    p.add(
      `${path}.family`,
      `address='${f.address}' is an IPv${ip.family} address, so the forward cannot be family='${forwardFamily(f)}'`,
      `use family='ipv${ip.family}', or leave out address=`
    )
  }
}

/** Ports the host itself serves the guests on, at its bridge addresses: a forward there would take them. */
function servicePorts(def: NetworkDef, ips: CheckedIp[]): { proto: 'tcp' | 'udp'; port: number; what: string }[] {
  const out: { proto: 'tcp' | 'udp'; port: number; what: string }[] = []
  if (def.dns?.enable !== false && ips.length > 0)
    out.push({ proto: 'udp', port: 53, what: 'DNS' }, { proto: 'tcp', port: 53, what: 'DNS' })
  if (ips.some((b) => b.family === 4 && b.config.dhcp)) out.push({ proto: 'udp', port: 67, what: 'DHCP' })
  if (ips.some((b) => b.family === 6 && b.config.dhcp)) out.push({ proto: 'udp', port: 547, what: 'DHCPv6' })
  if (ips.some((b) => b.config.tftp)) out.push({ proto: 'udp', port: 69, what: 'TFTP' })
  return out
}

function onBridge(f: PortForward, ips: CheckedIp[]): boolean {
  if (f.address === undefined) return true
  const ip = parseIp(f.address)
  return ip !== null && ips.some((b) => sameIp(b.gateway, ip))
}

/** Two forwards take the same traffic: same protocol and port, a family in common, the same or any address. */
export function forwardsCollide(a: PortForward, b: PortForward): boolean {
  if (a.proto !== b.proto || a.port !== b.port) return false
  if (!forwardFamilies(a).some((f) => forwardFamilies(b).includes(f))) return false
  if (a.address === undefined || b.address === undefined) return true
  return (canonicalIp(a.address) ?? a.address) === (canonicalIp(b.address) ?? b.address)
}

function otherForwards(other: unknown): { name: string; forwards: PortForward[] } | null {
  if (typeof other !== 'object' || other === null) return null
  const o = other as { name?: unknown; guestnet?: { portForwards?: unknown } }
  const list = o.guestnet?.portForwards
  if (typeof o.name !== 'string' || !Array.isArray(list)) return null
  return { name: o.name, forwards: list as PortForward[] }
}

export function checkPortForwards(def: NetworkDef, ips: CheckedIp[], others: readonly unknown[], p: Problems): void {
  const forwards = def.guestnet?.portForwards
  if (!forwards || forwards.length === 0) return
  const mode = def.forward.mode
  if (mode !== 'nat' && mode !== 'route') {
    p.add(
      'metadata.portForwards',
      `a network with forward mode '${mode}' has no firewall of guestnet's to forward ports with`,
      "use mode='nat' or 'route', or remove <gn:portForwards>"
    )
    return
  }
  const services = servicePorts(def, ips)
  forwards.forEach((f, i) => {
    const path = pathOf(i)
    checkPorts(f, path, p)
    checkTarget(f, def, ips, path, p)
    checkAddress(f, path, p)
    const taken = services.find((s) => s.proto === f.proto && s.port === f.port)
    if (taken && onBridge(f, ips)) {
      p.add(
        `${path}.port`,
        `${f.proto} port ${f.port} is the network's ${taken.what}: guests would lose it`,
        "use another port, or give address= (a host address that is not the bridge's)"
      )
    }
    const twin = forwards.findIndex((g, j) => j < i && forwardsCollide(f, g))
    if (twin >= 0) {
      p.add(
        `${path}.port`,
        `${forwardKey(f)} is forwarded already by ${pathOf(twin)}`,
        'use another port, or remove one of the two forwards'
      )
    }
    for (const other of others) {
      const o = otherForwards(other)
      if (!o || o.name === def.name) continue
      if (o.forwards.some((g) => typeof g === 'object' && g !== null && forwardsCollide(f, g))) {
        p.add(
          `${path}.port`,
          `${forwardKey(f)} is forwarded already by network ${printable(o.name)}`,
          `use another port, or remove that forward (guestnet net-forward-del ${printable(o.name)} --proto ${f.proto} --port ${f.port})`
        )
      }
    }
  })
}
