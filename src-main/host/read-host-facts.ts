/**
 * Reads the live host's addresses and routes with `ip -j` (read-only). One `ip -j -batch -` process
 * prints all three (addresses, IPv4 routes, IPv6 routes: one JSON array per line); if that fails
 * (an old iproute2, IPv6 switched off) the three commands run one by one. Each command is an argv
 * array run with execFile, never through a shell.
 */
import { execFile } from 'node:child_process'
import { netnsNameProblem } from '../core/net/netns-name'

import type { RawHostFacts } from '../core/model/host-facts'

/** Runs a program (with `input` on its stdin when given) and resolves to its stdout. */
export type ExecFileFn = (file: string, args: readonly string[], input?: string) => Promise<string>

export interface ReadHostFactsOptions {
  /** Read inside this network namespace (`ip -n NAME …`) instead of our own. */
  netns?: string
  /** Runs a program and resolves to its stdout; injectable for tests. */
  exec?: ExecFileFn
}

/** Raised when the facts cannot be read: `ip` missing, failing, or printing something that is not JSON. */
export class HostFactsReadError extends Error {}

const COMMANDS: Record<keyof RawHostFacts, string[]> = {
  addr: ['-j', 'addr'],
  route4: ['-j', '-4', 'route', 'show', 'table', 'all'],
  route6: ['-j', '-6', 'route', 'show', 'table', 'all']
}

/**
 * The same three reads as one batch. `root 0.0.0.0/0` and `root ::/0` select every route of one family
 * in every table (batch lines take no `-4`/`-6`).
 */
export const FACTS_BATCH = [
  'addr show',
  'route show table all root 0.0.0.0/0',
  'route show table all root ::/0'
] as const
const BATCH_INPUT = `${FACTS_BATCH.join('\n')}\n`

const runExecFile: ExecFileFn = (file, args, input) =>
  new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: 20_000,
        env: { LC_ALL: 'C', PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' }
      },
      (error, stdout, stderr) => {
        if (error) reject(Object.assign(error, { stderr }))
        else resolve(stdout)
      }
    )
    // ip may exit before reading (a namespace that does not exist): its exit code tells, not EPIPE.
    child.stdin?.on('error', () => undefined)
    if (input !== undefined) child.stdin?.end(input)
  })

/** Pure: the three JSON arrays of the batch's output, or null when it is not exactly that. */
export function parseBatchOutput(stdout: string): RawHostFacts | null {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '')
  if (lines.length !== 3) return null
  try {
    const [addr, route4, route6] = lines.map((l) => JSON.parse(l) as unknown)
    return Array.isArray(addr) && Array.isArray(route4) && Array.isArray(route6) ? { addr, route4, route6 } : null
  } catch {
    return null
  }
}

export async function readLiveHostFacts(opts: ReadHostFactsOptions = {}): Promise<RawHostFacts> {
  const exec = opts.exec ?? runExecFile
  const problem = opts.netns === undefined ? null : netnsNameProblem(opts.netns)
  if (problem !== null) throw new HostFactsReadError(problem)
  const prefix = opts.netns !== undefined ? ['-n', opts.netns] : []
  try {
    const batch = parseBatchOutput(await exec('ip', [...prefix, '-j', '-batch', '-'], BATCH_INPUT))
    if (batch) return batch
  } catch {
    // read them one by one below, which names the failing command
  }
  const read = async (key: keyof RawHostFacts): Promise<unknown> => {
    const args = [...prefix, ...COMMANDS[key]]
    const shown = `ip ${args.join(' ')}`
    let stdout: string
    try {
      stdout = await exec('ip', args)
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string }
      if (err.code === 'ENOENT')
        throw new HostFactsReadError(`cannot run '${shown}': the 'ip' program (iproute2) is not installed`)
      const detail = (err.stderr ?? '').trim() || err.message
      throw new HostFactsReadError(`'${shown}' failed: ${detail}`)
    }
    // With a family switched off (ipv6.disable=1) ip prints nothing at all: no routes.
    if (stdout.trim() === '') return []
    try {
      return JSON.parse(stdout)
    } catch (e) {
      throw new HostFactsReadError(`'${shown}' printed something that is not JSON (${(e as Error).message})`)
    }
  }
  const [addr, route4, route6] = await Promise.all([read('addr'), read('route4'), read('route6')])
  return { addr, route4, route6 }
}
