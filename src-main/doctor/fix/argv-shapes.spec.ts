import { describe, expect, it } from 'vitest'

import { checkIptablesDrop } from '../checks/iptables-drop'
import { checkFirewalld } from '../checks/firewalld'
import { DOCKER_IPTABLES, observation, UFW_IPTABLES } from '../../../test/unit-support/observation.fixture'
import { undoArgvProblem } from './argv-shapes'
import { rulesFromEcho, undoOfFact } from './fix-facts'

describe('undo argv shapes', () => {
  it('accepts every undo the checks produce', () => {
    const obs = observation({
      iptables: [
        { family: 4, backend: 'nft', program: 'iptables-nft', rules: UFW_IPTABLES },
        { family: 4, backend: 'legacy', program: 'iptables-legacy', rules: '-P FORWARD DROP\n-N DOCKER\n' },
        { family: 6, backend: 'nft', program: 'ip6tables-nft', rules: DOCKER_IPTABLES }
      ],
      firewalld: {
        state: 'running',
        note: null,
        defaultZone: 'public',
        zones: [],
        interfaceZones: { virbr0: 'work' },
        zoneInfo: {}
      }
    })
    const undos = [...checkIptablesDrop(obs), ...checkFirewalld(obs)]
      .flatMap((f) => f.fix?.commands ?? [])
      .flatMap((c) => (c.undo ? [c.undo] : []))
    expect(undos.length).toBeGreaterThan(8)
    for (const u of undos) expect(undoArgvProblem(u)).toBeNull()
    const nft = undoOfFact({
      kind: 'nft-rules',
      rules: rulesFromEcho(
        '{"nftables":[{"insert":{"rule":{"family":"inet","table":"k","chain":"forward","handle":3}}}]}'
      )
    })
    expect(undoArgvProblem(nft[0])).toBeNull()
    expect(undoArgvProblem(['@sysctl-restore', 'net.ipv4.ip_forward'])).toBeNull()
  })

  it('refuses anything else a tampered record could hold', () => {
    const refused = [
      ['nft', 'flush', 'ruleset'],
      ['nft', '-j', '{"nftables":[{"flush":{"ruleset":null}}]}'],
      ['nft', '-j', '{"nftables":[{"delete":{"table":{"family":"inet","name":"x"}}}]}'],
      ['nft', '-j', '{"nftables":[{"delete":{"rule":{"family":"inet","table":"x","chain":"c","handle":"1"}}}]}'],
      ['iptables-nft', '-F'],
      ['iptables-nft', '-P', 'FORWARD', 'ACCEPT'],
      ['iptables-nft', '-D', 'FORWARD', '-j', 'DROP'],
      ['iptables-nft', '-X', 'DOCKER'],
      ['iptables-nft', '-D', 'INPUT', '-i', 'x;y', '-j', 'ACCEPT'],
      ['firewall-cmd', '--panic-on'],
      ['firewall-cmd', '--zone=trusted', '--add-interface=eth0'],
      ['@sysctl-restore', 'kernel.modprobe'],
      ['@sysctl-restore', 'net.ipv4.ip_forward', '/bin/sh'],
      ['@sysctl', 'net.ipv4.ip_forward', '1'],
      ['ip', 'link', 'del', 'eth0'],
      ['sh', '-c', 'id']
    ]
    for (const argv of refused) expect(undoArgvProblem(argv), argv.join(' ')).not.toBeNull()
  })
})
