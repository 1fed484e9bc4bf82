/**
 * Installs what the deb installs for elevation (packaging/README.md): the polkit action, the wrapper pkexec
 * runs, and under /opt/guestnet the "Electron binary" (node itself: node ignores ELECTRON_RUN_AS_NODE) with
 * the unpacked helper bundle and the npm packages it requires; all root-owned, nothing group or world
 * writable. Only onto a machine that has none of it; everything is removed again at the end.
 */
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { basename, dirname, join } from 'node:path'

import {
  APP_BIN,
  BUILT_MAIN,
  HELPER_DIR,
  HELPER_WRAPPER,
  INSTALLED_PATHS,
  OPT_DIR,
  OWNER_MARKER,
  PACKAGING,
  POLICY_FILE,
  REPO,
  UNPACKED,
  UNPACKED_HELPER
} from './paths'
import { requiredPackages, runtimeClosure } from './runtime-packages'
import { onUndo } from './undo'

/** The installed paths that exist now (empty: nothing of guestnet is installed). */
export function existingInstall(): string[] {
  return INSTALLED_PATHS.filter((path) => existsSync(path))
}

/** Root-owned and not writable by group or others, recursively (symlinks: owner only). */
function secure(path: string): void {
  const st = lstatSync(path)
  lchownSync(path, 0, 0)
  if (st.isSymbolicLink()) return
  chmodSync(path, st.mode & 0o7755)
  if (st.isDirectory()) for (const entry of readdirSync(path)) secure(join(path, entry))
}

/** node's own binary, if pkexec may run it as root as it is: root-owned and writable by root only. */
function trustedNode(): string {
  const node = realpathSync(process.execPath)
  const st = statSync(node)
  if (st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new Error(`${node} is not root-owned or is group/world writable: it must not run as root through pkexec`)
  }
  return node
}

function checkWrapper(text: string): void {
  for (const expected of [APP_BIN, UNPACKED_HELPER]) {
    if (!text.includes(expected)) {
      throw new Error(`packaging/guestnet-helper no longer runs ${expected}: update test/pkexec/support/paths.ts`)
    }
  }
}

/** The packaged layout on this machine; returns the npm packages copied beside the bundle. */
export function installPackageFiles(): string[] {
  const wrapper = readFileSync(join(PACKAGING, 'guestnet-helper'), 'utf8')
  checkWrapper(wrapper)
  if (!existsSync(join(BUILT_MAIN, 'helper.js'))) throw new Error(`${BUILT_MAIN}/helper.js is missing: build first`)
  const present = existingInstall()
  if (present.length > 0) throw new Error(`refusing to install over ${present.join(', ')}`)

  // The claim: mkdir fails if another run (or a real install) got there first.
  mkdirSync(OPT_DIR, { mode: 0o755 })
  onUndo(`remove ${OPT_DIR}`, () => rmSync(OPT_DIR, { recursive: true, force: true }))
  writeFileSync(OWNER_MARKER, `${process.pid}\n`, { mode: 0o644 })

  copyFileSync(join(PACKAGING, basename(POLICY_FILE)), POLICY_FILE)
  onUndo(`remove ${POLICY_FILE}`, () => rmSync(POLICY_FILE, { force: true }))

  mkdirSync(HELPER_DIR, { mode: 0o755 })
  onUndo(`remove ${HELPER_DIR}`, () => rmSync(HELPER_DIR, { recursive: true, force: true }))
  writeFileSync(HELPER_WRAPPER, wrapper, { mode: 0o755 })

  symlinkSync(trustedNode(), APP_BIN)
  cpSync(BUILT_MAIN, join(UNPACKED, 'out', 'main'), { recursive: true })
  const packages = runtimeClosure(requiredPackages(BUILT_MAIN), join(REPO, 'node_modules'))
  for (const name of packages) {
    const target = join(UNPACKED, 'node_modules', name)
    mkdirSync(dirname(target), { recursive: true })
    cpSync(join(REPO, 'node_modules', name), target, { recursive: true, dereference: true })
  }
  for (const path of [OPT_DIR, HELPER_DIR, POLICY_FILE]) secure(path)
  return packages
}
