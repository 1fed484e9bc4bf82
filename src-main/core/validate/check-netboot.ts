/**
 * Network boot: `<ip><tftp root/>` and `<dhcp><bootp file server/>`. Both end up in dnsmasq's
 * config (`tftp-root=`, `dhcp-boot=`), which dnsmasq reads as root, so their text is held to a
 * strict character set: a `,` would add fields (`tftp-root=DIR,IFACE`, `dhcp-boot=FILE,NAME,ADDR`),
 * a quote, `#`, blank or newline would change the line or start a new option.
 */
import { specialRangeOf } from '../host/special-ranges'
import type { NetworkDef } from '../model/network'
import { cidrContainsIp, cidrOf, formatCidr, lastIp } from '../net/cidr'
import { parseIPv4 } from '../net/ip'
import type { CheckedIp } from './check-ips'
import type { Problems } from './problems'
import { firstBadChar, printable } from './syntax'

const PATH_CHAR = /^[A-Za-z0-9._+@:~/-]$/
const PATH_CHARS_TEXT = "letters, digits, '/' and . _ - + @ : ~"

/**
 * Directories a TFTP root may not be or lie in. dnsmasq serves every world-readable file under
 * the root to any guest, so these would hand host state (or guestnet's own) to the guests.
 */
const NOT_SERVED: readonly (readonly [string, string])[] = [
  ['/etc', "the host's configuration"],
  ['/root', "root's home"],
  ['/proc', 'kernel and process state'],
  ['/sys', 'kernel state'],
  ['/dev', 'device files'],
  ['/boot', "the host's kernels and boot loader"],
  ['/run', "run-time state, guestnet's own included"],
  ['/var/run', "run-time state, guestnet's own included"],
  ['/var/lib/guestnet', "guestnet's leases and state"]
]

const ROOT_FIX = 'serve a directory that holds only boot files, e.g. /srv/tftp or /var/lib/tftpboot'

/** Why `root` is not a usable TFTP root directory, or null. */
export function tftpRootProblem(root: string): string | null {
  if (root.length === 0) return 'the TFTP root is empty'
  if (!root.startsWith('/')) return `'${printable(root)}' is not an absolute path`
  const bad = firstBadChar(root, PATH_CHAR)
  if (bad) return `${bad} is not allowed in a TFTP root (allowed: ${PATH_CHARS_TEXT})`
  if (root === '/') return "'/' would give every guest read access to every world-readable file of the host"
  const segments = root.slice(1).split('/')
  if (segments.some((s) => s === '')) return `'${root}' is not a normalised path (doubled or trailing '/')`
  if (segments.some((s) => s === '.' || s === '..')) return `'${root}' is not a normalised path ('.' or '..' in it)`
  for (const [dir, what] of NOT_SERVED) {
    if (root === dir) return `${root} holds ${what}: every guest could read it over TFTP`
    if (root.startsWith(`${dir}/`)) return `${root} is inside ${dir} (${what}): every guest could read it over TFTP`
  }
  return null
}

/** The BOOTP header's `file` field holds 128 bytes, the last one a NUL. */
export const MAX_BOOT_FILE_LENGTH = 127
const FILE_CHAR = /^[A-Za-z0-9._+@:~/=?&%-]$/

/** Why `file` is not a usable boot file name (`pxelinux.0`, `efi/grubx64.efi`, an iPXE URL), or null. */
export function bootFileProblem(file: string): string | null {
  if (file.length === 0) return 'the boot file name is empty'
  const bad = firstBadChar(file, FILE_CHAR)
  if (bad) return `${bad} is not allowed in a boot file name (allowed: letters, digits and . _ - + / : @ ~ = ? & %)`
  if (file.length > MAX_BOOT_FILE_LENGTH)
    return `the boot file name is ${file.length} characters long; the BOOTP file field holds at most ${MAX_BOOT_FILE_LENGTH}`
  // dnsmasq's dhcp-boot= reads a leading tag:/net: as a tag to match, not as the file.
  if (/^(tag|net):/i.test(file))
    return `a boot file name starting with '${file.slice(0, 4)}' would be read by dnsmasq as a tag`
  if (file.split('/').includes('..')) return "'..' in a boot file name: the TFTP server will not leave its root"
  return null
}

export function checkNetboot(def: NetworkDef, checked: readonly CheckedIp[], p: Problems): void {
  let tftpAt: string | undefined
  def.ips.forEach((ip, index) => {
    const path = `ip[${index}]`
    if (ip.tftp) {
      if (ip.family !== 'ipv4') {
        p.add(
          `${path}.tftp`,
          'TFTP is served over IPv4 only (libvirt refuses <tftp> on an IPv6 <ip> too)',
          'move <tftp> to the IPv4 <ip>, or remove it'
        )
      } else if (tftpAt !== undefined) {
        p.add(
          `${path}.tftp`,
          `only one <ip> of a network may have <tftp>; ${tftpAt} has one already`,
          `keep a single <tftp root=…/>, on ${tftpAt}`
        )
      } else {
        tftpAt = path
      }
      const problem = tftpRootProblem(ip.tftp.root)
      if (problem) p.add(`${path}.tftp.root`, problem, ROOT_FIX)
    }
    const bootp = ip.dhcp?.bootp
    if (!bootp) return
    const at = `${path}.dhcp.bootp`
    if (ip.family !== 'ipv4') {
      p.add(
        at,
        'BOOTP/PXE boot options exist for IPv4 only',
        'move <bootp> into the <dhcp> of the IPv4 <ip>, or remove it'
      )
    } else if ((ip.dhcp?.ranges.length ?? 0) === 0 && (ip.dhcp?.hosts.length ?? 0) === 0) {
      p.add(
        at,
        '<bootp> does nothing without DHCP: this <dhcp> has no <range> and no <host>',
        "add a <range start='…' end='…'/> to this <dhcp>, or remove <bootp>"
      )
    }
    const fileProblem = bootFileProblem(bootp.file)
    if (fileProblem)
      p.add(`${at}.file`, fileProblem, "give the file's path below the TFTP root, e.g. file='pxelinux.0'")
    if (bootp.server !== undefined) {
      const problem = bootServerProblem(
        bootp.server,
        checked.find((c) => c.index === index)
      )
      if (problem)
        p.add(
          `${at}.server`,
          problem,
          "give the TFTP server's IPv4 address, e.g. server='192.168.122.1', or remove server= to use the host"
        )
    }
  })
}

function bootServerProblem(server: string, ip: CheckedIp | undefined): string | null {
  const addr = parseIPv4(server)
  if (!addr) return `'${printable(server)}' is not an IPv4 address`
  const special = specialRangeOf(cidrOf(addr, 32))
  if (special) return `${server} is a ${special.what} address (${special.text}), not a server guests can reach`
  if (ip && ip.family === 4 && ip.config.prefix <= 30 && cidrContainsIp(ip.subnet, addr)) {
    if (addr.value === ip.subnet.network) return `${server} is the network address of ${formatCidr(ip.subnet)}`
    if (addr.value === lastIp(ip.subnet).value) return `${server} is the broadcast address of ${formatCidr(ip.subnet)}`
  }
  return null
}
