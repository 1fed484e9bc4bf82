/** Which network names the helper accepts: the core's rules (the validator's and the store's file-name safety). */
import { networkNameProblem as fileNameProblem } from '../core/store/network-file-name'
import { networkNameProblem } from '../core/validate/syntax'

/** Why a network name is refused, or null: `../x`, `a;rm -rf /`, `$(id)` all are. */
export function checkNetworkName(name: string): string | null {
  return networkNameProblem(name) ?? fileNameProblem(name)
}
