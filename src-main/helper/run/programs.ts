/**
 * The only programs the helper runs, where it looks for them, and the Debian package that ships
 * each one (so a missing program is an error that says what to install).
 */
import { statSync } from 'node:fs'

import { HelperError } from '../../contract/helper-protocol'

export const PROGRAM_PACKAGES = {
  ip: 'iproute2',
  // A bridge port's kernel isolation flag (`<port isolated>` without nft bridge meta).
  bridge: 'iproute2',
  nft: 'nftables',
  dnsmasq: 'dnsmasq-base',
  // The doctor only (src-main/doctor): listing and narrowly fixing other programs' firewalls.
  'iptables-nft': 'iptables',
  'ip6tables-nft': 'iptables',
  'iptables-legacy': 'iptables',
  'ip6tables-legacy': 'iptables',
  'firewall-cmd': 'firewalld',
  // firewalld's D-Bus API: a network's bridge into its zone (run/firewalld-bus.ts).
  'dbus-send': 'dbus-bin',
  // Registering a network's DNS with systemd-resolved (helper/ops/resolved.ts).
  resolvectl: 'systemd-resolved',
  // The warm service: which socket is on the other end of a connection (service/peer-creds.ts).
  ss: 'iproute2'
} as const
export type ProgramName = keyof typeof PROGRAM_PACKAGES

/** Searched in this order; never $PATH. */
export const PROGRAM_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'] as const

export function isProgramName(name: string): name is ProgramName {
  return Object.hasOwn(PROGRAM_PACKAGES, name)
}

export interface ProgramFileInfo {
  isFile: boolean
  mode: number
  uid: number
}

export type ProbeFile = (path: string) => ProgramFileInfo | null

function probeFile(path: string): ProgramFileInfo | null {
  try {
    const st = statSync(path)
    return { isFile: st.isFile(), mode: st.mode, uid: st.uid }
  } catch {
    return null
  }
}

const cache = new Map<string, string>()

/**
 * The absolute path of an allowed program. Refuses names outside the list, and binaries that a
 * non-root user could have replaced (not owned by root, or writable by group or others).
 */
export function resolveProgram(name: string, probe: ProbeFile = probeFile): string {
  if (!isProgramName(name)) {
    throw new HelperError(
      'INTERNAL',
      `refusing to run '${name}': the helper runs only ${Object.keys(PROGRAM_PACKAGES).join(', ')}`
    )
  }
  const cached = probe === probeFile ? cache.get(name) : undefined
  if (cached) return cached
  for (const dir of PROGRAM_DIRS) {
    const path = `${dir}/${name}`
    const info = probe(path)
    if (!info || !info.isFile || (info.mode & 0o111) === 0) continue
    if (info.uid !== 0 || (info.mode & 0o022) !== 0) {
      throw new HelperError(
        'MISSING_PROGRAM',
        `refusing to run ${path}: it is not owned by root or is writable by others`,
        {
          fix: `reinstall the Debian package ${PROGRAM_PACKAGES[name]}`
        }
      )
    }
    if (probe === probeFile) cache.set(name, path)
    return path
  }
  const pkg = PROGRAM_PACKAGES[name]
  throw new HelperError('MISSING_PROGRAM', `${name} is not installed (looked in ${PROGRAM_DIRS.join(', ')})`, {
    fix: `install the Debian package ${pkg}: apt-get install ${pkg}`
  })
}
