/**
 * The `--root` a verb that reads the store itself (no helper) uses. Run by root, the CLI reads with
 * root's rights, so the directory gets the helper's check (store/store-root.ts): resolved, every
 * directory up to it root's alone, the real path used. Run by anyone else, their own rights decide
 * what they can read, and the path is used as given.
 */
import { StoreRootError } from '../core/store/store-layout'
import { resolveStoreRoot } from '../store/store-root'
import type { CliArgs } from './args'
import { UsageError } from './args'

export function offlineRoot(args: CliArgs, uid: number = process.getuid?.() ?? 0): string | undefined {
  const root = args.options.get('root')
  if (root === undefined || uid !== 0) return root
  try {
    return resolveStoreRoot(root, undefined, false)
  } catch (e) {
    if (e instanceof StoreRootError) throw new UsageError(`${e.message}${e.fix ? `: ${e.fix}` : ''}`)
    throw e
  }
}
