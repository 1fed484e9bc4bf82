/**
 * What the running kernel can do that a plan depends on, asked once per process with `nft -c`
 * (check only: nothing is loaded).
 */
import type { PortIsolation } from '../../core/plan/nft-extras'
import { execProgram } from './exec-program'

/** A bridge-family rule with the bridge meta keys (CONFIG_NFT_BRIDGE_META). */
const BRIDGE_META_PROBE =
  'table bridge guestnet_probe {\n\tchain f {\n\t\ttype filter hook forward priority 0;\n\t\tmeta ibrname "x" drop\n\t}\n}\n'

let bridgeMeta: Promise<boolean> | null = null

/** How this kernel enforces `<port isolated='yes'/>`: nft's bridge table if it can, else the per-port flag. */
export async function portIsolationHere(): Promise<PortIsolation> {
  bridgeMeta ??= execProgram(['nft', '-c', '-f', '-'], { input: BRIDGE_META_PROBE }).then(
    () => true,
    () => false
  )
  return (await bridgeMeta) ? 'nft' : 'kernel'
}
