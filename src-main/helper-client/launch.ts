/**
 * How a caller starts the helper as its own process: through pkexec (the desktop app as a normal
 * user: an argv array, never a shell string), directly (already root, or sandboxed, or reading only),
 * or inside a test namespace with `ip netns exec`. Pure.
 */
export const PKEXEC = '/usr/bin/pkexec'
/** Where the package installs the helper; the polkit action's exec.path names the same file. */
export const INSTALLED_HELPER = '/usr/lib/guestnet/guestnet-helper'
/** The helper for reading only (polkit action org.guestnet.helper.inspect: no password in an active session). */
export const INSTALLED_INSPECTOR = '/usr/lib/guestnet/guestnet-inspect'
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
  /** The installed read-only helper, when it exists. */
  installedInspector?: string | null
  /** node, or Electron's binary (then ELECTRON_RUN_AS_NODE=1 makes it behave as node). */
  execPath: string
  isElectron: boolean
  /** Extra environment for a directly spawned helper (e.g. the test fault switch). */
  extraEnv?: Record<string, string>
  /**
   * A test namespace: a direct helper is started inside it with `ip netns exec`, so it never has to
   * re-execute itself (which, under Electron, would lose ELECTRON_RUN_AS_NODE).
   */
  netns?: string
}

export interface Launch {
  argv: string[]
  env: Record<string, string>
  via: Elevation
}

const SAFE_PATH = '/usr/sbin:/usr/bin:/sbin:/bin'

/**
 * The argv and environment that start the helper, with or without privileges. A privileged read
 * (`readOnly`) goes through the read-only helper's own polkit action when it is installed.
 */
export function helperLaunch(cfg: LaunchConfig, privileged: boolean, readOnly = false): Launch {
  const nodeEnv: Record<string, string> = cfg.isElectron ? { ELECTRON_RUN_AS_NODE: '1' } : {}
  const direct = cfg.installedHelper ? [cfg.installedHelper] : [cfg.execPath, cfg.helperScript]
  if (!privileged || cfg.elevation === 'direct') {
    const argv = cfg.netns !== undefined ? ['ip', 'netns', 'exec', cfg.netns, ...direct] : direct
    return { argv, env: { PATH: SAFE_PATH, LANG: 'C', ...nodeEnv, ...(cfg.extraEnv ?? {}) }, via: 'direct' }
  }
  if (readOnly && cfg.installedInspector) {
    return {
      argv: [PKEXEC, '--disable-internal-agent', cfg.installedInspector],
      env: { PATH: SAFE_PATH, LANG: 'C' },
      via: 'pkexec'
    }
  }
  // pkexec clears the environment, so a development build passes ELECTRON_RUN_AS_NODE through env(1).
  const target = cfg.installedHelper
    ? [cfg.installedHelper]
    : cfg.isElectron
      ? ['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', cfg.execPath, cfg.helperScript]
      : [cfg.execPath, cfg.helperScript]
  return { argv: [PKEXEC, '--disable-internal-agent', ...target], env: { PATH: SAFE_PATH, LANG: 'C' }, via: 'pkexec' }
}
