import { describe, expect, it } from 'vitest'

import { natNetwork, observation } from '../../../test/unit-support/observation.fixture'
import type { ObservedSocket } from '../model'
import { checkPortHolders } from './port-holder'

const sock = (over: Partial<ObservedSocket>): ObservedSocket => ({
  proto: 'udp',
  family: 4,
  address: '0.0.0.0',
  port: 67,
  inode: 1,
  pid: 4242,
  program: 'dnsmasq',
  cmdline: '/usr/sbin/dnsmasq --conf-file=/etc/dnsmasq.conf',
  ours: false,
  ...over
})

describe('port-holder', () => {
  it('names another DHCP server on every address, with what to change', () => {
    const [f] = checkPortHolders(observation({ sockets: [sock({})] }))
    expect(f).toMatchObject({ id: 'port-holder/udp-67', severity: 'error', fix: null })
    expect(f.evidence).toEqual([
      'udp 0.0.0.0:67 held by dnsmasq (pid 4242): /usr/sbin/dnsmasq --conf-file=/etc/dnsmasq.conf'
    ])
    expect(f.advice).toMatch(/bind-interfaces and except-interface=virbr0/)
  })

  it('DNS: an error on the bridge address, a warning on every address', () => {
    const found = checkPortHolders(
      observation({
        sockets: [
          sock({ port: 53, address: '192.168.150.1', program: 'named', cmdline: null, pid: 7 }),
          sock({
            proto: 'tcp',
            family: 6,
            port: 53,
            address: '::',
            program: 'node',
            cmdline: 'node blocker.mjs 53',
            pid: 8
          })
        ]
      })
    )
    expect(found.map((f) => [f.id, f.severity])).toEqual([
      ['port-holder/udp-53', 'error'],
      ['port-holder/tcp-53', 'warning']
    ])
    expect(found[1].evidence[0]).toBe('tcp [::]:53 held by node (pid 8): node blocker.mjs 53')
  })

  it('ignores our own dnsmasq, loopback listeners, other addresses and unused ports', () => {
    const sockets = [
      sock({ ours: true }),
      sock({ port: 53, address: '127.0.0.53', program: 'systemd-resolve' }),
      sock({ port: 53, address: '192.168.1.23' }),
      sock({ port: 547, family: 6, address: '::' })
    ]
    expect(checkPortHolders(observation({ sockets }))).toEqual([])
    expect(checkPortHolders(observation({ sockets: [sock({})], networks: [natNetwork({ dhcp4: false })] }))).toEqual([])
  })

  it('says who to ask when the owner is unknown', () => {
    const [f] = checkPortHolders(observation({ sockets: [sock({ pid: null, program: null, cmdline: null })] }))
    expect(f.evidence[0]).toMatch(/an unknown program \(run as root to see which\)/)
  })
})
