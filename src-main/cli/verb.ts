import type { CliArgs } from './args'

/** Exit codes: 0 ok, 1 operation failed, 2 bad input (invalid file, usage), 3 environment (missing program, not root). */
export const EXIT = { ok: 0, failed: 1, invalid: 2, environment: 3 } as const

export interface CliIo {
  /** A line (or lines) of output for a person or a script; made terminal-safe (cli-io.ts). */
  out(text: string): void
  err(text: string): void
  /** A document (XML) on stdout: exact into a file or pipe, terminal-safe on a terminal. */
  document(text: string): void
}

export interface Verb {
  usage: string
  summary: string
  run(args: CliArgs, io: CliIo): Promise<number>
}
