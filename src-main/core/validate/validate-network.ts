/**
 * Every semantic rule for a network definition, as one pure function. The privileged helper runs it
 * again on whatever the unprivileged side sends, so the input is treated as hostile: its shape is
 * checked first (types, sizes, no unknown fields), and only a well-formed definition goes on to
 * the rules. Strings that reach dnsmasq, nft or file names are held to strict syntax (see syntax.ts).
 *
 * Problems name the field by the path the XML parser uses (`ip[0].dhcp.range[1].start`), say what
 * is wrong and how to fix it.
 */
import type { HostFacts } from '../model/host-facts'
import type { NetworkDef } from '../model/network'
import type { Problem } from '../model/problem'
import { checkHostFacts, checkOthers } from './check-context'
import { checkBridge, checkPort } from './check-bridge'
import { checkDns } from './check-dns'
import { checkForward } from './check-forward'
import { checkHostBridge } from './check-host-bridge'
import { checkIdentity } from './check-identity'
import { checkIps } from './check-ips'
import { checkNetboot } from './check-netboot'
import { checkPortForwards } from './check-port-forwards'
import { checkRoutes } from './check-routes'
import { checkShape } from './check-shape'
import { checkUplink } from './check-uplink'
import { checkSpan } from './check-span'
import { Problems } from './problems'

export interface ValidateContext {
  /** The other guestnet networks (not this one): names, UUIDs, bridges and subnets must not collide. */
  others?: readonly NetworkDef[]
  /** The host's addresses and routes: our subnets must not overlap them. */
  hostFacts?: HostFacts
}

export function validateNetwork(def: NetworkDef, ctx: ValidateContext = {}): Problem[] {
  const problems = new Problems()
  checkShape(def, problems)
  if (problems.any) return problems.result()
  checkIdentity(def, problems)
  checkForward(def, problems)
  checkHostBridge(def, problems)
  const ips = checkIps(def, problems)
  checkNetboot(def, ips, problems)
  checkDns(def, problems)
  checkBridge(def, problems)
  checkPort(def, problems)
  checkRoutes(def, ips, problems)
  checkUplink(def, problems)
  checkPortForwards(def, ips, Array.isArray(ctx.others) ? ctx.others : [], problems)
  checkSpan(def, ips, { others: Array.isArray(ctx.others) ? ctx.others : [], hostFacts: ctx.hostFacts }, problems)
  if (Array.isArray(ctx.others)) checkOthers(def, ips, ctx.others, problems)
  if (ctx.hostFacts) checkHostFacts(def, ips, ctx.hostFacts, problems)
  return problems.result()
}
