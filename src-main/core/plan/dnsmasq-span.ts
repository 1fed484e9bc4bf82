/**
 * A spanning network's DHCP ranges (core/address/dhcp-slice.ts): this host's part of each range is
 * an ordinary range; the other hosts' parts are ranges only for DHCPREQUEST (option 53 = 3, tag
 * `gn-renew`). New guests (DISCOVER) get an address from this host's part alone, and a guest that
 * moved here from another host keeps its address when it renews: dnsmasq, authoritative, ACKs a
 * request for an address inside one of its ranges even without a lease of its own (it NAKs one
 * outside them, "address not available"). Pure.
 */
import { sliceRange } from '../address/dhcp-slice'
import type { DhcpRange } from '../model/network'
import type { SpanSlice } from '../model/span'
import { formatIp, parseIPv4 } from '../net/ip'

export const RENEW_TAG = 'gn-renew'
/** `3b`: the value 3 as one byte (option 53's own length would be taken otherwise, and refused). */
export const RENEW_MATCH = `dhcp-match=set:${RENEW_TAG},53,3b`

/** `[start, end, tag?]` of each dnsmasq range for one `<range>`; null when it cannot be split (the validator refuses it). */
export function slicedRanges(
  range: DhcpRange,
  slice: SpanSlice
): { start: string; end: string; renewOnly: boolean }[] | null {
  const start = parseIPv4(range.start)
  const end = parseIPv4(range.end)
  if (start === null || end === null) return null
  const parts = sliceRange({ start, end }, slice)
  if (parts === null) return null
  const text = (
    r: { start: typeof start; end: typeof end },
    renewOnly: boolean
  ): { start: string; end: string; renewOnly: boolean } => ({
    start: formatIp(r.start),
    end: formatIp(r.end),
    renewOnly
  })
  return [text(parts.own, false), ...parts.others.map((r) => text(r, true))]
}
