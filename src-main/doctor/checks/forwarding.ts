/**
 * IPv4 or IPv6 forwarding off while a network that forwards (NAT, routed, open) runs: the guests
 * reach the host and each other, nothing beyond. guestnet turns it on at start; another program
 * (a VPN client, a network manager, an admin's sysctl.conf re-applied) may have turned it off since.
 */
import type { DoctorObservation, Finding } from '../model'
import { sysctlFix } from './sysctl-fix'

const KEYS = { 4: 'net.ipv4.ip_forward', 6: 'net.ipv6.conf.all.forwarding' } as const

export function checkForwarding(obs: DoctorObservation): Finding[] {
  const out: Finding[] = []
  for (const family of [4, 6] as const) {
    const key = KEYS[family]
    const value = obs.sysctls[key]
    if (value === undefined || value === null || value !== '0') continue
    const nets = obs.networks.filter((n) => !n.isolated && (family === 4 ? n.ipv4 : n.ipv6).length > 0)
    if (nets.length === 0) continue
    const running = nets.filter((n) => n.running)
    const names = (running.length ? running : nets).map((n) => n.name).join(', ')
    if (running.length === 0) {
      out.push({
        id: `forwarding/ipv${family}`,
        check: 'forwarding',
        severity: 'info',
        title: `IPv${family} forwarding is off`,
        explanation: `${key} is 0. ${names} would need it to pass guest traffic on; guestnet turns it on when such a network starts, so nothing needs doing now.`,
        evidence: [`${key} = 0`],
        fix: null,
        advice: null
      })
      continue
    }
    out.push({
      id: `forwarding/ipv${family}`,
      check: 'forwarding',
      severity: 'error',
      title: `IPv${family} forwarding is off: guests of ${names} cannot reach beyond the host`,
      explanation:
        `${key} is 0, so the kernel does not pass the guests' IPv${family} packets on to other networks. guestnet turned it on ` +
        'when the network started; something turned it off since (a VPN client, a network manager, sysctl settings applied again). ' +
        'The fix turns it back on; undo turns it off again if it is still on.',
      evidence: [`${key} = 0`, `running: ${names}`],
      fix: { summary: `set ${key} to 1`, commands: [sysctlFix(key, '1')] },
      advice:
        'if it keeps being turned off, look for net.ipv4.ip_forward / net.ipv6.conf.all.forwarding in /etc/sysctl.conf, /etc/sysctl.d and your VPN client'
    })
  }
  return out
}
