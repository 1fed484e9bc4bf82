/** libvirt network XML for the namespace tests, built from a few fields. */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface TestNetwork {
  name: string
  bridge: string
  /** `none` is isolated (no `<forward>`). */
  mode: 'nat' | 'route' | 'none'
  /** IPv4 gateway address with prefix, e.g. `192.168.150.1/24`; DHCP from .10 to .99. */
  ipv4?: string
  /** IPv6 gateway address with prefix (SLAAC by router advertisements), e.g. `fd42:1:2:3::1/64`. */
  ipv6?: string
  domain?: string
  /** `<forward dev=…>`. */
  dev?: string
}

function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;')
}

/** The subnet's base (`192.168.150.1/24` → `192.168.150.`), for /24 test subnets only. */
export function ipv4Base(ipv4: string): string {
  const [address, prefix] = ipv4.split('/')
  if (prefix !== '24') throw new Error(`test networks use /24 IPv4 subnets, got ${ipv4}`)
  return address.split('.').slice(0, 3).join('.') + '.'
}

export function networkXml(n: TestNetwork): string {
  const lines = ['<network>', `  <name>${escapeAttr(n.name)}</name>`, `  <bridge name='${escapeAttr(n.bridge)}'/>`]
  if (n.mode !== 'none') lines.push(`  <forward mode='${n.mode}'${n.dev ? ` dev='${escapeAttr(n.dev)}'` : ''}/>`)
  if (n.domain) lines.push(`  <domain name='${escapeAttr(n.domain)}'/>`)
  if (n.ipv4) {
    const [address, prefix] = n.ipv4.split('/')
    const base = ipv4Base(n.ipv4)
    lines.push(
      `  <ip address='${address}' prefix='${prefix}'>`,
      `    <dhcp>`,
      `      <range start='${base}10' end='${base}99'/>`,
      `    </dhcp>`,
      `  </ip>`
    )
  }
  if (n.ipv6) {
    const [address, prefix] = n.ipv6.split('/')
    lines.push(`  <ip family='ipv6' address='${address}' prefix='${prefix}'/>`)
  }
  lines.push('</network>')
  return `${lines.join('\n')}\n`
}

/** Writes the XML into `dir` and returns the file's path. */
export async function writeNetworkXml(dir: string, n: TestNetwork): Promise<string> {
  const file = join(dir, `${n.name}.xml`)
  await writeFile(file, networkXml(n))
  return file
}
