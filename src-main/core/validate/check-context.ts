/** Rules that need more than the definition: the other guestnet networks, and the host's networks. */
import { findClashes } from '../host/clash'
import type { HostFacts } from '../model/host-facts'
import type { NetworkDef } from '../model/network'
import type { Cidr } from '../net/cidr'
import { cidrOf, cidrsOverlap, formatCidr } from '../net/cidr'
import { parseIp } from '../net/ip'
import type { CheckedIp } from './check-ips'
import type { Problems } from './problems'
import { printable } from './syntax'

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function uuidKey(uuid: unknown): string | undefined {
  return typeof uuid === 'string' ? uuid.replace(/-/g, '').toLowerCase() : undefined
}

/** The subnets of another network, read defensively: a malformed entry contributes nothing. */
function subnetsOf(other: Record<string, unknown>): Cidr[] {
  if (!Array.isArray(other.ips)) return []
  const out: Cidr[] = []
  for (const ip of other.ips) {
    if (!isRecord(ip) || typeof ip.address !== 'string' || typeof ip.prefix !== 'number') continue
    const addr = parseIp(ip.address)
    if (addr && Number.isInteger(ip.prefix) && ip.prefix >= 0 && ip.prefix <= (addr.family === 4 ? 32 : 128))
      out.push(cidrOf(addr, ip.prefix))
  }
  return out
}

/**
 * No two networks may share a name, a UUID, a bridge or overlapping subnets. `others` should not
 * contain the network being checked; an entry with the same name and UUID is taken to be it and
 * skipped. For a rename, leave the old definition out of `others`.
 */
export function checkOthers(def: NetworkDef, ips: CheckedIp[], others: readonly unknown[], p: Problems): void {
  const ourUuid = uuidKey(def.uuid)
  const ourBridge = def.bridge?.name
  for (const other of others) {
    if (other === def || !isRecord(other) || typeof other.name !== 'string') continue
    const theirUuid = uuidKey(other.uuid)
    if (other.name === def.name && theirUuid === ourUuid) continue
    const them = `network '${printable(other.name)}'`
    if (other.name === def.name)
      p.add('name', `a network named '${printable(def.name)}' already exists`, 'choose another name')
    if (ourUuid !== undefined && theirUuid === ourUuid)
      p.add('uuid', `UUID ${printable(def.uuid ?? '')} is already used by ${them}`, 'remove <uuid> to get a new one')
    const bridge = isRecord(other.bridge) ? other.bridge.name : undefined
    if (ourBridge !== undefined && bridge === ourBridge) {
      p.add(
        'bridge.name',
        `bridge '${ourBridge}' is already used by ${them}`,
        'choose another bridge name, or remove name= to have a free virbrN picked'
      )
    }
    const theirs = subnetsOf(other)
    for (const ip of ips) {
      const hit = theirs.find((c) => cidrsOverlap(ip.subnet, c))
      if (hit) {
        p.add(
          `${ip.path}.address`,
          `${formatCidr(ip.subnet)} overlaps ${formatCidr(hit)} of ${them}`,
          fixFor(ip, 'other')
        )
      }
    }
  }
}

/** A subnet that overlaps a network the host already reaches would cut the host (or the guests) off from it. */
export function checkHostFacts(def: NetworkDef, ips: CheckedIp[], facts: HostFacts, p: Problems): void {
  // Our own bridge, when the network is running, holds our own subnet: that is no clash.
  const ignoreDevs = def.bridge?.name !== undefined ? [def.bridge.name] : []
  for (const ip of ips) {
    for (const clash of findClashes(ip.subnet, facts, { ignoreDevs })) {
      p.add(`${ip.path}.address`, clash.message, fixFor(ip, def.name === 'default' ? 'default' : 'other'))
    }
  }
}

function fixFor(ip: CheckedIp, purpose: 'default' | 'other'): string {
  if (ip.family === 6) return "use another /64, e.g. another subnet of the host's ULA prefix"
  return `pick a free range: \`guestnet suggest-range${purpose === 'other' ? ' --for other' : ''}\` prints one`
}
