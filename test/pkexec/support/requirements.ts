/** Why the pkexec suite cannot run here, or null: root, the programs, a built helper, no guestnet installed. */
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'

import { PKEXEC } from './app-launch'
import { findProgram, harnessSkipReason } from '../../netns/support/requirements'
import { existingInstall } from './install'
import { BUILT_MAIN } from './paths'
import { sweepDeadRuns } from './sweep'
import { POLKITD } from './system-bus'

/** Program → Debian package (scripts/setup-debian.sh installs them). */
const PROGRAMS: Record<string, string> = {
  pkaction: 'polkitd',
  pkcheck: 'polkitd',
  'dbus-daemon': 'dbus',
  'dbus-send': 'dbus',
  nsenter: 'util-linux',
  unshare: 'util-linux',
  setpriv: 'util-linux',
  findmnt: 'util-linux',
  timeout: 'coreutils',
  useradd: 'passwd',
  userdel: 'passwd'
}

function setuidRoot(path: string): boolean {
  const st = statSync(path)
  return st.uid === 0 && (st.mode & 0o4000) !== 0
}

export function pkexecSkipReason(): string | null {
  const base = harnessSkipReason()
  if (base) return base
  if (!existsSync(PKEXEC)) return `${PKEXEC} is missing (apt-get install pkexec)`
  if (!setuidRoot(PKEXEC)) return `${PKEXEC} is not setuid root`
  if (!existsSync(POLKITD)) return `${POLKITD} is missing (apt-get install polkitd)`
  const missing = Object.entries(PROGRAMS).filter(([program]) => !findProgram(program))
  if (missing.length > 0) return `missing ${missing.map(([p, pkg]) => `${p} (apt-get install ${pkg})`).join(', ')}`
  if (!existsSync(join(BUILT_MAIN, 'helper.js'))) {
    return `the helper is not built: run 'npx electron-vite build' first (${BUILT_MAIN}/helper.js is missing)`
  }
  sweepDeadRuns()
  const present = existingInstall()
  if (present.length > 0) {
    return `guestnet is installed on this machine (${present.join(', ')}): the suite installs its own copy and will not replace it`
  }
  return null
}
