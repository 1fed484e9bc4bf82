/**
 * The desktop app's own way to start the helper, as a packaged app does it: `helperLaunch()` and
 * `createHelperRunner()` from src-main/helper-client/ with the installed wrapper and Electron's binary, so
 * the argv under test is the app's and never a copy of it. With paths.ts (INSTALLED_HELPER), the suite's only
 * door to the app's client code.
 */
import type { Launch, LaunchConfig } from '../../../src-main/helper-client/launch'
import { helperLaunch } from '../../../src-main/helper-client/launch'
import type { RunHelper } from '../../../src-main/helper-client/app-runner'
import { createHelperRunner } from '../../../src-main/helper-client/app-runner'
import type { SpawnFn } from '../../../src-main/helper-client/spawn-helper'
import { APP_BIN, HELPER_WRAPPER, UNPACKED_HELPER } from './paths'

export type { SpawnFn }
export { PKEXEC, PKEXEC_NOT_AUTHORISED } from '../../../src-main/helper-client/launch'
export { outcomeWithoutResult } from '../../../src-main/helper-client/spawn-helper'

/** What src-main/app/index.ts passes when packaged and the wrapper is installed. */
export const PACKAGED_APP: LaunchConfig = {
  elevation: 'pkexec',
  helperScript: UNPACKED_HELPER,
  installedHelper: HELPER_WRAPPER,
  execPath: APP_BIN,
  isElectron: true
}

/** The argv and environment of a privileged request: `pkexec --disable-internal-agent WRAPPER`. */
export function appPkexecLaunch(): Launch {
  const launch = helperLaunch(PACKAGED_APP, true)
  if (launch.via !== 'pkexec') throw new Error(`the app would not use pkexec here (via ${launch.via})`)
  return launch
}

/** The app's runner, its spawn going through `spawn` (the test's namespace and user prefix). */
export function appRunner(spawn: SpawnFn): RunHelper {
  return createHelperRunner(PACKAGED_APP, spawn)
}
