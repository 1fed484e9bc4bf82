/** What the Doctor page shows, worked out from the report: words, counts, commands as text. Pure. */
import type { ChannelOutput } from '../../../../src-main/contract/ipc-contract'

export type DoctorReport = ChannelOutput<'doctor:run'>
export type DoctorFinding = DoctorReport['findings'][number]

export const SEVERITY_LABEL: Record<DoctorFinding['severity'], string> = {
  error: 'Problem',
  warning: 'Warning',
  info: 'Note'
}
export const STATUS_LABEL: Record<DoctorReport['checks'][number]['status'], string> = {
  ok: 'OK',
  problem: 'Problem',
  skipped: 'Not checked'
}

function shellWord(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}

/** One command as a person would type it; the helper's sysctl built-ins as the sysctl they amount to. */
export function commandText(argv: readonly string[]): string {
  if (argv[0] === '@doctor-sysctl' && argv.length === 3) return `sysctl -w ${argv[1]}=${argv[2]}`
  if (argv[0] === '@doctor-sysctl-restore' && argv.length === 4)
    return `sysctl -w ${argv[1]}=${argv[2]}   # only if it is still ${argv[3]}`
  return argv.map(shellWord).join(' ')
}

export function summaryText(r: DoctorReport): string {
  const problems = r.findings.filter((f) => f.severity !== 'info').length
  const notes = r.findings.length - problems
  if (problems === 0)
    return notes === 0 ? 'No problems found.' : `No problems found (${notes} note${notes > 1 ? 's' : ''}).`
  return `${problems} problem${problems > 1 ? 's' : ''} found${notes ? `, ${notes} note${notes > 1 ? 's' : ''}` : ''}.`
}

/** The DOM id of a finding's title (finding ids hold `/` and `.`). */
export function findingDomId(id: string): string {
  return `finding-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`
}
