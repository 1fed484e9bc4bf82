/** Reading a helper's NDJSON output (one-shot helper's stdout, or the service's socket). */
import type { HelperEvent } from './protocol'
import type { RunResult } from './run-request'

/** Pure: the events of a helper's stdout, and its result (null if it never sent one). */
export function parseEventLines(text: string): { events: HelperEvent[]; result: RunResult | null } {
  const events: HelperEvent[] = []
  let result: RunResult | null = null
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    let e: HelperEvent
    try {
      e = JSON.parse(line) as HelperEvent
    } catch {
      continue
    }
    if (e.type === 'result') result = e.ok ? { ok: true, value: e.value } : { ok: false, error: e.error }
    else events.push(e)
  }
  return { events, result }
}
