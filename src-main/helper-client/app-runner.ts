/**
 * The desktop app's way to the helper: every request as a helper process of its own, through pkexec
 * when it changes the system (one password prompt per user action: each action is one request,
 * the `apply` verb for define/start/stop/delete), directly when it only reads or the app is root or
 * sandboxed. No electron import: the GUI test harness runs the same code.
 */
import type { HelperVerb, RequestOf, StepEvent } from '../contract/helper-protocol'
import type { ClientResult } from './client-result'
import type { LaunchConfig } from './launch'
import { helperLaunch } from './launch'
import type { SpawnFn } from './spawn-helper'
import { spawnHelper } from './spawn-helper'

export interface RunOptions {
  /** Needs root: goes through pkexec unless the app is root or sandboxed. */
  privileged: boolean
  /** Reads only: as root, through the read-only helper's polkit action (no password in an active session). */
  readOnly?: boolean
  onEvent?: (e: StepEvent) => void
}

export type RunHelper = <V extends HelperVerb>(req: RequestOf<V>, opts: RunOptions) => Promise<ClientResult<V>>

export function createHelperRunner(cfg: LaunchConfig, spawn?: SpawnFn): RunHelper {
  return (req, opts) =>
    spawnHelper(helperLaunch(cfg, opts.privileged, opts.readOnly === true), req, {
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
      ...(spawn ? { spawn } : {})
    })
}
