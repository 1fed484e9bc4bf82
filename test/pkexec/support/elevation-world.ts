/**
 * Everything the elevation tests need, built in an order that works and undone last first: the netns
 * world (host + internet namespaces, guests), a system bus and polkitd, the package's files installed,
 * the throw-away user, and the mount namespace with the private store (made last: it sees only the
 * namespaces and the user that exist when it is made). See ../README.md.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'

import type { SpawnFn } from './app-launch'
import { listNamespaces } from '../../../src-main/sandbox/topology'
import { trackChild } from '../../netns/support/cleanup'
import type { World } from '../../netns/support/world'
import { createWorld } from '../../netns/support/world'
import type { ElevationTarget } from './as-user'
import { asUserArgv, runInTestNamespaces } from './as-user'
import { alive } from './exec'
import { existingInstall, installPackageFiles } from './install'
import { createMountNamespace, mountNamespaceHeld } from './mount-ns'
import { rulesFile, STORE_DIRS } from './paths'
import type { PkexecCall, PkexecOutcome } from './pkexec-request'
import { pkexecRequest, userParent } from './pkexec-request'
import type { RuleDecision } from './polkit-rule'
import { setRule } from './polkit-rule'
import type { PolkitState } from './system-bus'
import { ensurePolkit } from './system-bus'
import { createTestUser, groupExists, lookupUser } from './test-user'
import { undoAll, undoFailures } from './undo'

export interface ElevationWorld extends ElevationTarget {
  world: World
  polkit: PolkitState
  /** npm packages installed beside the helper bundle. */
  packages: string[]
  /** Sets the rules file (null: none) and waits until polkitd answers by it; the ms that took. */
  setRule(decision: RuleDecision | null): number
  /** One request through real pkexec as the test user (support/pkexec-request.ts). */
  request(call: PkexecCall): Promise<PkexecOutcome>
  /** A spawn for the app's own runner: its argv runs as the test user inside the test's namespaces. */
  userSpawn: SpawnFn
  /** Files (not directories) in the private store, as absolute paths. */
  storeFiles(): Promise<string[]>
  /** Undoes everything; safe to call twice. */
  dispose(): Promise<void>
  /** What is still there of what this run made (empty after dispose). */
  leftovers(): Promise<string[]>
}

export async function createElevationWorld(): Promise<ElevationWorld> {
  const realStoreBefore = STORE_DIRS.filter((dir) => existsSync(dir))
  let world: World | undefined
  const dispose = async (): Promise<void> => {
    await world?.dispose()
    const failed = undoAll()
    if (failed.length > 0) console.warn(`pkexec tests: cleanup steps failed: ${failed.join('; ')}`)
  }
  try {
    world = await createWorld()
    const polkit = ensurePolkit()
    const packages = installPackageFiles()
    const user = createTestUser()
    const mountNs = createMountNamespace()
    const t: ElevationTarget = { mountNs, host: world.host, isOurs: world.x.isOurs, user }
    const userSpawn: SpawnFn = (file: string, args: readonly string[], opts: SpawnOptions): ChildProcess => {
      const argv = asUserArgv(t, [...userParent(30_000), file, ...args])
      return trackChild(spawn(argv[0], argv.slice(1), opts))
    }
    const ownWorld = world
    return {
      ...t,
      world,
      polkit,
      packages,
      setRule: (decision) => setRule(user, decision),
      request: (call) => pkexecRequest(t, call),
      userSpawn,
      async storeFiles() {
        const r = await runInTestNamespaces(t, ['find', ...STORE_DIRS, '-mindepth', '1', '!', '-type', 'd'])
        if (r.code !== 0) throw new Error(`cannot list the private store: ${r.stderr}`)
        return r.stdout.split('\n').filter(Boolean).sort()
      },
      dispose,
      async leftovers() {
        const out: string[] = [...undoFailures().map((f) => `cleanup failed: ${f}`)]
        for (const path of existingInstall()) out.push(`installed ${path}`)
        if (existsSync(rulesFile())) out.push(`rules file ${rulesFile()}`)
        if (lookupUser(user.name)) out.push(`user ${user.name}`)
        if (groupExists(user.name)) out.push(`group ${user.name}`)
        if (mountNamespaceHeld(mountNs)) out.push(`mount namespace ${mountNs.file}`)
        if (existsSync(mountNs.dir)) out.push(`temp dir ${mountNs.dir}`)
        for (const dir of STORE_DIRS) if (existsSync(dir) && !realStoreBefore.includes(dir)) out.push(`real ${dir}`)
        if (polkit.startedPolkitd !== null && alive(polkit.startedPolkitd)) out.push(`polkitd ${polkit.startedPolkitd}`)
        if (polkit.startedBus !== null && alive(polkit.startedBus)) out.push(`dbus-daemon ${polkit.startedBus}`)
        for (const ns of await listNamespaces(ownWorld.x)) if (ownWorld.x.isOurs(ns)) out.push(`namespace ${ns}`)
        return out
      }
    }
  } catch (error) {
    await dispose()
    throw error
  }
}
