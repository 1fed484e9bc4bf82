/** A definition that passes every rule, for tests to break one rule at a time. */
import type { NetworkDef } from '../../src-main/core/model/network'

export function validDef(): NetworkDef {
  return {
    name: 'lab',
    uuid: '3e3fce45-4f53-4fa7-bb32-11f34168b82b',
    title: 'Lab network',
    description: 'For tests.\nTwo lines.',
    forward: {
      mode: 'nat',
      dev: 'eth0',
      nat: { addressStart: '203.0.113.10', addressEnd: '203.0.113.20', portStart: 1024, portEnd: 65535 }
    },
    bridge: { name: 'virbr1', stp: true, delay: 0 },
    mac: '52:54:00:12:34:56',
    mtu: 1500,
    domain: { name: 'lab.lan', localOnly: true },
    dns: {
      forwarders: [{ addr: '192.0.2.53' }, { domain: 'corp.example', addr: '2001:db8::53' }],
      hosts: [{ ip: '192.168.123.10', hostnames: ['db', 'db.lab.lan'] }],
      srvs: [
        {
          service: 'ldap',
          protocol: 'tcp',
          domain: 'lab.lan',
          target: 'db.lab.lan',
          port: 389,
          priority: 10,
          weight: 5
        }
      ],
      txts: [{ name: '_info', value: 'lab network (v2)' }]
    },
    ips: [
      {
        family: 'ipv4',
        address: '192.168.123.1',
        prefix: 24,
        tftp: { root: '/srv/tftp' },
        dhcp: {
          ranges: [{ start: '192.168.123.2', end: '192.168.123.254', lease: { expiry: 1, unit: 'hours' } }],
          hosts: [
            { mac: '52:54:00:AA:BB:CC', name: 'db', ip: '192.168.123.10' },
            { mac: '52:54:00:aa:bb:cd', name: 'web', ip: '192.168.123.11', lease: { expiry: 0, unit: 'minutes' } }
          ],
          bootp: { file: 'pxelinux.0', server: '192.0.2.69' }
        }
      },
      {
        family: 'ipv6',
        address: 'fd12:3456:789a:1::1',
        prefix: 64,
        dhcp: {
          ranges: [{ start: 'fd12:3456:789a:1::100', end: 'fd12:3456:789a:1::1ff' }],
          hosts: [{ id: '0:3:0:1:52:54:0:aa:bb:cc', name: 'db', ip: 'fd12:3456:789a:1::10' }]
        }
      }
    ]
  }
}
