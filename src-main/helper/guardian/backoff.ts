/**
 * When the guardian stops fighting (guardian.ts): an object undone more than `maxRestores` times
 * within `windowMs` is left alone for a quiet period (doubling, up to `maxQuietMs`, while it keeps
 * happening), reported once per episode; after `windowMs` without an undo the episode ends. Pure.
 */
export interface BackoffPolicy {
  maxRestores: number
  windowMs: number
  quietMs: number
  maxQuietMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { maxRestores: 5, windowMs: 60_000, quietMs: 20_000, maxQuietMs: 300_000 }

export interface BackoffState {
  /** When each recent undo was seen (within the window). */
  undos: number[]
  /** Restoring is held until this time; null: not held. */
  heldUntil: number | null
  /** Times it was held in this episode (each doubles the quiet period). */
  strikes: number
  /** The give-up was reported in this episode. */
  reported: boolean
}

export const FRESH_BACKOFF: BackoffState = { undos: [], heldUntil: null, strikes: 0, reported: false }

export type BackoffAction =
  /** Restore it now. `resumed`: after a quiet period. */
  | { kind: 'restore'; resumed: boolean }
  /** Held: leave it as it is. */
  | { kind: 'hold' }
  /** Held from now on; `report`: the first time in this episode (say so once). */
  | { kind: 'give-up'; report: boolean; quietMs: number }

/** An undo of the object was seen at `now`: restore it, or not. */
export function onUndo(
  state: BackoffState,
  now: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF
): { state: BackoffState; action: BackoffAction } {
  if (state.heldUntil !== null && now < state.heldUntil) return { state, action: { kind: 'hold' } }
  const resumed = state.heldUntil !== null
  // After a quiet period the count starts again (the undo that is seen now counts).
  const recent = resumed ? [] : state.undos.filter((t) => now - t < policy.windowMs)
  const undos = [...recent, now]
  if (undos.length > policy.maxRestores) {
    const quietMs = Math.min(policy.quietMs * 2 ** state.strikes, policy.maxQuietMs)
    return {
      state: { undos, heldUntil: now + quietMs, strikes: state.strikes + 1, reported: true },
      action: { kind: 'give-up', report: !state.reported, quietMs }
    }
  }
  return { state: { ...state, undos, heldUntil: null }, action: { kind: 'restore', resumed } }
}

/** The object was found as wanted at `now`: after a whole window without an undo, the episode ends. */
export function onIntact(state: BackoffState, now: number, policy: BackoffPolicy = DEFAULT_BACKOFF): BackoffState {
  if (state.heldUntil !== null) return state
  const last = state.undos.at(-1)
  if (last === undefined || now - last < policy.windowMs) return state
  return FRESH_BACKOFF
}
