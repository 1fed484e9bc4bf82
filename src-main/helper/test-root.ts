/** The helper's answer to a `--root` that does not pass store/store-root.ts: BAD_ROOT, naming the field. */
import { HelperError } from '../contract/helper-protocol'
import { StoreRootError } from '../core/store/store-layout'
import { resolveStoreRoot } from '../store/store-root'

export function resolveTestRoot(root: string): string {
  try {
    return resolveStoreRoot(root)
  } catch (e) {
    if (e instanceof StoreRootError) throw new HelperError('BAD_ROOT', e.message, { field: 'args.root', fix: e.fix })
    throw e
  }
}
