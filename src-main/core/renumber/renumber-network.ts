/**
 * Moving a network to another subnet while keeping everything that identifies it: name, UUID,
 * bridge, MAC and reservations. Host parts are kept: with 192.168.122.0/24 → 10.122.0.0/24, the
 * gateway .1 stays .1, a reservation .10 becomes 10.122.0.10 and the DHCP range .2–.254 becomes
 * 10.122.0.2–10.122.0.254. Pure: the store writes the result, the helper applies it.
 *
 * Mapped: the `<ip>` block of the target's family (its address, DHCP ranges and hosts), and any
 * `<dns><host ip>`, forwarder or `<bootp server>` address that lay in the old subnet. Left alone:
 * everything else (other families, NAT's public addresses on the uplink, names, the TFTP root).
 */
import type { IpConfig, NetworkDef } from '../model/network'
import type { Problem } from '../model/problem'
import type { Cidr } from '../net/cidr'
import { cidrContainsIp, cidrOf, cidrSize, formatCidr } from '../net/cidr'
import type { Ip } from '../net/ip'
import { formatIp, parseIp } from '../net/ip'

export interface RenumberChange {
  /** The field as the validator names it (`ip[0].dhcp.host[1].ip`). */
  field: string
  from: string
  to: string
}

export type RenumberResult =
  | {
      ok: true
      def: NetworkDef
      /** The subnet the network had, and the one it gets. */
      from: Cidr
      to: Cidr
      /** Index of the `<ip>` block that moved. */
      ipIndex: number
      changes: RenumberChange[]
    }
  | { ok: false; problems: Problem[] }

export interface RenumberOptions {
  /** Which `<ip>` block moves; default: the first of the target's family that has DHCP, else the first. */
  ipIndex?: number
}

/** The subnet of one `<ip>` block (`192.168.122.1` + 24 → 192.168.122.0/24), or null when it does not parse. */
export function subnetOfIp(ip: IpConfig): Cidr | null {
  const addr = parseIp(ip.address)
  if (!addr || !Number.isInteger(ip.prefix)) return null
  return cidrOf(addr, ip.prefix)
}

/** The `<ip>` block a renumber to `family` moves by default. */
export function defaultIpIndex(def: NetworkDef, family: 4 | 6): number {
  const want = family === 4 ? 'ipv4' : 'ipv6'
  const withDhcp = def.ips.findIndex((ip) => ip.family === want && ip.dhcp !== undefined)
  return withDhcp >= 0 ? withDhcp : def.ips.findIndex((ip) => ip.family === want)
}

/** Moves one address from `from` to `to` keeping its offset; null when the offset does not fit. */
export function mapAddress(ip: Ip, from: Cidr, to: Cidr): Ip | null {
  const offset = ip.value - from.network
  if (offset < 0n || offset >= cidrSize(to)) return null
  return { family: to.family, value: to.network + offset }
}

export function renumberNetwork(input: NetworkDef, to: Cidr, opts: RenumberOptions = {}): RenumberResult {
  if (input.forward.mode === 'bridge') {
    return {
      ok: false,
      problems: [
        {
          field: 'forward.mode',
          message: `network ${input.name} joins the host's bridge: its addresses come from the LAN, there is nothing of guestnet's to move`,
          fix: 'renumber the LAN at its router'
        }
      ]
    }
  }
  const family = to.family === 4 ? 'ipv4' : 'ipv6'
  const index = opts.ipIndex ?? defaultIpIndex(input, to.family)
  const block = input.ips[index]
  if (!block || block.family !== family) {
    return {
      ok: false,
      problems: [
        {
          field: 'ip',
          message: `network ${input.name} has no ${family === 'ipv4' ? 'IPv4' : 'IPv6'} <ip> to move to ${formatCidr(to)}`,
          fix: `give a subnet of the family the network uses`
        }
      ]
    }
  }
  const from = subnetOfIp(block)
  if (!from)
    return {
      ok: false,
      problems: [
        {
          field: `ip[${index}].address`,
          message: `'${block.address}/${block.prefix}' is not a valid address and prefix`
        }
      ]
    }

  const def = structuredClone(input)
  const problems: Problem[] = []
  const changes: RenumberChange[] = []
  // Rewrites one address field when it lies in the old subnet; `always` when it must (our own block).
  const move = (field: string, text: string | undefined, always: boolean, set: (v: string) => void): void => {
    if (text === undefined) return
    const ip = parseIp(text)
    if (!ip || !cidrContainsIp(from, ip)) {
      if (always)
        problems.push({ field, message: `'${text}' is not in ${formatCidr(from)}, so it cannot be moved with it` })
      return
    }
    const moved = mapAddress(ip, from, to)
    if (!moved) {
      problems.push({
        field,
        message: `${text} is host ${formatIp({ family: ip.family, value: ip.value - from.network })} of ${formatCidr(from)}, which ${formatCidr(to)} does not have`,
        fix: `choose a subnet at least as large as ${formatCidr(from)}, or change ${field} first`
      })
      return
    }
    const next = formatIp(moved)
    if (next !== text) {
      set(next)
      changes.push({ field, from: text, to: next })
    }
  }

  const ipb = def.ips[index]
  move(`ip[${index}].address`, ipb.address, true, (v) => (ipb.address = v))
  if (ipb.prefix !== to.prefix) {
    changes.push({ field: `ip[${index}].prefix`, from: String(ipb.prefix), to: String(to.prefix) })
    ipb.prefix = to.prefix
  }
  ipb.dhcp?.ranges.forEach((r, k) => {
    move(`ip[${index}].dhcp.range[${k}].start`, r.start, true, (v) => (r.start = v))
    move(`ip[${index}].dhcp.range[${k}].end`, r.end, true, (v) => (r.end = v))
  })
  ipb.dhcp?.hosts.forEach((h, k) => move(`ip[${index}].dhcp.host[${k}].ip`, h.ip, true, (v) => (h.ip = v)))
  const bootp = ipb.dhcp?.bootp
  // A TFTP server given by address moves along when it is one of the network's own guests.
  if (bootp) move(`ip[${index}].dhcp.bootp.server`, bootp.server, false, (v) => (bootp.server = v))
  def.dns?.hosts.forEach((h, k) => move(`dns.host[${k}].ip`, h.ip, false, (v) => (h.ip = v)))
  def.dns?.forwarders.forEach((f, k) => move(`dns.forwarder[${k}].addr`, f.addr, false, (v) => (f.addr = v)))
  // A port forward to a guest's address follows the guest into the new subnet (a MAC target needs nothing).
  def.guestnet?.portForwards?.forEach((f, k) =>
    move(`metadata.portForwards.forward[${k}].to`, f.to, false, (v) => (f.to = v))
  )

  if (problems.length > 0) return { ok: false, problems }
  return { ok: true, def, from, to, ipIndex: index, changes }
}
