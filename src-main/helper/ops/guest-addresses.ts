/** The guests' addresses as the host sees them now: the lease file, and the bridge's IPv6 neighbours. */
import type { GuestAddresses } from '../../core/forward/resolve-forwards'
import { guestAddresses } from '../../core/forward/seen-addresses'
import { readTextNoFollow } from '../../store/safe-fs'
import { execProgram } from '../run/exec-program'
import type { OpsDeps } from './deps'

export async function readGuestAddresses(deps: OpsDeps, name: string, bridge: string | null): Promise<GuestAddresses> {
  const leases = readTextNoFollow(deps.paths.leasesFile(name))
  let neighbours: string | null = null
  if (bridge !== null && deps.interfaces().has(bridge)) {
    try {
      neighbours = (await execProgram(['ip', '-j', '-6', 'neigh', 'show', 'dev', bridge])).stdout
    } catch {
      neighbours = null
    }
  }
  return guestAddresses(leases, neighbours)
}
