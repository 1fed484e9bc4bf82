import { describe, expect, it } from 'vitest'

import { networkPaths } from './network-paths'
import type { RenumberStepsInput } from './renumber-steps'
import { nftReplace, renumberSteps } from './renumber-steps'

const paths = networkPaths({ runtimeDir: '/run/guestnet', stateDir: '/var/lib/guestnet' }, 'lab')
const input: RenumberStepsInput = {
  bridge: 'virbr1',
  family: 4,
  newAddresses: [{ address: '10.122.0.1', prefix: 24 }],
  oldAddresses: [{ address: '192.168.122.1', prefix: 24 }],
  paths,
  newArtifacts: {
    'ip.batch': 'NEW-IP',
    nft: 'NEW-NFT',
    'dnsmasq.conf': 'NEW-CONF',
    hostsfile: 'NEW-HOSTS',
    addnhosts: ''
  },
  oldFiles: {
    'ip.batch': 'OLD-IP',
    nft: 'OLD-NFT',
    'dnsmasq.conf': 'OLD-CONF',
    hostsfile: 'OLD-HOSTS',
    addnhosts: null
  },
  tables: [{ family: 'inet', name: 'guestnet_lab' }],
  dnsmasq: true
}

describe('renumberSteps', () => {
  const { steps, artifacts, scratch } = renumberSteps(input)

  it('keeps the bridge: stop dnsmasq, files, addresses, firewall, start dnsmasq; never a link add or del', () => {
    expect(steps.map((s) => s.id)).toEqual(['dnsmasq-stop', 'files', 'addresses', 'firewall', 'dnsmasq'])
    const all = steps.flatMap((s) => [...s.apply, ...s.rollback])
    expect(all.some((a) => a.includes('link'))).toBe(false)
    expect(steps[2].apply).toEqual([
      ['ip', '-4', 'addr', 'flush', 'dev', 'virbr1'],
      ['ip', 'addr', 'add', '10.122.0.1/24', 'broadcast', '+', 'dev', 'virbr1']
    ])
    expect(steps[2].rollback[1]).toEqual(['ip', 'addr', 'add', '192.168.122.1/24', 'broadcast', '+', 'dev', 'virbr1'])
  })

  it('undoes in reverse, so dnsmasq restarts last, with the old files back', () => {
    const undo = [...steps].reverse().map((u) => u.id)
    expect(undo).toEqual(['dnsmasq', 'firewall', 'addresses', 'files', 'dnsmasq-stop'])
    expect(steps[1].rollback).toContainEqual(['@write', paths.dnsmasqConf, 'old:dnsmasq.conf'])
    expect(steps[1].rollback).toContainEqual(['@remove', paths.addnhosts])
    expect(steps[0].rollback).toEqual([['dnsmasq', `--conf-file=${paths.dnsmasqConf}`]])
  })

  it('replaces the table atomically both ways and cleans up its scratch files', () => {
    expect(steps[3]).toMatchObject({
      apply: [['nft', '-f', `${paths.dir}/renumber.nft`]],
      rollback: [['nft', '-f', `${paths.dir}/renumber-undo.nft`]]
    })
    expect(artifacts['renumber.nft']).toBe('delete table inet guestnet_lab\nNEW-NFT')
    expect(artifacts['renumber-undo.nft']).toBe(nftReplace(input.tables, 'OLD-NFT'))
    expect(scratch).toEqual([`${paths.dir}/renumber.nft`, `${paths.dir}/renumber-undo.nft`])
    for (const argv of steps.flatMap((s) => [...s.apply, ...s.rollback])) {
      if (argv[0] === '@write') expect(Object.hasOwn(artifacts, argv[2])).toBe(true)
    }
  })

  it('has no dnsmasq or firewall steps for a network without them; IPv6 keeps link-local', () => {
    const v6 = renumberSteps({
      ...input,
      family: 6,
      newAddresses: [{ address: 'fd00:2::1', prefix: 64 }],
      oldAddresses: [],
      tables: [],
      dnsmasq: false,
      newArtifacts: { 'ip.batch': 'x' }
    })
    expect(v6.steps.map((s) => s.id)).toEqual(['files', 'addresses'])
    expect(v6.steps[1].apply).toEqual([
      ['ip', '-6', 'addr', 'flush', 'dev', 'virbr1', 'scope', 'global'],
      ['ip', 'addr', 'add', 'fd00:2::1/64', 'dev', 'virbr1', 'nodad']
    ])
  })
})
