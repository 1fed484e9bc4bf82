/** Which network names the helper accepts: the core's one rule (which includes the store's file-name safety). */
import { networkNameProblem } from '../core/validate/syntax'

/**
 * Why a network name is refused, or null. `../x` and control characters are; `a;rm -rf /` and
 * `$(id)` are harmless names (never in a shell, every file name and identifier derived by encoding).
 */
export function checkNetworkName(name: string): string | null {
  return networkNameProblem(name)
}
