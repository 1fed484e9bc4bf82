/** What every transport takes besides the request. */
import type { StepEvent } from '../contract/helper-protocol'

export interface CallOptions {
  onEvent?: (event: StepEvent) => void
  /** Polled while the request runs: true asks the helper to roll back (Ctrl-C in the CLI). */
  shouldStop?: () => boolean
}
