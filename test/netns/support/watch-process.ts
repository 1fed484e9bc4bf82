/** `guestnet watch --json` running against a test world's host namespace, its lines collected. */
import { spawn } from 'node:child_process'

import { waitFor } from '../../../src-main/sandbox/wait'
import type { WatchLine } from '../../../src-main/cli/verbs/watch'
import { isOurs, trackChild } from './cleanup'
import { GUESTNET_BIN } from './requirements'

export interface WatchProcess {
  lines: WatchLine[]
  stderr(): string
  /** The first line after index `from` that passes `test`. */
  waitForLine<T extends WatchLine>(test: (l: WatchLine) => l is T, from?: number, timeoutMs?: number): Promise<T>
  stop(): void
}

export async function startWatch(
  root: string,
  netns: string,
  extraArgs: readonly string[] = []
): Promise<WatchProcess> {
  if (!isOurs(netns)) throw new Error(`refusing to watch outside our namespaces (--netns ${netns})`)
  const env = { ...process.env }
  delete env.NODE_EXTRA_CA_CERTS
  const child = trackChild(
    spawn(process.execPath, [GUESTNET_BIN, '--root', root, '--netns', netns, 'watch', '--json', ...extraArgs], {
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
  )
  const lines: WatchLine[] = []
  let rest = ''
  let err = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n')
    rest = parts.pop() ?? ''
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as WatchLine)
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  const w: WatchProcess = {
    lines,
    stderr: () => err,
    waitForLine: (test, from = 0, timeoutMs = 15_000) =>
      waitFor(async () => lines.slice(from).find(test) ?? null, {
        timeoutMs,
        what: `a matching 'guestnet watch' line (got ${JSON.stringify(lines.slice(from))}; stderr ${err})`
      }),
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM')
    }
  }
  await w.waitForLine((l): l is Extract<WatchLine, { type: 'ready' }> => l.type === 'ready', 0, 20_000)
  return w
}
