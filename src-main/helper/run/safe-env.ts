/**
 * The environment every program the helper runs gets: a fixed allow-list, nothing from the caller
 * (no LD_PRELOAD, no NODE_OPTIONS, no locale that changes the tools' messages).
 */
export const SAFE_ENV: Readonly<Record<string, string>> = Object.freeze({
  PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C',
  LC_ALL: 'C'
})

/** Variables the helper itself may keep from its caller (everything else is dropped at start). */
// ELECTRON_RUN_AS_NODE: the desktop app runs the helper with Electron's binary as node; a netns re-exec needs it too.
export const KEPT_ENV = [
  'GUESTNET_HELPER_NETNS_CHILD',
  'GUESTNET_HELPER_FAULT',
  'GUESTNET_TIMING',
  'ELECTRON_RUN_AS_NODE'
] as const

/** The kept variables that are set, to pass on when the helper re-executes itself. */
export function keptEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of KEPT_ENV) {
    const value = env[key]
    if (value !== undefined) out[key] = value
  }
  return out
}

/** The environment for a child process: SAFE_ENV plus the kept variables that are set. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...SAFE_ENV, ...extra }
}
