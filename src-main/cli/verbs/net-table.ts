/** virsh-style tables: a header row, a dashed rule, rows; every cell left-aligned, one leading space. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]): string =>
    ` ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('   ')}`.trimEnd()
  const ruleLength = widths.reduce((a, w) => a + w, 0) + 3 * (widths.length - 1) + 2
  return [line(headers), '-'.repeat(ruleLength), ...rows.map(line), ''].join('\n')
}

/** `Name:           default` lines, as virsh net-info prints them. */
export function formatFields(fields: ReadonlyArray<readonly [string, string]>): string {
  return fields.map(([k, v]) => `${`${k}:`.padEnd(16)}${v}`).join('\n')
}

/** Unix seconds → `2026-11-28 13:08:22` in local time; null → `never` (an infinite lease). */
export function formatExpiry(seconds: number | null): string {
  if (seconds === null) return 'never'
  const d = new Date(seconds * 1000)
  const p = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}
