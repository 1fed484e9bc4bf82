/**
 * `GUESTNET_TIMING=1`: phase timings (ms since the process started) on stderr, for the benchmarks
 * and for finding where a slow start spends its time. Off, `mark` costs one property read.
 */
const marks: Array<[string, number]> = []
const enabled = process.env.GUESTNET_TIMING === '1'

export function mark(label: string): void {
  if (enabled) marks.push([label, performance.now()])
}

export function printMarks(write: (line: string) => void = (l) => process.stderr.write(l)): void {
  if (!enabled || marks.length === 0) return
  write(`timing (ms since process start): ${marks.map(([l, t]) => `${l}=${t.toFixed(1)}`).join(' ')}\n`)
  marks.length = 0
}
