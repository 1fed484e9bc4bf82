/**
 * firewalld as `firewall-cmd` reports it: running or not, zones, the zone of each of our bridges,
 * and the target and services of the zones that matter. Skipped inside a `--netns` namespace
 * (firewalld manages the machine's own namespace, not ours).
 */
import type { ObservedFirewalld } from '../model'

export type Exec = (argv: readonly string[]) => Promise<{ code: number; stdout: string }>

/** Pure: `firewall-cmd --info-zone=Z` → target and services. */
export function parseZoneInfo(text: string): { target: string; services: string[] } {
  let target = 'default'
  let services: string[] = []
  for (const line of text.split('\n')) {
    const m = /^\s*(target|services):\s*(.*)$/.exec(line)
    if (!m) continue
    if (m[1] === 'target') target = m[2].trim()
    else services = m[2].trim().split(/\s+/).filter(Boolean)
  }
  return { target, services }
}

/** Pure: `firewall-cmd --info-policy=P` → target, ingress and egress zones. */
export function parsePolicyInfo(text: string): { target: string; ingress: string[]; egress: string[] } {
  const out = { target: 'CONTINUE', ingress: [] as string[], egress: [] as string[] }
  for (const line of text.split('\n')) {
    const m = /^\s*(target|ingress-zones|egress-zones):\s*(.*)$/.exec(line)
    if (!m) continue
    const words = m[2].trim().split(/\s+/).filter(Boolean)
    if (m[1] === 'target') out.target = m[2].trim()
    else if (m[1] === 'ingress-zones') out.ingress = words
    else out.egress = words
  }
  return out
}

/** Pure: `StrictForwardPorts=yes|no` in firewalld.conf (the last one counts); null when absent. */
export function parseStrictForwardPorts(conf: string | null): boolean | null {
  let value: boolean | null = null
  for (const line of (conf ?? '').split('\n')) {
    const m = /^\s*StrictForwardPorts\s*=\s*(\S+)\s*$/i.exec(line)
    if (m) value = /^(yes|true|1)$/i.test(m[1])
  }
  return value
}

export function emptyFirewalld(state: ObservedFirewalld['state'], note: string | null): ObservedFirewalld {
  return { state, note, defaultZone: null, zones: [], interfaceZones: {}, zoneInfo: {} }
}

export async function observeFirewalld(opts: {
  installed: boolean
  netns: string | null
  bridges: string[]
  exec: Exec
  /** /etc/firewalld/firewalld.conf (under --root when there is one), or null. */
  conf?: string | null
}): Promise<ObservedFirewalld> {
  if (!opts.installed) return emptyFirewalld('absent', null)
  if (opts.netns !== null)
    return emptyFirewalld('skipped', "firewalld looks after the machine's own network namespace, not this one")
  const state = await opts.exec(['firewall-cmd', '--state'])
  if (state.code === 252 || /not running/.test(state.stdout)) return emptyFirewalld('not-running', null)
  if (state.code !== 0) return emptyFirewalld('unknown', `firewall-cmd --state failed (exit ${state.code})`)
  const out = emptyFirewalld('running', null)
  out.defaultZone = (await opts.exec(['firewall-cmd', '--get-default-zone'])).stdout.trim() || null
  out.zones = (await opts.exec(['firewall-cmd', '--get-zones'])).stdout.trim().split(/\s+/).filter(Boolean)
  const wanted = new Set<string>(out.defaultZone ? [out.defaultZone] : [])
  for (const br of opts.bridges) {
    const r = await opts.exec(['firewall-cmd', `--get-zone-of-interface=${br}`])
    const zone = r.code === 0 ? r.stdout.trim() || null : null
    out.interfaceZones[br] = zone
    if (zone) wanted.add(zone)
  }
  for (const zone of wanted) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(zone)) continue
    const r = await opts.exec(['firewall-cmd', `--info-zone=${zone}`])
    if (r.code === 0) out.zoneInfo[zone] = parseZoneInfo(r.stdout)
  }
  const policies = await opts.exec(['firewall-cmd', '--get-policies'])
  if (policies.code === 0) {
    out.policies = {}
    for (const p of policies.stdout
      .trim()
      .split(/\s+/)
      .filter((x) => /^[A-Za-z0-9_-]{1,64}$/.test(x))) {
      const r = await opts.exec(['firewall-cmd', `--info-policy=${p}`])
      if (r.code === 0) out.policies[p] = parsePolicyInfo(r.stdout)
    }
  }
  out.strictForwardPorts = parseStrictForwardPorts(opts.conf ?? null)
  return out
}
