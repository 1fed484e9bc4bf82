/**
 * What the app shows when it opens, and what an empty network list says: the first-run wizard only
 * on a true first run; after the default network was deleted on purpose, an empty state that says
 * so and offers to restore it. Pure.
 */
import type { ChannelOutput } from '../../../src-main/contract/ipc-contract'

export type DefaultState = ChannelOutput<'network:default-state'>

/**
 * The first-run wizard opens only when the list was read and is empty, and the store says the
 * default was never created nor deleted. When either answer is missing it does not open: better
 * an empty dashboard than setting up again a network the user deleted.
 */
export function opensFirstRunWizard(networks: readonly unknown[] | null, state: DefaultState | null): boolean {
  if (networks === null || networks.length > 0 || state === null) return false
  return !state.exists && !state.created && !state.defaultDeleted
}

/** `default-deleted`: the user deleted the default on purpose; `none`: there simply is no network yet. */
export type EmptyState = 'default-deleted' | 'none'

export function emptyStateOf(state: DefaultState | null): EmptyState {
  return state?.defaultDeleted ? 'default-deleted' : 'none'
}
