/**
 * br_netfilter with bridge-nf-call-iptables=1: frames bridged between two guests on the same bridge
 * are passed through the IPv4/IPv6 forward hooks (iptables and nftables `ip`/`inet` tables) as if
 * routed. With a forward drop there (Docker's policy) guests cannot talk to each other. Docker and
 * Kubernetes need the setting for their own bridges, so the fix (setting it to 0) is a trade-off:
 * prefer the iptables/nft fixes when Docker runs here.
 */
import type { DoctorObservation, Finding } from '../model'
import { sysctlFix } from './sysctl-fix'

export const BR_NF_KEYS = ['net.bridge.bridge-nf-call-iptables', 'net.bridge.bridge-nf-call-ip6tables'] as const

/** `others`: the findings of the firewall checks, to tell whether a forward drop is in the way. */
export function checkBrNetfilter(obs: DoctorObservation, others: readonly Finding[]): Finding[] {
  if (obs.networks.length === 0) return []
  const on = BR_NF_KEYS.filter((k) => obs.sysctls[k] === '1')
  if (on.length === 0) return []
  const forwardDrop = others.filter(
    (f) => (f.check === 'iptables-drop' && f.id.endsWith('-forward')) || f.id.startsWith('nft-drop/forward-')
  )
  const bridges = obs.networks.map((n) => n.bridge).join(', ')
  return [
    {
      id: 'br-netfilter',
      check: 'br-netfilter',
      severity: forwardDrop.length > 0 ? 'warning' : 'info',
      title:
        forwardDrop.length > 0
          ? 'br_netfilter sends guest-to-guest traffic through the forward drop too'
          : 'br_netfilter passes bridged guest traffic through iptables and nftables',
      explanation:
        `The br_netfilter module is loaded and ${on.join(', ')} = 1: frames between two guests on the same bridge (${bridges}) go ` +
        'through the IPv4/IPv6 forward hooks as if they were routed. ' +
        (forwardDrop.length > 0
          ? `With a forward drop in the way (${forwardDrop.map((f) => f.id).join(', ')}), guests cannot even reach each other. `
          : "guestnet's own table accepts it, so nothing breaks today; a forward drop added later would cut guests off from each other. ") +
        'The fix sets it to 0 in this network namespace. Trade-off: Docker and Kubernetes rely on 1 to filter between their ' +
        'containers; where they run, prefer fixing the forward drop itself and leave this as it is.',
      evidence: on.map((k) => `${k} = 1`),
      fix: { summary: `set ${on.join(' and ')} to 0`, commands: on.map((k) => sysctlFix(k, '0')) },
      advice: null
    }
  ]
}
