/**
 * The file-backed network store: `networks/NAME.xml`, `autostart/NAME`, `host.json` and the
 * default network's records (see docs/architecture.md, "Store layout"). All writes are atomic.
 * No locking: one writer (the helper) at a time is assumed.
 */
import { randomBytes as cryptoRandomBytes, randomUUID as cryptoRandomUUID } from 'node:crypto'

import { suggestRange } from '../core/address/suggest-range'
import type { HostFacts } from '../core/model/host-facts'
import type { NetworkDef } from '../core/model/network'
import type { Problem } from '../core/model/problem'
import type { Cidr } from '../core/net/cidr'
import { parseCidr } from '../core/net/cidr'
import { autostartOrder } from '../core/store/autostart-order'
import { nextFreeBridgeName } from '../core/store/bridge-name'
import {
  decideDefault,
  DEFAULT_BRIDGE_NAME,
  DEFAULT_NETWORK_NAME,
  defaultNetworkTemplate,
  pickUlaSubnet
} from '../core/store/default-network'
import { completeDefinition, hostInterfaceNames, readDefinitionInput } from '../core/store/define-network'
import type { HostConfig } from '../core/store/host-config'
import { bridgeMacFromRandom } from '../core/store/network-identity'
import { networkNameProblem } from '../core/store/network-file-name'
import type { StoreLayout } from '../core/store/store-layout'
import { autostartFile, networkFile, storeLayout } from '../core/store/store-layout'
import { pathExists, readTextIfExists, removeFileDurable, writeFileAtomic } from './atomic-file'
import {
  clearDeletedDefault,
  isDefaultCreated,
  markDefaultCreated,
  readDeletedDefaultUuid,
  writeDeletedDefault
} from './default-records'
import type { RandomBytes } from './host-config-file'
import { loadOrCreateHostConfig, setRangePool } from './host-config-file'
import type { NetworkEntry, OkNetworkEntry } from './network-files'
import { loadAllNetworks, loadNetworkFile, readAutostartNames } from './network-files'
import { StoreError } from './store-error'

export type { NetworkEntry, OkNetworkEntry } from './network-files'

export interface NetworkStoreOptions {
  /** `--root DIR`: an absolute directory holding etc/, var/lib/ and run/. */
  root?: string
  randomUUID?: () => string
  randomBytes?: RandomBytes
  now?: () => Date
}

export interface DefineOptions {
  /** The host's addresses and routes: bridge names in use, clash checks. */
  hostFacts?: HostFacts
}

export type DefineResult =
  { ok: true; entry: OkNetworkEntry; created: boolean; changed: boolean } | { ok: false; problems: Problem[] }

/** One network's records as they were: the exact file text (null: none), its autostart mark, the default's history. */
export interface NetworkSnapshot {
  name: string
  xml: string | null
  autostart: boolean
  defaultCreated: string | null
  defaultDeleted: string | null
}

export type EnsureDefaultResult =
  | { action: 'created'; entry: OkNetworkEntry }
  | { action: 'adopted' }
  | { action: 'none'; reason: string }
  | { action: 'no-free-range'; message: string }

export class NetworkStore {
  readonly layout: StoreLayout
  private readonly randomUUID: () => string
  private readonly randomBytes: RandomBytes
  private readonly now: () => Date

  constructor(opts: NetworkStoreOptions = {}) {
    this.layout = storeLayout(opts.root)
    this.randomUUID = opts.randomUUID ?? cryptoRandomUUID
    this.randomBytes = opts.randomBytes ?? ((n) => new Uint8Array(cryptoRandomBytes(n)))
    this.now = opts.now ?? (() => new Date())
  }

  /** Every network file, valid or broken, sorted by name (code-unit order). */
  async list(): Promise<NetworkEntry[]> {
    return (await loadAllNetworks(this.layout)).map((l) => l.entry)
  }

  /** One network, or null when there is no such file. */
  async get(name: string): Promise<NetworkEntry | null> {
    if (networkNameProblem(name)) return null
    const autostart = await pathExists(autostartFile(this.layout, name))
    return (await loadNetworkFile(networkFile(this.layout, name), name, autostart))?.entry ?? null
  }

  /**
   * Defines a network from XML text or a `NetworkDef`, or redefines the one of the same name:
   * its UUID, bridge MAC and bridge name are kept, and so are the file's comments when the input
   * is a `NetworkDef`. Input problems come back as `problems`; only I/O failures throw.
   */
  async define(input: string | NetworkDef, opts: DefineOptions = {}): Promise<DefineResult> {
    const read = readDefinitionInput(input)
    if (!read.ok) return read
    const { name } = read.def
    const loaded = await loadAllNetworks(this.layout)
    const same = loaded.find((l) => l.entry.name === name)
    if (same?.entry.state === 'broken') {
      return {
        ok: false,
        problems: [
          {
            field: 'name',
            message: `network '${name}' exists but its file is broken: ${same.entry.reason}`,
            fix: `fix ${same.entry.file} by hand, or undefine '${name}' first`
          }
        ]
      }
    }
    const others = loaded.flatMap((l) => (l !== same && l.entry.state === 'ok' ? [l.entry.def] : []))
    const done = completeDefinition({
      def: read.def,
      doc: read.doc,
      existing: same?.entry.state === 'ok' && same.doc ? { def: same.entry.def, doc: same.doc } : undefined,
      others,
      hostFacts: opts.hostFacts,
      newUuid: this.randomUUID,
      newMac: () => bridgeMacFromRandom(this.randomBytes(3))
    })
    if (!done.ok) return done
    const file = networkFile(this.layout, name)
    const changed = same?.entry.state !== 'ok' || same.entry.xml !== done.xml
    if (changed) await writeFileAtomic(file, done.xml)
    const autostart = same?.entry.autostart ?? (await pathExists(autostartFile(this.layout, name)))
    return {
      ok: true,
      entry: { name, state: 'ok', def: done.def, xml: done.xml, autostart, file },
      created: same === undefined,
      changed
    }
  }

  /**
   * Removes a network's file and autostart mark (a broken file too: the admin asked for it).
   * Undefining `default` remembers its UUID for `restoreDefault` and keeps it from coming back by itself.
   */
  async undefine(name: string): Promise<NetworkEntry> {
    const entry = await this.get(name)
    if (!entry) throw notFound(this.layout, name)
    if (name === DEFAULT_NETWORK_NAME) {
      if (entry.state === 'ok' && entry.def.uuid !== undefined) await writeDeletedDefault(this.layout, entry.def.uuid)
      if (!(await isDefaultCreated(this.layout))) await markDefaultCreated(this.layout, this.now())
    }
    await removeFileDurable(autostartFile(this.layout, name))
    await removeFileDurable(entry.file)
    return entry
  }

  async setAutostart(name: string, on: boolean): Promise<void> {
    if (networkNameProblem(name)) throw notFound(this.layout, name)
    const mark = autostartFile(this.layout, name)
    if (!on) {
      await removeFileDurable(mark)
      return
    }
    if (!(await pathExists(networkFile(this.layout, name)))) throw notFound(this.layout, name)
    await writeFileAtomic(mark, '')
  }

  /** What `restore` needs to put one network's records back exactly as they are now. */
  async snapshot(name: string): Promise<NetworkSnapshot> {
    if (networkNameProblem(name)) throw notFound(this.layout, name)
    const l = this.layout
    return {
      name,
      xml: await readTextIfExists(networkFile(l, name)),
      autostart: await pathExists(autostartFile(l, name)),
      defaultCreated: await readTextIfExists(l.defaultCreatedFile),
      defaultDeleted: await readTextIfExists(l.defaultDeletedFile)
    }
  }

  /** Puts a network's file, autostart mark and (for `default`) its history back as `snapshot` found them. */
  async restore(s: NetworkSnapshot): Promise<void> {
    const l = this.layout
    const put = async (path: string, text: string | null): Promise<void> => {
      if (text === null) await removeFileDurable(path)
      else await writeFileAtomic(path, text)
    }
    await put(networkFile(l, s.name), s.xml)
    await put(autostartFile(l, s.name), s.autostart ? '' : null)
    if (s.name === DEFAULT_NETWORK_NAME) {
      await put(l.defaultCreatedFile, s.defaultCreated)
      await put(l.defaultDeletedFile, s.defaultDeleted)
    }
  }

  /** Valid networks marked autostart, in start order (by name, code-unit order: see autostart-order.ts). */
  async autostartOrder(): Promise<string[]> {
    const [entries, marks] = await Promise.all([this.list(), readAutostartNames(this.layout)])
    return autostartOrder(entries.filter((e) => e.state === 'ok' && marks.has(e.name)).map((e) => e.name))
  }

  /** `host.json`, created with a new ULA /48 the first time; throws when it is corrupt (and leaves it alone). */
  async hostConfig(): Promise<HostConfig> {
    return loadOrCreateHostConfig(this.layout, this.randomBytes)
  }

  /** Sets the IPv4 pool new networks' ranges come from; `undefined` goes back to the built-in pool. */
  async setRangePool(pool: string[] | undefined): Promise<HostConfig> {
    return setRangePool(this.layout, pool, this.randomBytes)
  }

  /**
   * First-run step: creates the default network once, ever. Once created it is never touched
   * again: the admin's edits stay, and a deleted default stays deleted across restarts and upgrades.
   */
  async ensureDefault(hostFacts: HostFacts): Promise<EnsureDefaultResult> {
    const created = await isDefaultCreated(this.layout)
    const exists = await pathExists(networkFile(this.layout, DEFAULT_NETWORK_NAME))
    let deletedUuid: string | undefined
    if (!created) {
      // A corrupt record still says the default was deleted: leave it deleted.
      deletedUuid = await readDeletedDefaultUuid(this.layout).catch(() => 'unknown')
    }
    const decision = decideDefault({ mode: 'ensure', created, exists, deletedUuid })
    switch (decision.action) {
      case 'none':
        return { action: 'none', reason: decision.reason }
      case 'refuse':
        return { action: 'none', reason: decision.message }
      case 'adopt':
        await markDefaultCreated(this.layout, this.now())
        return { action: 'adopted' }
      case 'create': {
        const made = await this.createDefault(hostFacts, decision.uuid)
        if (!made.ok) return { action: 'no-free-range', message: made.message }
        await markDefaultCreated(this.layout, this.now())
        return { action: 'created', entry: made.entry }
      }
    }
  }

  /** Brings the deleted default back, with its old UUID and a range chosen afresh for today's host. */
  async restoreDefault(hostFacts: HostFacts): Promise<OkNetworkEntry> {
    const file = networkFile(this.layout, DEFAULT_NETWORK_NAME)
    const exists = await pathExists(file)
    const deletedUuid = exists ? undefined : await readDeletedDefaultUuid(this.layout)
    const decision = decideDefault({
      mode: 'restore',
      created: await isDefaultCreated(this.layout),
      exists,
      deletedUuid
    })
    if (decision.action !== 'create') {
      const message = decision.action === 'refuse' ? decision.message : 'the default network cannot be restored'
      throw new StoreError('DEFAULT_EXISTS', `cannot restore the default network (${file})`, { file, fix: message })
    }
    const made = await this.createDefault(hostFacts, decision.uuid)
    if (!made.ok) {
      throw new StoreError('NO_FREE_RANGE', made.message, {
        file: this.layout.hostConfigFile,
        fix: 'free a range, or add blocks to "rangePool" in host.json'
      })
    }
    if (!(await isDefaultCreated(this.layout))) await markDefaultCreated(this.layout, this.now())
    await clearDeletedDefault(this.layout)
    return made.entry
  }

  private async createDefault(
    hostFacts: HostFacts,
    uuid: string | undefined
  ): Promise<{ ok: true; entry: OkNetworkEntry } | { ok: false; message: string }> {
    const config = await this.hostConfig()
    const others = (await this.list()).flatMap((e) =>
      e.state === 'ok' && e.name !== DEFAULT_NETWORK_NAME ? [e.def] : []
    )
    const subnets = others
      .flatMap((d) => d.ips.map((ip) => parseCidr(`${ip.address}/${ip.prefix}`)))
      .filter((c): c is Cidr => c !== null)
    const subnet = suggestRange(hostFacts, {
      taken: subnets.filter((c) => c.family === 4),
      purpose: 'default',
      ...(config.rangePool ? { pool: config.rangePool } : {})
    })
    if (!subnet) {
      return {
        ok: false,
        message: 'no free IPv4 range for the default network: every candidate overlaps a host route or another network'
      }
    }
    const ula64 =
      pickUlaSubnet(
        config.ula,
        subnets.filter((c) => c.family === 6)
      ) ?? undefined
    const takenBridges = [...others.map((d) => d.bridge?.name), ...hostInterfaceNames(hostFacts)].filter(
      (n): n is string => n !== undefined
    )
    const bridge = takenBridges.includes(DEFAULT_BRIDGE_NAME)
      ? nextFreeBridgeName(takenBridges, { start: 0 })
      : DEFAULT_BRIDGE_NAME
    const def = defaultNetworkTemplate({ subnet, ula64, uuid: uuid ?? this.randomUUID(), bridge })
    const result = await this.define(def, { hostFacts })
    if (!result.ok) {
      throw new StoreError('INVALID', 'the default network template did not validate (a guestnet bug)', {
        problems: result.problems,
        fix: 'please report it with the problems listed'
      })
    }
    await this.setAutostart(DEFAULT_NETWORK_NAME, true)
    return { ok: true, entry: { ...result.entry, autostart: true } }
  }
}

function notFound(layout: StoreLayout, name: string): StoreError {
  const file = networkFile(layout, name)
  return new StoreError('NOT_FOUND', `no network named '${name}' (no file ${file})`, {
    file,
    fix: "'guestnet list' shows the defined networks"
  })
}
