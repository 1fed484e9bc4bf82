/** One thing wrong with an input, named by the field it concerns, with how to fix it. */
export interface Problem {
  /** Dotted path of the field, e.g. `ip[0].dhcp.range[1].start`, `bridge.name`, `name`. */
  field: string
  message: string
  /** What the user can do about it. */
  fix?: string
  /** 1-based line in the source XML, where known. */
  line?: number
}

/** `field (line N): message — fix`: for messages that already say which file. */
export function formatProblem(p: Problem): string {
  const where = p.line !== undefined ? ` (line ${p.line})` : ''
  const fix = p.fix ? ` — ${p.fix}` : ''
  return `${p.field}${where}: ${p.message}${fix}`
}

/** `FILE:LINE: field: message — fix`, like a compiler, so editors can jump to the line. */
export function formatFileProblem(file: string, p: Problem): string {
  const where = p.line !== undefined ? `${file}:${p.line}` : file
  return `${where}: ${p.field}: ${p.message}${p.fix ? ` — ${p.fix}` : ''}`
}

/** Where a list of problems was cut short: the one last entry, "and N more". */
export function moreProblems(field: string, count: number): Problem {
  return {
    field,
    message: `and ${count} more problem${count === 1 ? '' : 's'}`,
    fix: 'fix the problems above and check again'
  }
}
