/**
 * The one reader of a helper's answer (a spawned helper's stdout, the warm service's socket): split
 * the byte stream into lines, pass step events on as they come, keep the result. Every frame is
 * checked against the helper protocol; the result's value against its verb's schema, so a caller
 * gets a typed value or an error naming the field that was wrong.
 */
import type { HelperErrorBody, HelperResult, HelperVerb, StepEvent } from '../contract/helper-protocol'
import { checkValue, resultFrameSchema, stepEventSchema } from '../contract/helper-protocol'

/** Lines longer than this are not helper frames (a result is a few kilobytes; a doctor report tens). */
const MAX_LINE = 8 * 1024 * 1024

export class EventStream<V extends HelperVerb> {
  private rest = ''
  private raw: { ok: true; value: unknown } | { ok: false; error: HelperErrorBody } | null = null
  private overflow = false

  constructor(
    private readonly verb: V,
    private readonly onEvent?: (event: StepEvent) => void
  ) {}

  push(chunk: string): void {
    const text = this.rest + chunk
    const lines = text.split('\n')
    this.rest = lines.pop() ?? ''
    if (this.rest.length > MAX_LINE) {
      this.overflow = true
      this.rest = ''
    }
    for (const line of lines) this.take(line)
  }

  /** True once the result frame arrived (the last frame). */
  get done(): boolean {
    return this.raw !== null
  }

  /** The result, once the stream ended; null when the helper never sent one. */
  end(): HelperResult<V> | null {
    if (this.rest.trim() !== '') this.take(this.rest)
    this.rest = ''
    if (this.raw === null) return null
    if (!this.raw.ok) return this.raw
    return checkValue(this.verb, this.raw.value)
  }

  /** Why the answer could not be read at all, for a result-less end. */
  get truncated(): boolean {
    return this.overflow
  }

  private take(line: string): void {
    if (line.trim() === '' || this.raw !== null) return
    let frame: unknown
    try {
      frame = JSON.parse(line)
    } catch {
      return
    }
    const type = (frame as { type?: unknown } | null)?.type
    if (type === 'result') {
      const r = resultFrameSchema.check(frame, '')
      this.raw = r.ok
        ? r.value.ok
          ? { ok: true, value: r.value.value }
          : { ok: false, error: r.value.error }
        : {
            ok: false,
            error: {
              code: 'INTERNAL',
              message: `unreadable result from the helper: ${r.issue.field}: ${r.issue.message}`
            }
          }
      return
    }
    const e = stepEventSchema.check(frame, '')
    if (e.ok) this.onEvent?.(e.value)
  }
}
