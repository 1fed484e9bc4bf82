/** Test scaffolding for CLI verbs: a scratch directory for input files and an in-memory CliIo. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { parseCliArgs } from '../../src-main/cli/args'
import { createCliIo } from '../../src-main/cli/cli-io'
import type { CliIo, Verb } from '../../src-main/cli/verb'

export interface VerbRun {
  code: number
  out: string
  err: string
}

export interface VerbKit {
  /** A path in the scratch directory (the file need not exist). */
  path(name: string): string
  /** Writes `text` to a file in the scratch directory and returns its path. */
  file(name: string, text: string): string
  run(...argv: string[]): Promise<VerbRun>
  cleanup(): void
}

/** Output goes through the CLI's own io (cli-io.ts); `tty: false` as if stdout were a file. */
export function verbKit(name: string, verb: Verb, opts: { tty?: boolean } = {}): VerbKit {
  const dir = mkdtempSync(join(tmpdir(), `guestnet-${name}-`))
  return {
    path: (fileName) => join(dir, fileName),
    file(fileName, text) {
      const path = join(dir, fileName)
      writeFileSync(path, text)
      return path
    },
    async run(...argv) {
      let out = ''
      let err = ''
      const io: CliIo = createCliIo(
        { write: (t) => (out += t), isTTY: opts.tty ?? true },
        { write: (t) => (err += t), isTTY: opts.tty ?? true }
      )
      const code = await verb.run(parseCliArgs([name, ...argv]), io)
      return { code, out, err }
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true })
  }
}
