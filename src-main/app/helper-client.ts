/**
 * Runs the privileged helper: one JSON request on its stdin, newline-delimited JSON events on its
 * stdout (see src-main/helper/protocol.ts). Elevation is `pkexec` with an argv array, never a shell
 * string; when the app already runs as root, or in sandbox mode, the helper is spawned directly.
 * No electron import: the GUI test harness runs the same code.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process'
import { spawn as nodeSpawn } from 'node:child_process'

import type { HelperErrorBody, HelperEvent, HelperRequest, StepEvent } from '../helper/protocol'

export const PKEXEC = '/usr/bin/pkexec'
/** Where the package installs the helper; the polkit action's exec.path names the same file. */
export const INSTALLED_HELPER = '/usr/lib/guestnet/guestnet-helper'
/** pkexec's own exit codes: the dialog was dismissed; not authorised (or no agent, or an error). */
export const PKEXEC_DISMISSED = 126
export const PKEXEC_NOT_AUTHORISED = 127

export type Elevation = 'pkexec' | 'direct'

export interface LaunchConfig {
  elevation: Elevation
  /** The helper bundle (`out/main/helper.js`), run with `execPath` when not installed. */
  helperScript: string
  /** The installed helper, when it exists (pkexec's policy only matches this path). */
  installedHelper: string | null
  /** node, or Electron's binary (then ELECTRON_RUN_AS_NODE=1 makes it behave as node). */
  execPath: string
  isElectron: boolean
  /** Extra environment for a directly spawned helper (e.g. the test fault switch). */
  extraEnv?: Record<string, string>
  /**
   * The sandbox's namespace: a direct helper is started inside it with `ip netns exec`, so it never
   * has to re-execute itself (which, under Electron, would lose ELECTRON_RUN_AS_NODE).
   */
  netns?: string
}

export interface Launch {
  argv: string[]
  env: Record<string, string>
  via: Elevation
}

const SAFE_PATH = '/usr/sbin:/usr/bin:/sbin:/bin'

/** The argv and environment that start the helper, with or without privileges. */
export function helperLaunch(cfg: LaunchConfig, privileged: boolean): Launch {
  const nodeEnv: Record<string, string> = cfg.isElectron ? { ELECTRON_RUN_AS_NODE: '1' } : {}
  const direct = cfg.installedHelper ? [cfg.installedHelper] : [cfg.execPath, cfg.helperScript]
  if (!privileged || cfg.elevation === 'direct') {
    const argv = cfg.netns !== undefined ? ['ip', 'netns', 'exec', cfg.netns, ...direct] : direct
    return { argv, env: { PATH: SAFE_PATH, LANG: 'C', ...nodeEnv, ...(cfg.extraEnv ?? {}) }, via: 'direct' }
  }
  // pkexec clears the environment, so a development build passes ELECTRON_RUN_AS_NODE through env(1).
  const target = cfg.installedHelper
    ? [cfg.installedHelper]
    : cfg.isElectron
      ? ['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', cfg.execPath, cfg.helperScript]
      : [cfg.execPath, cfg.helperScript]
  return { argv: [PKEXEC, '--disable-internal-agent', ...target], env: { PATH: SAFE_PATH, LANG: 'C' }, via: 'pkexec' }
}

/** Errors that come from starting the helper rather than from the helper itself. */
export type LaunchErrorCode = 'CANCELLED' | 'NOT_AUTHORISED' | 'HELPER_FAILED'
export type HelperFailure = HelperErrorBody | { code: LaunchErrorCode; message: string; fix?: string }
export type HelperOutcome = { ok: true; value: unknown } | { ok: false; error: HelperFailure }

export interface RunOptions {
  /** Needs root: goes through pkexec unless the app is root or sandboxed. */
  privileged: boolean
  onEvent?: (e: StepEvent) => void
}

export type RunHelper = (req: HelperRequest, opts: RunOptions) => Promise<HelperOutcome>

export type SpawnFn = (file: string, args: readonly string[], opts: SpawnOptions) => ChildProcess

/** Splits a byte stream into lines, keeping an unfinished last line for the next chunk. */
export class LineSplitter {
  private rest = ''

  push(chunk: string): string[] {
    const text = this.rest + chunk
    const lines = text.split('\n')
    this.rest = lines.pop() ?? ''
    return lines.filter((l) => l.trim() !== '')
  }

  end(): string[] {
    const last = this.rest.trim()
    this.rest = ''
    return last ? [last] : []
  }
}

function parseEvent(line: string): HelperEvent | null {
  try {
    const v = JSON.parse(line) as { type?: unknown }
    return typeof v === 'object' && v !== null && typeof v.type === 'string' ? (v as HelperEvent) : null
  } catch {
    return null
  }
}

/** What a helper that ended without a result means, from its exit code. */
export function outcomeWithoutResult(via: Elevation, code: number | null, stderr: string): HelperOutcome {
  if (via === 'pkexec' && code === PKEXEC_DISMISSED) {
    return {
      ok: false,
      error: { code: 'CANCELLED', message: 'the password prompt was dismissed: nothing was changed' }
    }
  }
  if (via === 'pkexec' && code === PKEXEC_NOT_AUTHORISED) {
    return {
      ok: false,
      error: {
        code: 'NOT_AUTHORISED',
        message: 'not authorised to change the network configuration',
        fix: 'polkit refused, or no authentication agent runs in this session (GNOME and KDE start one; other desktops need e.g. lxpolkit)'
      }
    }
  }
  const detail = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500)
  return {
    ok: false,
    error: {
      code: 'HELPER_FAILED',
      message: `the helper ended (exit ${code ?? 'by signal'}) without an answer${detail ? `: ${detail}` : ''}`
    }
  }
}

export function createHelperRunner(cfg: LaunchConfig, spawn: SpawnFn = nodeSpawn): RunHelper {
  return (req, opts) =>
    new Promise((resolve) => {
      const launch = helperLaunch(cfg, opts.privileged)
      const child = spawn(launch.argv[0], launch.argv.slice(1), {
        shell: false,
        cwd: '/',
        env: launch.env,
        stdio: ['pipe', 'pipe', 'pipe']
      })
      const lines = new LineSplitter()
      let result: HelperOutcome | null = null
      let stderr = ''
      const onLine = (line: string): void => {
        const e = parseEvent(line)
        if (!e) return
        if (e.type === 'result') result = e.ok ? { ok: true, value: e.value } : { ok: false, error: e.error }
        else opts.onEvent?.(e)
      }
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => lines.push(chunk).forEach(onLine))
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-4000)
      })
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(`${JSON.stringify(req)}\n`)
      child.once('error', (err) => {
        resolve({
          ok: false,
          error: { code: 'HELPER_FAILED', message: `cannot run ${launch.argv[0]}: ${err.message}` }
        })
      })
      child.once('close', (code) => {
        lines.end().forEach(onLine)
        resolve(result ?? outcomeWithoutResult(launch.via, code, stderr))
      })
    })
}
