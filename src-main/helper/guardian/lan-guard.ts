/**
 * The guardian's part in `ipv6='lan'` (helper/ops/lan-follow.ts): on each full look (every 5 s, and
 * on every `ip monitor` / `nft monitor` event: a guest's new neighbour entry, the uplink's address
 * coming or going) the network follows its uplink's prefix and answers for the guests it has heard
 * from, under the runtime directory's lock, taken only if free. A guest that autoconfigured an
 * address and sent its first packet is thus reachable from the LAN within one full look.
 */
import type { NetworkDef } from '../../core/model/network'
import { parseHostFacts } from '../../core/host/parse-host-facts'
import { readLiveHostFacts } from '../../host/read-host-facts'
import { messageOf } from '../apply-plan'
import type { OpsDeps } from '../ops/deps'
import type { LanOutcome } from '../ops/lan-follow'
import { followLan } from '../ops/lan-follow'
import { withLockIfFree } from '../state/lock'

export interface LanGuardState {
  def: NetworkDef
  /** What the last follow said, so only a change is logged. */
  last: string | null
}

export async function guardLan(
  name: string,
  state: LanGuardState,
  opts: { lockFile: string; deps: () => OpsDeps; log: (line: string) => void }
): Promise<void> {
  try {
    const facts = parseHostFacts(await readLiveHostFacts(), 'the live host')
    const done = await withLockIfFree(opts.lockFile, () => followLan(state.def, facts, opts.deps()))
    const out: LanOutcome | null = done?.value ?? null
    if (out === null) return
    if (out.message !== state.last) opts.log(`guardian: ${out.message}`)
    state.last = out.message
  } catch (e) {
    opts.log(`guardian: ${name}: the uplink prefix could not be followed (${messageOf(e)})`)
  }
}
