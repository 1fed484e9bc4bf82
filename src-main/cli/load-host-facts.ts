/** Host facts for a CLI verb: `--host-facts FILE` (recorded JSON), else the live host (`ip -j`). */
import { readFile } from 'node:fs/promises'

import { parseHostFacts } from '../core/host/parse-host-facts'
import type { HostFacts, RawHostFacts } from '../core/model/host-facts'
import type { ReadHostFactsOptions } from '../host/read-host-facts'
import { HostFactsReadError, readLiveHostFacts } from '../host/read-host-facts'
import type { CliArgs } from './args'

/** A problem with the facts: `input` is a bad `--host-facts` file (exit 2), `environment` a failed live read (exit 3). */
export class HostFactsError extends Error {
  constructor(
    message: string,
    readonly kind: 'input' | 'environment'
  ) {
    super(message)
  }
}

export async function loadHostFacts(args: CliArgs, live: ReadHostFactsOptions = {}): Promise<HostFacts> {
  const file = args.options.get('host-facts')
  if (file !== undefined) return parseHostFactsFile(file)
  let raw: RawHostFacts
  try {
    raw = await readLiveHostFacts({ netns: args.options.get('netns'), ...live })
  } catch (e) {
    if (e instanceof HostFactsReadError) throw new HostFactsError(e.message, 'environment')
    throw e
  }
  try {
    return parseHostFacts(raw, "the host's 'ip -j' output")
  } catch (e) {
    throw new HostFactsError((e as Error).message, 'environment')
  }
}

async function parseHostFactsFile(file: string): Promise<HostFacts> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message
    throw new HostFactsError(`--host-facts ${file}: cannot read it (${why})`, 'input')
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    throw new HostFactsError(
      `--host-facts ${file}: not valid JSON (${(e as Error).message}); expected {"addr": [...], "route4": [...], "route6": [...]} as recorded from 'ip -j'`,
      'input'
    )
  }
  try {
    return parseHostFacts(raw as RawHostFacts, `--host-facts ${file}`)
  } catch (e) {
    throw new HostFactsError((e as Error).message, 'input')
  }
}
