/**
 * The CLI's output: every line goes through core/text/terminal-safe.ts, so nothing from a network
 * file, a guest's hostname or a lease reaches the terminal as a control sequence (JSON output stays
 * JSON). A document (`net-dumpxml`, `xml-normalize`) is written exactly when it goes to a file or a
 * pipe, and made safe like the rest when it goes to a terminal.
 */
import { terminalSafe } from '../core/text/terminal-safe'
import type { CliIo } from './verb'

export interface Sink {
  write(text: string): void
  isTTY?: boolean
}

const line = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`)

export function createCliIo(stdout: Sink, stderr: Sink): CliIo {
  return {
    out: (text) => stdout.write(terminalSafe(line(text))),
    err: (text) => stderr.write(terminalSafe(line(text))),
    document: (text) => stdout.write(stdout.isTTY ? terminalSafe(line(text)) : line(text))
  }
}
