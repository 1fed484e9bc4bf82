/** The doctor's report as text for a terminal (the CLI's default output). Pure. */
import type { HelperValue } from '../contract/helper-protocol'

type DoctorReport = HelperValue<'doctor'>

const LABEL = { error: 'ERROR', warning: 'WARNING', info: 'note' } as const

/** Quotes an argument for a POSIX shell only when it needs it (commands are shown, never run through a shell). */
export function shellWord(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}

/** A command as shown to a person: the helper's sysctl built-ins as the sysctl(8) call they amount to. */
export function commandText(argv: readonly string[]): string {
  if (argv[0] === '@sysctl' && argv.length === 3) return `sysctl -w ${argv[1]}=${argv[2]}`
  if (argv[0] === '@sysctl-restore' && argv.length === 2)
    return `sysctl ${argv[1]}: its value before, unless a guestnet network still needs it or it was changed since`
  return argv.map(shellWord).join(' ')
}

export function wrap(text: string, indent: string, width = 100): string[] {
  const out: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      out.push(indent + line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) out.push(indent + line)
  return out
}

function headline(r: DoctorReport): string {
  const n = (sev: string): number => r.findings.filter((f) => f.severity === sev).length
  const parts = [
    n('error') && `${n('error')} error${n('error') > 1 ? 's' : ''}`,
    n('warning') && `${n('warning')} warning${n('warning') > 1 ? 's' : ''}`,
    n('info') && `${n('info')} note${n('info') > 1 ? 's' : ''}`
  ].filter(Boolean)
  const where = r.netns ? ` (network namespace ${r.netns})` : ''
  return `guestnet doctor${where}: ${parts.length ? parts.join(', ') : 'no problems found'}`
}

export function formatDoctorText(r: DoctorReport, cmd = 'guestnet doctor'): string {
  const lines: string[] = []
  for (const a of r.actions) {
    lines.push(`${a.ok ? '' : 'FAILED: '}${a.message}`)
    for (const e of a.errors) lines.push(`  ${e}`)
  }
  if (r.actions.length) lines.push('')
  lines.push(headline(r))
  for (const f of r.findings) {
    lines.push('', `${LABEL[f.severity]}  ${f.id}`, `  ${f.title}`, ...wrap(f.explanation, '  '))
    if (f.evidence.length) lines.push('  evidence:', ...f.evidence.map((e) => `    - ${e}`))
    if (f.fix) {
      lines.push(
        `  fix (${cmd} --fix ${f.id}): ${f.fix.summary}`,
        ...f.fix.commands.map((c) => `    $ ${commandText(c)}`)
      )
    }
    if (f.advice) lines.push(...wrap(`what to do: ${f.advice}`, '  '))
  }
  if (r.applied.length) {
    lines.push('', `fixes applied by the doctor (undo: ${cmd} --undo ID|all):`)
    for (const a of r.applied) lines.push(`  ${a.id}  (${a.appliedAt})  ${a.title}`)
  }
  lines.push('', 'checks:')
  const w = Math.max(...r.checks.map((c) => c.check.length))
  for (const c of r.checks)
    lines.push(`  ${c.status.padEnd(8)} ${c.check.padEnd(w)}  ${c.title}${c.note ? ` (${c.note})` : ''}`)
  if (!r.complete) lines.push('', 'not looked at:', ...r.unavailable.map((u) => `  - ${u}`))
  return lines.join('\n')
}
