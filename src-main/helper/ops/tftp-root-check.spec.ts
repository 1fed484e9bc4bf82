import { describe, expect, it } from 'vitest'

import type { Account, DirFacts } from './dnsmasq-reach'
import type { TftpRootFacts } from './tftp-root-check'
import { canList, tftpRootRefusal } from './tftp-root-check'

const dnsmasq: Account = { name: 'dnsmasq', uid: 107, gids: [65534] }
const dir = (path: string, mode: number, uid = 0, gid = 0): DirFacts => ({ path, mode: 0o040000 | mode, uid, gid })
const OWN = ['/etc/guestnet', '/var/lib/guestnet', '/run/guestnet']
const facts = (real: string | null, modes: number[] = [], isDirectory = true): TftpRootFacts => {
  const paths =
    real === null
      ? []
      : [
          '/',
          ...real
            .slice(1)
            .split('/')
            .map((_, i, a) => `/${a.slice(0, i + 1).join('/')}`)
        ]
  return { real, isDirectory, dirs: paths.map((p, i) => dir(p, modes[i] ?? 0o755)) }
}

describe('tftpRootRefusal', () => {
  it('accepts a directory dnsmasq can enter and list', () => {
    expect(tftpRootRefusal('/srv/tftp', facts('/srv/tftp'), OWN, dnsmasq)).toBeNull()
  })

  it('refuses what is missing or not a directory', () => {
    expect(tftpRootRefusal('/srv/tftp', facts(null), OWN, dnsmasq)).toBe('/srv/tftp does not exist')
    expect(tftpRootRefusal('/srv/pxe.img', facts('/srv/pxe.img', [], false), OWN, dnsmasq)).toBe(
      '/srv/pxe.img is not a directory'
    )
  })

  it('follows symlinks: a link into /etc or into guestnet’s own directories is refused', () => {
    expect(tftpRootRefusal('/srv/tftp', facts('/etc/ssh'), OWN, dnsmasq)).toMatch(
      /^\/srv\/tftp \(really \/etc\/ssh\): .*inside \/etc/
    )
    expect(
      tftpRootRefusal(
        '/tmp/x',
        facts('/tmp/r/var/lib/guestnet'),
        ['/tmp/r/etc/guestnet', '/tmp/r/var/lib/guestnet', '/tmp/r/run/guestnet'],
        dnsmasq
      )
    ).toMatch(/guestnet's own files \(\/tmp\/r\/var\/lib\/guestnet\)/)
    // a parent of guestnet's directories would serve them too
    expect(tftpRootRefusal('/tmp/r', facts('/tmp/r'), ['/tmp/r/etc/guestnet'], dnsmasq)).toMatch(/guestnet's own files/)
  })

  it('refuses a directory dnsmasq cannot reach or read, naming where it stops', () => {
    expect(tftpRootRefusal('/home/a/tftp', facts('/home/a/tftp', [0o755, 0o755, 0o700, 0o755]), OWN, dnsmasq)).toBe(
      "dnsmasq runs as 'dnsmasq' and cannot enter /home/a on the way to /home/a/tftp"
    )
    expect(tftpRootRefusal('/srv/tftp', facts('/srv/tftp', [0o755, 0o755, 0o711]), OWN, dnsmasq)).toBe(
      "dnsmasq runs as 'dnsmasq' and cannot read /srv/tftp"
    )
  })

  it('reads list permission by owner, group, then others', () => {
    expect(canList(dir('/d', 0o500, 107), dnsmasq)).toBe(true)
    expect(canList(dir('/d', 0o055, 107), dnsmasq)).toBe(false)
    expect(canList(dir('/d', 0o750, 0, 65534), dnsmasq)).toBe(true)
    expect(canList(dir('/d', 0o705, 0, 65534), dnsmasq)).toBe(false)
    expect(canList(dir('/d', 0o705), dnsmasq)).toBe(true)
  })
})
