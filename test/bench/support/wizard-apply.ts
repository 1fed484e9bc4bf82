/**
 * What a wizard apply costs: the desktop app's real handlers (`network:define` with autostart and
 * start, as the wizard's Apply sends it) against the bench's namespace, elevation `pkexec`, with the
 * helper's process starts counted. A pkexec start counts as one password prompt; it is then run
 * directly inside the namespace (as root, no agent here), so the helper really does the work.
 */
import type { SpawnOptions } from 'node:child_process'
import { spawn as nodeSpawn } from 'node:child_process'

import { createAppService } from '../../../src-main/app/create-service'
import type { NetworkDef } from '../../../src-main/core/model/network'
import { PKEXEC } from '../../../src-main/helper-client/launch'
import type { SpawnFn } from '../../../src-main/helper-client/spawn-helper'
import type { BenchWorld } from './bench-world'
import { HELPER_JS } from './bench-world'

export interface ApplyCost {
  processes: number
  prompts: number
  ms: number
}

export async function wizardApplyCost(w: BenchWorld, def: NetworkDef): Promise<ApplyCost> {
  let processes = 0
  let prompts = 0
  let counting = false
  const spawn: SpawnFn = (file, args, opts: SpawnOptions) => {
    if (counting) processes++
    if (file !== PKEXEC) return nodeSpawn(file, [...args], opts)
    if (counting) prompts++
    // pkexec [--disable-internal-agent] TARGET…: run TARGET inside the namespace instead.
    const target = args.filter((a) => a !== '--disable-internal-agent')
    return nodeSpawn('ip', ['netns', 'exec', w.host, ...target], opts)
  }
  const service = createAppService({
    config: { mode: 'system', elevation: 'pkexec', root: w.root, netns: w.host, hidden: false },
    launch: { helperScript: HELPER_JS, installedHelper: null, execPath: process.execPath, isElectron: false },
    version: 'bench',
    emit: () => undefined,
    spawn
  })
  const define = service.handlers['network:define']
  counting = true
  const t0 = performance.now()
  await define({ def, autostart: true, start: true })
  const ms = performance.now() - t0
  counting = false
  await service.handlers['network:undefine']({ name: def.name })
  return { processes, prompts, ms }
}
