/**
 * Coalescing bursts: one address change brings half a dozen netlink messages (the address, its
 * local, broadcast and prefix routes), a VPN coming up a few dozen. `Debouncer` runs its action
 * once the events have been quiet for `quietMs`, and at least every `maxWaitMs` while they keep
 * coming, never two runs at once (events during a run schedule one more run after it).
 */

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  now(): number
}

export const REAL_TIMERS: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return t
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now()
}

export interface DebounceOptions {
  quietMs: number
  maxWaitMs: number
  timers?: Timers
}

export class Debouncer {
  private timer: unknown = null
  private firstAt: number | null = null
  private running = false
  private again = false
  private stopped = false
  private readonly timers: Timers

  constructor(
    private readonly action: () => Promise<void>,
    private readonly opts: DebounceOptions
  ) {
    this.timers = opts.timers ?? REAL_TIMERS
  }

  /** An event came: (re)start the quiet period, bounded by the max wait since the first pending event. */
  poke(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    const now = this.timers.now()
    this.firstAt ??= now
    const wait = Math.max(0, Math.min(this.opts.quietMs, this.firstAt + this.opts.maxWaitMs - now))
    if (this.timer !== null) this.timers.clearTimeout(this.timer)
    this.timer = this.timers.setTimeout(() => void this.fire(), wait)
  }

  /** True while a run is pending or in progress. */
  get busy(): boolean {
    return this.timer !== null || this.running
  }

  stop(): void {
    this.stopped = true
    if (this.timer !== null) this.timers.clearTimeout(this.timer)
    this.timer = null
  }

  private async fire(): Promise<void> {
    this.timer = null
    this.firstAt = null
    this.running = true
    try {
      // The action reports its own failures; one failing must not stop later runs.
      await this.action().catch(() => undefined)
    } finally {
      this.running = false
      if (this.again && !this.stopped) {
        this.again = false
        this.poke()
      }
    }
  }
}
