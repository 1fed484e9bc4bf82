/** Timing helpers and the table every benchmark prints. */

export interface Row {
  what: string
  value: string
  target?: string
  verdict?: string
  /** A reference figure (e.g. libvirt's), shown in its own column when any row has one. */
  compare?: string
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/** Runs `fn` `rounds` times after `warmup` runs; returns the per-round times in milliseconds. */
export function timeRounds(fn: () => void, rounds: number, warmup = 3): number[] {
  for (let i = 0; i < warmup; i++) fn()
  const times: number[] = []
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint()
    fn()
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  return times
}

export function printTable(title: string, rows: Row[], opts: { compareHeader?: string } = {}): void {
  const withCompare = rows.some((r) => r.compare !== undefined)
  const headers = ['what', 'measured', 'target', '', ...(withCompare ? [opts.compareHeader ?? 'compare'] : [])]
  const cells = rows.map((r) => [
    r.what,
    r.value,
    r.target ?? '',
    r.verdict ?? '',
    ...(withCompare ? [r.compare ?? ''] : [])
  ])
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)))
  const line = (c: string[]): string => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`
  console.log(`\n${title}\n`)
  console.log(line(headers))
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const c of cells) console.log(line(c))
}
