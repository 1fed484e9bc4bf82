/**
 * Runs the privileged helper directly inside the host namespace (`ip netns exec HOST node helper.js`,
 * so it acts there without re-executing itself): one JSON request in, its events out. Used where the
 * test must hold the helper's own PID (kill -9 at a chosen event) or must be quick (100 cycles).
 */
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

import { waitFor } from '../../../src-main/sandbox/wait'

import type { World } from './world'
import { trackChild } from './cleanup'
import { REPO } from './requirements'

export const HELPER_JS = join(REPO, 'out', 'main', 'helper.js')

export interface HelperEventLine {
  type: string
  step?: string
  ok?: boolean
  error?: { code?: string; message?: string }
  [key: string]: unknown
}

export interface HelperOutcome {
  code: number | null
  signal: NodeJS.Signals | null
  events: HelperEventLine[]
  /** True when `killOn` matched and the helper was sent SIGKILL. */
  killed: boolean
  stderr: string
  ms: number
}

export interface HelperCall {
  verb: string
  name?: string
  /** SIGKILL the helper as soon as an event matches. */
  killOn?: (event: HelperEventLine, index: number) => boolean
  /** Extra environment (e.g. GUESTNET_HELPER_FAULT). */
  env?: Record<string, string>
  /** Send this text instead of the JSON request (hostile-input tests). */
  raw?: string
}

export function runHelper(world: World, call: HelperCall): Promise<HelperOutcome> {
  const request = {
    verb: call.verb,
    args: { root: world.root, netns: world.host, ...(call.name ? { name: call.name } : {}) }
  }
  const env = { ...process.env, ...call.env }
  delete env.NODE_EXTRA_CA_CERTS
  const started = performance.now()
  const child = trackChild(
    world.x.spawn(['ip', 'netns', 'exec', world.host, process.execPath, HELPER_JS], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env
    })
  )
  const events: HelperEventLine[] = []
  let killed = false
  let buffer = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8')
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => (stderr += chunk))
  child.stdout?.on('data', (chunk: string) => {
    buffer += chunk
    let nl: number
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim()
      buffer = buffer.slice(nl + 1)
      if (!line) continue
      const event = JSON.parse(line) as HelperEventLine
      events.push(event)
      if (!killed && call.killOn?.(event, events.length - 1) && child.pid) {
        killed = true
        process.kill(child.pid, 'SIGKILL')
      }
    }
  })
  child.stdin?.end(call.raw ?? `${JSON.stringify(request)}\n`)
  return new Promise((resolve) => {
    child.once('close', (code, signal) =>
      resolve({ code, signal, events, killed, stderr, ms: performance.now() - started })
    )
  })
}

/** The final `result` event, if the helper got that far. */
export function resultOf(outcome: HelperOutcome): HelperEventLine | undefined {
  return outcome.events.find((e) => e.type === 'result')
}

/** The warm helper service for the world's store, never idling out (`--idle-timeout 0`). */
export function serviceArgv(world: World): string[] {
  return [process.execPath, HELPER_JS, '--serve', '--root', world.root, '--idle-timeout', '0']
}

/** Starts the warm service in the world's host namespace, its stderr to `onLog`, and waits for its socket. */
export async function startService(world: World, onLog: (text: string) => void): Promise<ChildProcess> {
  const socket = join(world.root, 'run', 'guestnet', '.helper.sock')
  const service = world.spawn(['ip', 'netns', 'exec', world.host, ...serviceArgv(world)])
  service.stderr?.setEncoding('utf8').on('data', onLog)
  await waitFor(async () => existsSync(socket), { timeoutMs: 10_000, what: 'the service socket' })
  return service
}
