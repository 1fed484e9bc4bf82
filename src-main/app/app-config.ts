/**
 * How this run of the app is set up, from its command line and environment: the real system
 * (pkexec for changes, or direct when root) or `--sandbox` (everything inside the namespace
 * sandbox, under a root of its own). Pure, so every combination has a test.
 */
import { join } from 'node:path'

import { SBX_HOST } from '../sandbox/sandbox-config'
import type { Elevation } from '../helper-client/launch'

export interface AppConfig {
  mode: 'system' | 'sandbox'
  elevation: Elevation
  /** `--root`: the store root (always set in sandbox mode). */
  root?: string
  /** The network namespace networks live in (sandbox: gn-sbx-host). */
  netns?: string
  /** Start hidden in the tray (`--hidden`, used by the session autostart entry). */
  hidden: boolean
}

export class ConfigError extends Error {}

export interface ConfigInput {
  argv: readonly string[]
  env: Readonly<Record<string, string | undefined>>
  uid: number
}

/** The sandbox's root: `--root`, else under the user's runtime directory, else /run. */
export function sandboxRoot(env: ConfigInput['env'], uid: number): string {
  if (env.XDG_RUNTIME_DIR?.startsWith('/')) return join(env.XDG_RUNTIME_DIR, 'guestnet-sandbox')
  return uid === 0 ? '/run/guestnet-sandbox' : `/run/user/${uid}/guestnet-sandbox`
}

export function resolveConfig(input: ConfigInput): AppConfig {
  const args = [...input.argv]
  const sandbox = args.includes('--sandbox') || input.env.GUESTNET_SANDBOX === '1'
  let root: string | undefined
  const at = args.findIndex((a) => a === '--root' || a.startsWith('--root='))
  if (at >= 0) {
    root = args[at].startsWith('--root=') ? args[at].slice('--root='.length) : args[at + 1]
    if (!root || !root.startsWith('/'))
      throw new ConfigError(`--root needs an absolute directory, e.g. --root /tmp/guestnet-root (got '${root ?? ''}')`)
  }
  const hidden = args.includes('--hidden')
  if (sandbox) {
    return {
      mode: 'sandbox',
      elevation: 'direct',
      root: root ?? sandboxRoot(input.env, input.uid),
      netns: SBX_HOST,
      hidden
    }
  }
  return { mode: 'system', elevation: input.uid === 0 ? 'direct' : 'pkexec', ...(root ? { root } : {}), hidden }
}
