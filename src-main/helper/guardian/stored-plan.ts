/**
 * The plan of a running network as a start would build it now: its stored definition (through the
 * same loader and cache as start), the live host's facts, the dnsmasq account, this store's mark.
 * Whether the network still runs it is told by its generated files (drift.ts differingArtifacts).
 * Port forwards are resolved to the guests' addresses as the host sees them now, as a start does.
 */
import type { GuestAddresses } from '../../core/forward/resolve-forwards'
import type { HostFacts } from '../../core/model/host-facts'
import type { NetworkDef } from '../../core/model/network'
import { parseHostFacts } from '../../core/host/parse-host-facts'
import type { Plan } from '../../core/model/plan'
import type { ArtifactKey } from '../../core/plan/build-plan'
import { artifactPath, buildPlan } from '../../core/plan/build-plan'
import { detectDnsmasqUser } from '../../core/plan/dnsmasq-user'
import { networkPaths } from '../../core/plan/network-paths'
import type { HelperPaths } from '../../core/store/helper-paths'
import { ownerMark } from '../../core/store/store-id'
import { readLiveHostFacts } from '../../host/read-host-facts'
import { readUserDb } from '../../host/user-db'
import { readTextOrNull } from '../../store/safe-fs'
import { portIsolationHere } from '../run/kernel-probe'
import { loadDefinitions } from '../state/definitions'
import { requireOk } from '../verbs/context'

export interface StoredNetwork {
  def: NetworkDef
  facts: HostFacts
  guests: GuestAddresses
  plan: Plan
}

export async function storedPlan(
  name: string,
  paths: HelperPaths,
  store: string,
  guestsOf: (def: NetworkDef) => Promise<GuestAddresses>
): Promise<StoredNetwork> {
  const [entries, raw] = await Promise.all([
    loadDefinitions({ layout: paths.layout, cacheFile: paths.definitionsCache, uid: process.getuid?.() ?? 0 }),
    readLiveHostFacts()
  ])
  const def = requireOk(entries, name).def
  const db = readUserDb()
  const facts = parseHostFacts(raw, 'the live host')
  const guests = await guestsOf(def)
  const plan = buildPlan(def, {
    paths: paths.plan,
    hostFacts: facts,
    guests,
    dnsmasqUser: detectDnsmasqUser(db.passwd, db.group),
    owner: ownerMark(store, name),
    // As start chose it (verbs/start.ts): the ruleset differs with it.
    portIsolation: def.port?.isolated ? await portIsolationHere() : 'nft'
  })
  return { def, facts, guests, plan }
}

/** The running network's generated file of `key`, as it is now (null: none). */
export function generatedFile(paths: HelperPaths, network: string, key: ArtifactKey): string | null {
  try {
    return readTextOrNull(artifactPath(networkPaths(paths.plan, network), key))
  } catch {
    return null
  }
}
