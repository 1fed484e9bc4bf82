/**
 * An uplink whose IPv6 routes come from router advertisements while forwarding is on: with
 * accept_ra=1 the kernel ignores RAs on a forwarding host, so when the learned default route
 * expires the host itself loses IPv6. accept_ra=2 keeps accepting them. guestnet sets it on the
 * uplinks it sees at start; an uplink that appears later (a laptop moving networks) needs it too.
 */
import type { DoctorObservation, Finding } from '../model'
import { sysctlFix } from './sysctl-fix'

/** `net.ipv6.conf.<if>.<leaf>`, in sysctl's slash form for names with a dot (core/plan/sysctl-plan.ts). */
export function confKey(ifname: string, leaf: string): string {
  return ifname.includes('.') ? `net/ipv6/conf/${ifname}/${leaf}` : `net.ipv6.conf.${ifname}.${leaf}`
}

/** Interfaces holding IPv6 routes learned from RAs, our bridges left out. */
export function raUplinkNames(obs: Pick<DoctorObservation, 'routes' | 'networks'>): string[] {
  const ours = new Set(obs.networks.map((n) => n.bridge))
  const devs = new Set<string>()
  for (const r of obs.routes) if (r.family === 6 && r.protocol === 'ra' && r.dev && !ours.has(r.dev)) devs.add(r.dev)
  return [...devs].sort()
}

export function checkAcceptRa(obs: DoctorObservation): Finding[] {
  const out: Finding[] = []
  const allForwarding = obs.sysctls['net.ipv6.conf.all.forwarding'] === '1'
  for (const dev of raUplinkNames(obs)) {
    const raKey = confKey(dev, 'accept_ra')
    const accept = obs.sysctls[raKey]
    const forwarding = allForwarding || obs.sysctls[confKey(dev, 'forwarding')] === '1'
    if (!forwarding || accept !== '1') continue
    out.push({
      id: `accept-ra/${dev}`,
      check: 'accept-ra',
      severity: 'warning',
      title: `${dev} will stop taking router advertisements: the host would lose its IPv6 route`,
      explanation:
        `${dev} learned its IPv6 routes from router advertisements, and IPv6 forwarding is on (guestnet needs it for the guests). ` +
        `With accept_ra=1 a forwarding host ignores new advertisements, so when the learned routes expire the host loses IPv6 on ${dev}. ` +
        'The fix sets accept_ra to 2 (accept them even while forwarding); undo sets it back to 1.',
      evidence: [`${raKey} = 1`, 'IPv6 forwarding = 1', `routes with proto ra on ${dev}`],
      fix: { summary: `set ${raKey} to 2`, commands: [sysctlFix(raKey, '2')] },
      advice: null
    })
  }
  return out
}
