/**
 * Runs the systemd-resolved registration decided by resolved-decide.ts, after a network started or
 * was renumbered. Best effort: a failure is reported, never fails the start (the network works;
 * only the host's own name lookups of guests do not).
 */
import { existsSync } from 'node:fs'

import type { NetworkDef } from '../../core/model/network'
import { messageOf } from '../apply-plan'
import { execProgram } from '../run/exec-program'
import { resolveProgram } from '../run/programs'
import { readTextNoFollow } from '../../store/safe-fs'
import type { ResolvedDecision, ResolvedEnv } from './resolved-decide'
import { decideResolved, resolvedSetting } from './resolved-decide'

export interface ResolvedOutcome {
  registered: boolean
  /** What happened, or why not. */
  message: string
  /** Worth showing: the network has a domain, so the user may expect the host to resolve it. */
  notable: boolean
}

export interface ResolvedIo {
  findResolvectl(): string | null
  resolvedRunning(): boolean
  readHostJson(): string | null
  run(argv: string[]): Promise<void>
}

export function realResolvedIo(hostConfigFile: string): ResolvedIo {
  return {
    findResolvectl: () => {
      try {
        return resolveProgram('resolvectl')
      } catch {
        return null
      }
    },
    resolvedRunning: () => existsSync('/run/systemd/resolve'),
    readHostJson: () => readTextNoFollow(hostConfigFile),
    run: async (argv) => void (await execProgram(argv, { timeoutMs: 5000 }))
  }
}

export function resolvedEnv(io: ResolvedIo, netns: string | null): ResolvedEnv {
  // Inside a namespace nothing is looked up: the answer is "skip" whatever is installed.
  if (netns !== null) return { resolvectl: null, running: false, netns, setting: 'auto' }
  return {
    resolvectl: io.findResolvectl(),
    running: io.resolvedRunning(),
    netns,
    setting: resolvedSetting(io.readHostJson())
  }
}

export async function registerResolved(
  def: NetworkDef,
  io: ResolvedIo,
  netns: string | null
): Promise<ResolvedOutcome> {
  const d: ResolvedDecision = decideResolved(def, resolvedEnv(io, netns))
  if (d.action === 'skip') return { registered: false, message: d.reason, notable: d.notable }
  try {
    for (const argv of d.commands) await io.run(argv)
    return { registered: true, message: d.message, notable: true }
  } catch (e) {
    return {
      registered: false,
      message: `could not register ${d.domain} with systemd-resolved: ${messageOf(e)}`,
      notable: true
    }
  }
}
