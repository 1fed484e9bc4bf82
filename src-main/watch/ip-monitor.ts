/**
 * `ip -o monitor label link route address rule` as a stream of lines: links (an MTU change), every routing table (VPN policy
 * tables included, since netlink reports all of them), every address, every policy rule. In a
 * namespace: `ip -n NS …`. Read-only; works without root in the caller's own namespace.
 */
import { netnsNameProblem } from '../core/net/netns-name'

export function ipMonitorArgv(netns?: string): string[] {
  const problem = netns === undefined ? null : netnsNameProblem(netns)
  if (problem !== null) throw new Error(problem)
  // `link` too: an uplink's MTU changes without any route or address event.
  return [
    'ip',
    ...(netns !== undefined ? ['-n', netns] : []),
    '-o',
    'monitor',
    'label',
    'link',
    'route',
    'address',
    'rule'
  ]
}
