import { describe, expect, it } from 'vitest'

import type { BackoffPolicy, BackoffState } from './backoff'
import { FRESH_BACKOFF, onIntact, onUndo } from './backoff'

const policy: BackoffPolicy = { maxRestores: 3, windowMs: 1000, quietMs: 500, maxQuietMs: 1500 }

function undoAt(state: BackoffState, ...times: number[]): { state: BackoffState; kinds: string[] } {
  const kinds: string[] = []
  for (const t of times) {
    const r = onUndo(state, t, policy)
    state = r.state
    kinds.push(r.action.kind === 'give-up' ? `give-up${r.action.report ? '!' : ''}` : r.action.kind)
  }
  return { state, kinds }
}

describe('guardian backoff', () => {
  it('restores up to maxRestores undos within the window, then gives up once and reports it', () => {
    const { kinds } = undoAt(FRESH_BACKOFF, 0, 10, 20, 30, 40)
    expect(kinds).toEqual(['restore', 'restore', 'restore', 'give-up!', 'hold'])
  })

  it('keeps restoring undos spread wider than the window', () => {
    const { kinds } = undoAt(FRESH_BACKOFF, 0, 600, 1200, 1800, 2400, 3000)
    expect(kinds.every((k) => k === 'restore')).toBe(true)
  })

  it('resumes after the quiet period, and a second give-up in the same episode is not reported again', () => {
    const first = undoAt(FRESH_BACKOFF, 0, 1, 2, 3)
    expect(first.state.heldUntil).toBe(503)
    const { kinds, state } = undoAt(first.state, 400, 503, 504, 505, 506)
    expect(kinds).toEqual(['hold', 'restore', 'restore', 'restore', 'give-up'])
    // The quiet period doubled.
    expect(state.heldUntil).toBe(1506)
  })

  it('caps the quiet period', () => {
    let state = FRESH_BACKOFF
    for (let round = 0; round < 5; round++) {
      const at = state.heldUntil ?? 0
      state = undoAt(state, at, at + 1, at + 2, at + 3).state
    }
    const last = state.undos.at(-1) ?? 0
    expect((state.heldUntil ?? 0) - last).toBe(1500)
  })

  it('ends the episode after a whole window without an undo, so the next give-up is reported again', () => {
    const held = undoAt(FRESH_BACKOFF, 0, 1, 2, 3).state
    // Still held: an intact object does not end it early.
    expect(onIntact(held, 400, policy)).toBe(held)
    const resumed = undoAt(held, 600).state
    expect(onIntact(resumed, 1000, policy)).toBe(resumed)
    const fresh = onIntact(resumed, 1700, policy)
    expect(fresh).toEqual(FRESH_BACKOFF)
    expect(undoAt(fresh, 2000, 2001, 2002, 2003).kinds.at(-1)).toBe('give-up!')
  })
})
