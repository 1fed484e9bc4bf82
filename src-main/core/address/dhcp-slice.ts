/**
 * How a spanning network's DHCP range is split between its hosts (`<gn:span slice='i/n'>`): each
 * range is cut into `n` contiguous parts of (almost) equal size, the remainder spread from the
 * front, and host `i` hands out only part `i`. Parts never overlap, so no two hosts give out the
 * same address; reservations (`<host ip>`) are not split, every host knows all of them. Pure.
 */
import type { SpanSlice } from '../model/span'
import type { Ip } from '../net/ip'
import { addToIp } from '../net/ip'

export interface IpRange {
  start: Ip
  end: Ip
}

/** Part `part` (1-based) of `of` of the range; null when the range has fewer addresses than parts. */
export function slicePart(range: IpRange, part: number, of: number): IpRange | null {
  const size = range.end.value - range.start.value + 1n
  if (size < BigInt(of) || part < 1 || part > of) return null
  const lo = (BigInt(part - 1) * size) / BigInt(of)
  const hi = (BigInt(part) * size) / BigInt(of) - 1n
  return { start: addToIp(range.start, lo), end: addToIp(range.start, hi) }
}

/** This host's part and every other host's, in order, for a range and a slice. */
export function sliceRange(range: IpRange, slice: SpanSlice): { own: IpRange; others: IpRange[] } | null {
  const own = slicePart(range, slice.part, slice.of)
  if (own === null) return null
  const others: IpRange[] = []
  for (let i = 1; i <= slice.of; i++) {
    const part = i === slice.part ? null : slicePart(range, i, slice.of)
    if (part !== null) others.push(part)
  }
  return { own, others }
}
