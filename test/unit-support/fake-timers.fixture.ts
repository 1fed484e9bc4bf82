/** Timers for tests: a clock the test moves by hand, running due callbacks in order. */
import type { Timers } from '../../src-main/watch/debounce'

export function fakeTimers(): Timers & { advance(ms: number): Promise<void>; pending(): number } {
  let now = 0
  let next = 1
  const timers = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = next++
      timers.set(id, { at: now + ms, fn })
      return id
    },
    clearTimeout(h) {
      timers.delete(h as number)
    },
    pending: () => timers.size,
    async advance(ms) {
      const until = now + ms
      for (let i = 0; i < 10; i++) await Promise.resolve()
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0]
        if (!due) break
        timers.delete(due[0])
        now = due[1].at
        due[1].fn()
        // Let the action's promise chain run.
        for (let i = 0; i < 10; i++) await Promise.resolve()
      }
      now = until
    }
  }
}
