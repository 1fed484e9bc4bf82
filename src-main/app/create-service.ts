/**
 * Wires the network service to the real world for one app configuration: the store (read-only
 * here), the helper runner, the host's live facts (inside the sandbox's namespace when sandboxed),
 * host.json. Shared by Electron main and the GUI test harness; no electron import.
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'

import { ulaPrefixFromRandom } from '../core/address/ula'
import { parseHostFacts } from '../core/host/parse-host-facts'
import type { HostFacts } from '../core/model/host-facts'
import { parseHostConfig } from '../core/store/host-config'
import type { ChannelOutput } from '../contract/ipc-contract'
import { helperPaths } from '../core/store/helper-paths'
import { readLiveHostFacts } from '../host/read-host-facts'
import { NetworkStore } from '../store/network-store'
import type { AppConfig } from './app-config'
import type { RunHelper } from '../helper-client/app-runner'
import { createHelperRunner } from '../helper-client/app-runner'
import type { LaunchConfig } from '../helper-client/launch'
import type { SpawnFn } from '../helper-client/spawn-helper'
import type { Handlers } from './ipc/dispatch'
import type { Emit } from './network-service'
import { createNetworkService } from './network-service'
import type { GuardianFrame } from '../contract/helper-protocol'
import type { ClashView } from './service/clash-board'
import { ClashBoard } from './service/clash-board'
import { readDefaultRecords } from './service/default-state'
import { fileFirstSeen } from './service/first-seen-store'
import { parseGuardianLog } from './service/guardian-news'
import type { WatchDeps } from './watchers'

export interface ServiceSetup {
  config: AppConfig
  launch: Omit<LaunchConfig, 'elevation'>
  /** How helper processes are started (default: node's spawn; the benchmark counts them). */
  spawn?: SpawnFn
  version: string
  emit: Emit
  /** How long host facts are reused (validation runs on every keystroke). */
  factsTtlMs?: number
  /** A new clash with a host network (Electron main shows a desktop notification). */
  notifyClash?: (clash: ClashView) => void
  /** Where the app keeps when it first saw each guest (Electron's userData); default: in memory. */
  firstSeenDir?: string
  /** The guardian restored or gave up on something of a network (a desktop notification too). */
  notifyGuardian?: (frame: GuardianFrame) => void
  log?: (line: string) => void
}

export interface AppService {
  handlers: Handlers
  helper: RunHelper
  watch: WatchDeps
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
}

export function createAppService(setup: ServiceSetup): AppService {
  const { config } = setup
  const store = new NetworkStore(config.root !== undefined ? { root: config.root } : {})
  const paths = helperPaths(config.root, config.netns)
  const helper = createHelperRunner(
    {
      ...setup.launch,
      elevation: config.elevation,
      ...(config.elevation === 'direct' && config.netns !== undefined ? { netns: config.netns } : {})
    },
    setup.spawn
  )
  const helperArgs = {
    ...(config.root !== undefined ? { root: config.root } : {}),
    ...(config.netns !== undefined ? { netns: config.netns } : {})
  }

  let facts: { at: number; value: Promise<HostFacts> } | null = null
  const hostFacts = (): Promise<HostFacts> => {
    const ttl = setup.factsTtlMs ?? 1500
    if (!facts || Date.now() - facts.at > ttl) {
      const value = readLiveHostFacts(config.netns !== undefined ? { netns: config.netns } : {}).then((raw) =>
        parseHostFacts(raw, 'this computer')
      )
      value.catch(() => (facts = null))
      facts = { at: Date.now(), value }
    }
    return facts.value
  }

  // Without host.json (nothing defined yet, and no root to create it), one ULA per session is shown;
  // the helper records the host's own when it first writes the store.
  let sessionUla: string | null = null
  const hostConfig = async (): Promise<{ ula: string; rangePool?: string[] } | null> => {
    const text = await readText(store.layout.hostConfigFile).catch(() => null)
    if (text !== null) {
      const parsed = parseHostConfig(text)
      return parsed.ok ? parsed.config : null
    }
    if (config.elevation === 'direct') return store.hostConfig().catch(() => null)
    return null
  }
  const hostUla = async (): Promise<string> => {
    const c = await hostConfig()
    if (c) return c.ula
    sessionUla ??= ulaPrefixFromRandom(new Uint8Array(randomBytes(5)))
    return sessionUla
  }

  const board = new ClashBoard(setup.emit, setup.notifyClash)
  const states = async (): Promise<Map<string, 'active' | 'inactive' | 'broken'>> => {
    const r = await helper({ verb: 'status', args: helperArgs }, { privileged: false })
    const map = new Map<string, 'active' | 'inactive' | 'broken'>()
    const nets = r.ok
      ? ((r.value as { networks?: { name: string; state: 'active' | 'inactive' | 'broken' }[] }).networks ?? [])
      : []
    for (const n of nets) map.set(n.name, n.state)
    return map
  }

  const info: ChannelOutput<'app:info'> = {
    version: setup.version,
    mode: config.mode,
    elevation: config.elevation,
    storeRoot: config.root ?? null
  }
  const handlers = createNetworkService({
    store,
    helper,
    helperArgs,
    hostFacts,
    planPaths: paths.plan,
    leasesFile: (name) => paths.leasesFile(name),
    readText,
    hostUla,
    rangePool: async () => (await hostConfig())?.rangePool,
    defaultRecords: () => readDefaultRecords(store.layout),
    emit: setup.emit,
    info,
    board,
    ...(setup.firstSeenDir !== undefined ? { firstSeen: fileFirstSeen(setup.firstSeenDir) } : {})
  })

  const watch: WatchDeps = {
    emit: setup.emit,
    networkNames: async () => (await store.list()).map((e) => e.name),
    leasesFile: (name) => paths.leasesFile(name),
    hostFingerprint: async () => JSON.stringify(await hostFacts()),
    states,
    ...(setup.notifyGuardian
      ? {
          guardian: {
            frames: async () => parseGuardianLog(await readText(paths.guardianLog)),
            notify: setup.notifyGuardian
          }
        }
      : {}),
    clashes: {
      board,
      networks: async () => {
        const [entries, now] = await Promise.all([store.list(), states()])
        return entries.flatMap((e) => (e.state === 'ok' ? [{ def: e.def, active: now.get(e.name) === 'active' }] : []))
      },
      readFacts: async () =>
        parseHostFacts(
          await readLiveHostFacts(config.netns !== undefined ? { netns: config.netns } : {}),
          'this computer'
        ),
      pool: async () => (await hostConfig())?.rangePool,
      ...(config.netns !== undefined ? { netns: config.netns } : {}),
      ...(setup.log ? { log: setup.log } : {})
    },
    neighbours: {
      bridges: async () =>
        new Map(
          (await store.list()).flatMap((e) =>
            e.state === 'ok' && e.def.bridge?.name ? [[e.def.bridge.name, e.name] as [string, string]] : []
          )
        ),
      ...(config.netns !== undefined ? { netns: config.netns } : {}),
      ...(setup.log ? { log: setup.log } : {})
    }
  }
  return { handlers, helper, watch }
}
