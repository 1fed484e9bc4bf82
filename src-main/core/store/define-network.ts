/**
 * The pure half of `define`: read the input, then complete it against the network it replaces
 * (if any) and the other networks: UUID, bridge MAC and bridge name filled once, comments kept,
 * everything validated. The file-backed store does the reading and writing around it.
 */
import type { HostFacts } from '../model/host-facts'
import type { NetworkDef } from '../model/network'
import type { Problem } from '../model/problem'
import { formatNetworkXml } from '../xml/format-network-xml'
import { parseNetworkXml } from '../xml/parse-network-xml'
import { validateNetwork } from '../validate/validate-network'
import type { NetworkXmlDoc } from '../xml/xml-tree'
import { isBridgeTemplate, nextFreeBridgeName } from './bridge-name'
import { DEFAULT_NETWORK_NAME } from './default-network'
import { networkNameProblem } from './network-file-name'
import { sameMac, sameUuid } from './network-identity'

export type { NetworkXmlDoc }

export type ReadInputResult = { ok: true; def: NetworkDef; doc?: NetworkXmlDoc } | { ok: false; problems: Problem[] }

/** XML text is parsed (its doc kept, with the admin's comments); a `NetworkDef` is taken as it is. */
export function readDefinitionInput(input: string | NetworkDef): ReadInputResult {
  let def: NetworkDef
  let doc: NetworkXmlDoc | undefined
  if (typeof input === 'string') {
    const parsed = parseNetworkXml(input)
    if (!parsed.ok) return parsed
    def = parsed.def
    doc = parsed.doc
  } else {
    def = structuredClone(input)
  }
  const nameProblem = networkNameProblem(def.name)
  if (nameProblem) {
    return {
      ok: false,
      problems: [
        {
          field: 'name',
          message: `'${def.name}' cannot be stored: ${nameProblem}`,
          fix: 'choose a name of letters, digits, - and _'
        }
      ]
    }
  }
  return doc === undefined ? { ok: true, def } : { ok: true, def, doc }
}

export interface CompleteDefinitionInput {
  def: NetworkDef
  /** Set when the input was XML text: its own comments win. */
  doc?: NetworkXmlDoc
  /** The stored network of the same name, when this is a redefine. */
  existing?: { def: NetworkDef; doc: NetworkXmlDoc }
  /** Every other (valid) network. */
  others: readonly NetworkDef[]
  hostFacts?: HostFacts
  newUuid: () => string
  newMac: () => string
}

export type CompleteDefinitionResult = { ok: true; def: NetworkDef; xml: string } | { ok: false; problems: Problem[] }

export function completeDefinition(input: CompleteDefinitionInput): CompleteDefinitionResult {
  const { existing, others } = input
  const def = structuredClone(input.def)

  const uuidProblem = settleUuid(def, existing?.def, others, input.newUuid)
  if (uuidProblem) return { ok: false, problems: [uuidProblem] }
  settleMac(def, existing?.def, others, input.newMac)
  settleBridge(def, existing?.def, others, input.hostFacts)

  const facts = input.hostFacts && withoutInterfaces(input.hostFacts, [def.bridge?.name, existing?.def.bridge?.name])
  const problems = validateNetwork(def, facts ? { others: [...others], hostFacts: facts } : { others: [...others] })
  if (problems.length > 0) return { ok: false, problems }

  // XML input keeps its own comments; a redefine from a NetworkDef (GUI edit) keeps the file's.
  const doc = input.doc ?? existing?.doc
  let xml = doc ? formatNetworkXml(def, doc) : formatNetworkXml(def)
  if (!xml.endsWith('\n')) xml += '\n'
  const reread = parseNetworkXml(xml)
  if (!reread.ok) {
    return {
      ok: false,
      problems: reread.problems.map((p) => ({
        ...p,
        message: `guestnet wrote XML it cannot read back: ${p.message}`,
        fix: 'this is a guestnet bug: please report it with the input'
      }))
    }
  }
  return { ok: true, def, xml }
}

/** UUID: given once and kept for life; a redefine may not change it (libvirt refuses too). */
function settleUuid(
  def: NetworkDef,
  existing: NetworkDef | undefined,
  others: readonly NetworkDef[],
  newUuid: () => string
): Problem | null {
  if (existing?.uuid !== undefined) {
    if (def.uuid !== undefined && !sameUuid(def.uuid, existing.uuid)) {
      return {
        field: 'uuid',
        message: `network '${def.name}' already exists with uuid ${existing.uuid}, not ${def.uuid}`,
        fix: `remove the <uuid> element or use ${existing.uuid}; to make a different network, give it another name`
      }
    }
    def.uuid = existing.uuid
    return null
  }
  if (def.uuid !== undefined) {
    const clash = others.find((o) => o.uuid !== undefined && sameUuid(o.uuid, def.uuid as string))
    if (clash) {
      return {
        field: 'uuid',
        message: `uuid ${def.uuid} is already used by network '${clash.name}'`,
        fix: 'remove the <uuid> element and guestnet generates a new one'
      }
    }
    return null
  }
  def.uuid = newUuid()
  return null
}

function settleMac(
  def: NetworkDef,
  existing: NetworkDef | undefined,
  others: readonly NetworkDef[],
  newMac: () => string
): void {
  // A host bridge keeps its own address: guestnet neither makes nor configures it.
  if (def.mac !== undefined || def.forward.mode === 'bridge') return
  if (existing?.mac !== undefined) {
    def.mac = existing.mac
    return
  }
  let mac = newMac()
  // 2^24 MACs: a clash is unlikely, but a second bridge with the same MAC would confuse guests.
  for (let i = 0; i < 16 && others.some((o) => o.mac !== undefined && sameMac(o.mac, mac)); i++) mac = newMac()
  def.mac = mac
}

function settleBridge(
  def: NetworkDef,
  existing: NetworkDef | undefined,
  others: readonly NetworkDef[],
  facts: HostFacts | undefined
): void {
  const given = def.bridge?.name
  // A host-bridge network names the host's bridge; none is picked for it (validation asks for one).
  if (def.forward.mode === 'bridge') return
  if (given !== undefined && !isBridgeTemplate(given)) return
  const kept = existing?.bridge?.name
  let name: string
  if (given === undefined && kept !== undefined && !isBridgeTemplate(kept)) {
    name = kept
  } else {
    const taken = [...others.map((o) => o.bridge?.name), ...hostInterfaceNames(facts)].filter(
      (n): n is string => n !== undefined
    )
    name = nextFreeBridgeName(taken, { template: given, start: def.name === DEFAULT_NETWORK_NAME ? 0 : 1 })
  }
  def.bridge = { ...def.bridge, name }
}

export function hostInterfaceNames(facts: HostFacts | undefined): string[] {
  if (!facts) return []
  const names = [...facts.addresses.map((a) => a.ifname), ...facts.routes.map((r) => r.dev)]
  return [...new Set(names.filter((n): n is string => n !== undefined))]
}

/** Host facts minus a network's own bridge, so a running network does not clash with itself. */
export function withoutInterfaces(facts: HostFacts, names: ReadonlyArray<string | undefined>): HostFacts {
  const drop = new Set(names.filter((n): n is string => n !== undefined))
  return {
    addresses: facts.addresses.filter((a) => !drop.has(a.ifname)),
    routes: facts.routes.filter((r) => r.dev === undefined || !drop.has(r.dev))
  }
}
