/** Polls a condition until it holds or a bounded time has passed. */

export interface WaitOptions {
  timeoutMs: number
  intervalMs?: number
  /** Named in the timeout error: "timed out after 5.0 s waiting for <what>". */
  what: string
}

/** Resolves with the first truthy value `probe` returns; rejects when `timeoutMs` has passed. */
export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, opts: WaitOptions): Promise<T> {
  const deadline = performance.now() + opts.timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value) return value
    } catch (error) {
      lastError = error
    }
    if (performance.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : ''
      throw new Error(`timed out after ${(opts.timeoutMs / 1000).toFixed(1)} s waiting for ${opts.what}${why}`)
    }
    await sleep(opts.intervalMs ?? 50)
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
