/** The programs guestnet runs, and the Debian package to install when one is missing. */
import type { DoctorObservation, Finding } from '../model'

export const REQUIRED_PROGRAMS: Record<string, string> = { ip: 'iproute2', nft: 'nftables', dnsmasq: 'dnsmasq-base' }

export function checkPrograms(obs: DoctorObservation): Finding[] {
  const missing = Object.keys(REQUIRED_PROGRAMS).filter((p) => obs.programs[p] === null)
  if (missing.length === 0) return []
  const pkgs = [...new Set(missing.map((p) => REQUIRED_PROGRAMS[p]))]
  return [
    {
      id: 'programs',
      check: 'programs',
      severity: 'error',
      title: `missing program${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
      explanation:
        'guestnet builds its networks with ip (bridges and addresses), nft (the firewall) and dnsmasq (DHCP and DNS). ' +
        `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not installed in /usr/sbin, /usr/bin, /sbin or /bin, so networks cannot start.`,
      evidence: missing.map((p) => `${p}: not found`),
      fix: null,
      advice: `install the Debian package${pkgs.length > 1 ? 's' : ''} ${pkgs.join(' ')}: apt-get install ${pkgs.join(' ')}`
    }
  ]
}
