/**
 * Pure diagnosis: every check over one observation, giving the findings (worst first) and, per
 * check, whether it found nothing, found something, or could not look.
 */
import { checkAcceptRa } from './checks/accept-ra'
import { checkBrNetfilter } from './checks/br-netfilter'
import { checkFirewalld } from './checks/firewalld'
import { checkForwarding } from './checks/forwarding'
import { checkIptablesDrop } from './checks/iptables-drop'
import { checkLibvirt } from './checks/libvirt'
import { checkNftDrop } from './checks/nft-drop'
import { checkPortHolders } from './checks/port-holder'
import { checkPrograms } from './checks/programs'
import { checkUnderlay } from './checks/underlay'
import { checkUnderlayFirewall } from './checks/underlay-firewall'
import { checkVpnClients } from './checks/vpn-clients'
import type { CheckId, CheckStatus, DoctorObservation, Finding, Severity } from './model'
import { CHECK_IDS } from './model'

export const CHECK_TITLES: Record<CheckId, string> = {
  programs: 'ip, nft and dnsmasq are installed',
  forwarding: 'IPv4 and IPv6 forwarding are on',
  'iptables-drop': "iptables (Docker, ufw) lets our guests' traffic through",
  'nft-drop': "other nftables tables let our guests' traffic through",
  firewalld: 'firewalld allows DHCP and DNS on our bridges',
  'port-holder': 'no other program holds the DHCP and DNS ports',
  libvirt: "no clash with libvirt's virbr0 or its default network",
  'br-netfilter': 'br_netfilter does not push guest-to-guest traffic into a forward drop',
  'accept-ra': 'uplinks keep taking router advertisements while forwarding',
  vpn: "no VPN client's kill switch or tunnel routing gets in the guests' way",
  underlay: 'networks that span hosts reach their peers (address, route, MTU, UDP port not dropped)'
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 }

function skipNote(check: CheckId, obs: DoctorObservation): string | null {
  switch (check) {
    case 'iptables-drop':
    case 'nft-drop':
      return obs.nftRuleset === null
        ? obs.asRoot
          ? 'the firewall rules could not be listed'
          : 'only root can list the firewall rules'
        : null
    case 'firewalld':
      return obs.firewalld.state === 'skipped' || obs.firewalld.state === 'unknown' ? obs.firewalld.note : null
    default:
      return null
  }
}

function okNote(check: CheckId, obs: DoctorObservation, findings: readonly Finding[]): string | null {
  const notes = findings.filter((f) => f.check === check && f.severity === 'info')
  if (notes.length > 0) return `nothing breaks today; see the note: ${notes.map((f) => f.title).join('; ')}`
  if (
    obs.networks.length === 0 &&
    ['iptables-drop', 'nft-drop', 'firewalld', 'port-holder', 'br-netfilter', 'vpn'].includes(check)
  ) {
    return 'no guestnet network is defined'
  }
  if (check === 'firewalld' && obs.firewalld.state !== 'running')
    return obs.firewalld.state === 'absent' ? 'firewalld is not installed' : 'firewalld is not running'
  if (check === 'port-holder' && !obs.asRoot) return 'owners of sockets are known only to root'
  if (check === 'underlay') {
    if (!obs.networks.some((n) => n.span)) return 'no network spans hosts'
    if (obs.nftRuleset === null) return 'address, routes and MTU only: the firewall rules could not be listed'
  }
  return null
}

export interface Diagnosis {
  findings: Finding[]
  checks: CheckStatus[]
}

export function diagnose(obs: DoctorObservation): Diagnosis {
  const firewall = [...checkIptablesDrop(obs), ...checkNftDrop(obs)]
  const findings = [
    ...checkPrograms(obs),
    ...checkForwarding(obs),
    ...firewall,
    ...checkFirewalld(obs),
    ...checkPortHolders(obs),
    ...checkLibvirt(obs),
    ...checkBrNetfilter(obs, firewall),
    ...checkAcceptRa(obs),
    ...checkVpnClients(obs),
    ...checkUnderlay(obs),
    ...checkUnderlayFirewall(obs)
  ].sort(
    (a, b) =>
      RANK[a.severity] - RANK[b.severity] ||
      CHECK_IDS.indexOf(a.check) - CHECK_IDS.indexOf(b.check) ||
      a.id.localeCompare(b.id)
  )
  const checks: CheckStatus[] = CHECK_IDS.map((check) => {
    const skip = skipNote(check, obs)
    const has = findings.some((f) => f.check === check && f.severity !== 'info')
    return {
      check,
      title: CHECK_TITLES[check],
      status: skip ? 'skipped' : has ? 'problem' : 'ok',
      note: skip ?? (has ? null : okNote(check, obs, findings))
    }
  })
  return { findings, checks }
}

/** Findings a `--fix`/`--undo` selector names: `all`, a check id, or one finding id. */
export function selects(selector: string, item: { id: string; check: string }): boolean {
  return selector === 'all' || item.id === selector || item.check === selector
}

/** A selector is `all`, a check id, or `check/subject` of letters, digits and `_ . -`. */
export function selectorProblem(selector: string): string | null {
  if (selector === 'all') return null
  const [check, ...rest] = selector.split('/')
  if (!(CHECK_IDS as readonly string[]).includes(check))
    return `'${selector}' names no check (checks: ${CHECK_IDS.join(', ')}, or all)`
  if (rest.length > 1 || (rest.length === 1 && !/^[A-Za-z0-9_.-]{1,200}$/.test(rest[0])))
    return `'${selector}' is not a finding id`
  return null
}
