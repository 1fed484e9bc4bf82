import { describe, expect, it } from 'vitest'

import { Debouncer } from './debounce'
import { fakeTimers } from '../../test/unit-support/fake-timers.fixture'

describe('Debouncer', () => {
  it('runs once after a burst has been quiet for quietMs', async () => {
    const t = fakeTimers()
    let runs = 0
    const d = new Debouncer(async () => void runs++, { quietMs: 100, maxWaitMs: 1000, timers: t })
    for (let i = 0; i < 6; i++) {
      d.poke()
      await t.advance(50)
    }
    expect(runs).toBe(0)
    await t.advance(100)
    expect(runs).toBe(1)
  })

  it('runs at least every maxWaitMs while events keep coming', async () => {
    const t = fakeTimers()
    let runs = 0
    const d = new Debouncer(async () => void runs++, { quietMs: 100, maxWaitMs: 300, timers: t })
    for (let i = 0; i < 10; i++) {
      d.poke()
      await t.advance(60)
    }
    expect(runs).toBe(2)
  })

  it('never runs twice at once: an event during a run brings exactly one more run', async () => {
    const t = fakeTimers()
    let running = 0
    let maxRunning = 0
    let runs = 0
    let release: (() => void) | null = null
    const d = new Debouncer(
      async () => {
        running++
        maxRunning = Math.max(maxRunning, running)
        runs++
        await new Promise<void>((r) => (release = r))
        running--
      },
      { quietMs: 10, maxWaitMs: 100, timers: t }
    )
    d.poke()
    await t.advance(10)
    expect(runs).toBe(1)
    d.poke()
    d.poke()
    await t.advance(50)
    expect(runs).toBe(1)
    release!()
    await t.advance(0)
    await t.advance(10)
    expect(runs).toBe(2)
    release!()
    await t.advance(100)
    expect(runs).toBe(2)
    expect(maxRunning).toBe(1)
  })

  it('keeps going after a failing run, and does nothing once stopped', async () => {
    const t = fakeTimers()
    let runs = 0
    const d = new Debouncer(
      async () => {
        runs++
        throw new Error('boom')
      },
      { quietMs: 10, maxWaitMs: 100, timers: t }
    )
    d.poke()
    await t.advance(10)
    d.poke()
    await t.advance(10)
    expect(runs).toBe(2)
    d.poke()
    d.stop()
    await t.advance(100)
    expect(runs).toBe(2)
    expect(t.pending()).toBe(0)
  })
})
