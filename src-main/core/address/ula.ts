/**
 * RFC 4193 unique local IPv6 prefixes. The 40 random bits of the Global ID come from the caller
 * (crypto.getRandomValues in the app, fixed bytes in tests), so this stays pure. RFC 4193 §3.2.2
 * suggests deriving them from a SHA-1 of time and EUI-64; §3.2 only requires them to be random,
 * and a CSPRNG meets that directly.
 *
 * Prefixes are written in canonical RFC 5952 form (leading zeros dropped, `::` for zero runs),
 * like every other CIDR guestnet prints: `fd12:3456:789a::/48`, `fd00:12:3400::/48`.
 */
import { formatCidr, parseCidr } from '../net/cidr'

const GLOBAL_ID_BYTES = 5

/** `fdXX:XXXX:XXXX::/48` from exactly 5 random bytes (L=1: locally assigned, fd00::/8). */
export function ulaPrefixFromRandom(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array) || bytes.length !== GLOBAL_ID_BYTES) {
    throw new Error(
      `a ULA Global ID takes exactly ${GLOBAL_ID_BYTES} random bytes (40 bits), got ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}`
    )
  }
  let globalId = 0n
  for (const b of bytes) globalId = (globalId << 8n) | BigInt(b)
  const network = (0xfdn << 120n) | (globalId << 80n)
  return formatCidr({ family: 6, network, prefix: 48 })
}

/** The /64 numbered `subnetId` (0–65535) inside a ULA /48: `fdXX:XXXX:XXXX:SSSS::/64`. */
export function ulaSubnet(ula48: string, subnetId: number): string {
  const cidr = typeof ula48 === 'string' && ula48.includes('/') ? parseCidr(ula48) : null
  if (!cidr || cidr.family !== 6 || cidr.prefix !== 48) {
    throw new Error(`'${String(ula48)}' is not an IPv6 /48 like "fd12:3456:789a::/48"`)
  }
  if (cidr.network >> 120n !== 0xfdn)
    throw new Error(`'${ula48}' is not a locally assigned ULA prefix (RFC 4193: it starts with fd)`)
  if (parseCidr(ula48.slice(0, ula48.indexOf('/')))?.network !== cidr.network) {
    throw new Error(`'${ula48}' has bits set after the /48: write the prefix itself, e.g. "${formatCidr(cidr)}"`)
  }
  if (!Number.isInteger(subnetId) || subnetId < 0 || subnetId > 0xffff) {
    throw new Error(`ULA subnet id ${String(subnetId)} is out of range: it must be an integer from 0 to 65535`)
  }
  return formatCidr({ family: 6, network: cidr.network | (BigInt(subnetId) << 64n), prefix: 64 })
}
