/**
 * Where the package puts its files (packaging/README.md) and the names this test process uses for what
 * it makes (each carries its PID, so a later run can tell a crashed run's leftovers from a real install).
 */
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

import { INSTALLED_HELPER } from '../../../src-main/helper-client/launch'

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..')
export const PACKAGING = join(REPO, 'packaging')
export const BUILT_MAIN = join(REPO, 'out', 'main')

export const ACTION_ID = 'org.guestnet.helper'
export const POLICY_FILE = `/usr/share/polkit-1/actions/${ACTION_ID}.policy`
/** The wrapper pkexec runs: the polkit action's exec.path, and what the app asks pkexec for. */
export const HELPER_WRAPPER = INSTALLED_HELPER
export const HELPER_DIR = '/usr/lib/guestnet'
export const OPT_DIR = '/opt/guestnet'
/** What the wrapper runs (see packaging/guestnet-helper): Electron's binary, here node itself. */
export const APP_BIN = join(OPT_DIR, 'guestnet-app')
export const UNPACKED = join(OPT_DIR, 'resources', 'app.asar.unpacked')
export const UNPACKED_HELPER = join(UNPACKED, 'out', 'main', 'helper.js')
/** Written into OPT_DIR first: says the tree is this suite's, with the PID of the run that made it. */
export const OWNER_MARKER = join(OPT_DIR, '.guestnet-pkexec-test')

/** Everything installed, in the order it is checked for an existing install. */
export const INSTALLED_PATHS = [POLICY_FILE, HELPER_DIR, OPT_DIR] as const

export const RULES_DIR = '/etc/polkit-1/rules.d'
/** The system store the helper uses without `root` (src-main/core/store/store-layout.ts). */
export const STORE_DIRS = ['/etc/guestnet', '/var/lib/guestnet', '/run/guestnet'] as const

export const USER_PREFIX = 'gnpk'
export const USER_COMMENT = 'guestnet pkexec test user'
export const TEMP_PREFIX = 'gnpk-'

export function userName(pid = process.pid): string {
  return `${USER_PREFIX}${pid}`
}

export function rulesFile(pid = process.pid): string {
  return join(RULES_DIR, `49-guestnet-test-${pid}.rules`)
}
