import { describe, expect, it } from 'vitest'

import {
  DOCKER_IPTABLES,
  dualStackNetwork,
  natNetwork,
  observation,
  UFW_IPTABLES
} from '../../../test/unit-support/observation.fixture'
import type { ObservedIptables } from '../model'
import { checkIptablesDrop } from './iptables-drop'

const view = (rules: string, over: Partial<ObservedIptables> = {}): ObservedIptables => ({
  family: 4,
  backend: 'nft',
  program: 'iptables-nft',
  rules,
  ...over
})
const C = ['-m', 'comment', '--comment', 'guestnet-doctor', '-j', 'ACCEPT']

describe('iptables-drop', () => {
  it("finds Docker's FORWARD DROP and fixes it in DOCKER-USER, narrowly", () => {
    const [f] = checkIptablesDrop(observation({ iptables: [view(DOCKER_IPTABLES)] }))
    expect(f).toMatchObject({ id: 'iptables-drop/ipv4-nft-forward', check: 'iptables-drop', severity: 'error' })
    expect(f.title).toMatch(/^Docker's iptables FORWARD policy DROP/)
    expect(f.explanation).toMatch(/a drop in any table wins/)
    expect(f.fix?.commands).toEqual([
      {
        argv: ['iptables-nft', '-I', 'DOCKER-USER', '-i', 'virbr0', ...C],
        undo: ['iptables-nft', '-D', 'DOCKER-USER', '-i', 'virbr0', ...C]
      },
      {
        argv: ['iptables-nft', '-I', 'DOCKER-USER', '-o', 'virbr0', ...C],
        undo: ['iptables-nft', '-D', 'DOCKER-USER', '-o', 'virbr0', ...C]
      }
    ])
    // The policy itself is never touched.
    expect(f.fix?.commands.flatMap((c) => c.argv)).not.toContain('-P')
  })

  it('creates DOCKER-USER and its jump the way Docker does when they are missing', () => {
    const rules = '-P FORWARD DROP\n-N DOCKER\n-A FORWARD -o docker0 -j DOCKER\n'
    const [f] = checkIptablesDrop(
      observation({ iptables: [view(rules, { backend: 'legacy', program: 'iptables-legacy' })] })
    )
    expect(f.id).toBe('iptables-drop/ipv4-legacy-forward')
    expect(f.fix?.commands.slice(0, 3)).toEqual([
      { argv: ['iptables-legacy', '-N', 'DOCKER-USER'], undo: ['iptables-legacy', '-X', 'DOCKER-USER'] },
      {
        argv: ['iptables-legacy', '-A', 'DOCKER-USER', '-j', 'RETURN'],
        undo: ['iptables-legacy', '-D', 'DOCKER-USER', '-j', 'RETURN']
      },
      {
        argv: ['iptables-legacy', '-I', 'FORWARD', '-j', 'DOCKER-USER'],
        undo: ['iptables-legacy', '-D', 'FORWARD', '-j', 'DOCKER-USER']
      }
    ])
  })

  it('without Docker, puts the accept rules at the top of FORWARD', () => {
    const [f] = checkIptablesDrop(observation({ iptables: [view('-P FORWARD DROP\n')] }))
    expect(f.title).toMatch(/^iptables FORWARD policy DROP/)
    expect(f.fix?.commands.map((c) => c.argv.slice(0, 5))).toEqual([
      ['iptables-nft', '-I', 'FORWARD', '-i', 'virbr0'],
      ['iptables-nft', '-I', 'FORWARD', '-o', 'virbr0']
    ])
  })

  it('finds nothing once our bridge is let through (by us or by the admin), or with no network', () => {
    const fixed = `${DOCKER_IPTABLES}-A DOCKER-USER -i virbr0 -j ACCEPT\n-A DOCKER-USER -o virbr0 -j ACCEPT\n`
    expect(checkIptablesDrop(observation({ iptables: [view(fixed)] }))).toEqual([])
    expect(checkIptablesDrop(observation({ iptables: [view(DOCKER_IPTABLES)], networks: [] }))).toEqual([])
    expect(checkIptablesDrop(observation({ iptables: [view('-P FORWARD ACCEPT\n')] }))).toEqual([])
  })

  it('only adds what is missing', () => {
    const half = `${DOCKER_IPTABLES}-A DOCKER-USER -o virbr0 -j ACCEPT\n`
    const [f] = checkIptablesDrop(observation({ iptables: [view(half)] }))
    expect(f.fix?.commands).toHaveLength(1)
    expect(f.fix?.commands[0].argv).toContain('-i')
  })

  it('is a warning when the network is only defined, not running', () => {
    const [f] = checkIptablesDrop(
      observation({ networks: [natNetwork({ running: false })], iptables: [view(DOCKER_IPTABLES)] })
    )
    expect(f.severity).toBe('warning')
  })

  it("finds ufw's INPUT DROP and accepts only DHCP and DNS from the bridge", () => {
    const found = checkIptablesDrop(observation({ iptables: [view(UFW_IPTABLES)] }))
    expect(found.map((f) => f.id)).toEqual(['iptables-drop/ipv4-nft-forward', 'iptables-drop/ipv4-nft-input'])
    const input = found[1]
    expect(input.title).toMatch(/^ufw's iptables INPUT policy DROP/)
    expect(input.fix?.commands.map((c) => c.argv)).toEqual([
      ['iptables-nft', '-I', 'INPUT', '-i', 'virbr0', '-p', 'udp', '--dport', '67', ...C],
      ['iptables-nft', '-I', 'INPUT', '-i', 'virbr0', '-p', 'udp', '--dport', '53', ...C],
      ['iptables-nft', '-I', 'INPUT', '-i', 'virbr0', '-p', 'tcp', '--dport', '53', ...C]
    ])
    expect(input.advice).toMatch(/ufw allow/)
  })

  it('counts a port accepted for every interface as accepted', () => {
    const rules =
      '-P INPUT DROP\n-A INPUT -p udp -m udp --dport 67 -j ACCEPT\n-A INPUT -i virbr0 -p udp --dport 53 -j ACCEPT\n-A INPUT -i eth0 -p tcp --dport 53 -j ACCEPT\n'
    const [f] = checkIptablesDrop(observation({ iptables: [view(rules)] }))
    expect(f.evidence).toEqual(['iptables-nft -S: -P INPUT DROP', 'nothing accepts DNS over TCP (tcp 53) from virbr0'])
  })

  it('for IPv6: DHCPv6, DNS and neighbour discovery', () => {
    const [f] = checkIptablesDrop(
      observation({
        networks: [dualStackNetwork()],
        iptables: [view('-P INPUT DROP\n', { family: 6, program: 'ip6tables-nft' })]
      })
    )
    expect(f.id).toBe('iptables-drop/ipv6-nft-input')
    const argvs = f.fix?.commands.map((c) => c.argv.slice(3, c.argv.indexOf('-m')).join(' '))
    expect(argvs).toEqual([
      '-i virbr1 -p udp --dport 547',
      '-i virbr1 -p udp --dport 53',
      '-i virbr1 -p tcp --dport 53',
      '-i virbr1 -p ipv6-icmp --icmpv6-type router-solicitation',
      '-i virbr1 -p ipv6-icmp --icmpv6-type neighbour-solicitation',
      '-i virbr1 -p ipv6-icmp --icmpv6-type neighbour-advertisement'
    ])
  })
})

describe('iptables-drop per family', () => {
  it('does not ask IPv6 iptables for an IPv4-only network', () => {
    expect(
      checkIptablesDrop(observation({ iptables: [view(DOCKER_IPTABLES, { family: 6, program: 'ip6tables-nft' })] }))
    ).toEqual([])
    const [f] = checkIptablesDrop(
      observation({
        networks: [dualStackNetwork()],
        iptables: [view(DOCKER_IPTABLES, { family: 6, program: 'ip6tables-nft' })]
      })
    )
    expect(f.id).toBe('iptables-drop/ipv6-nft-forward')
  })
})
