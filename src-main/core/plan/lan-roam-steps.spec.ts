import { describe, expect, it } from 'vitest'

import { PATHS } from '../../../test/unit-support/plan-defs.fixture'
import { lanRoamSteps } from './lan-roam-steps'
import { parseSeenSet } from './lan-proxy'
import { networkPaths } from './network-paths'

const np = networkPaths(PATHS, 'lan')
const A = { dev: 'wlan0', prefix: '2001:db8:aa::/64', bridgeAddress: '2001:db8:aa:0:5054:ff:fe5e:a05' }
const B = {
  dev: 'wlan0',
  prefix: '2001:db8:bb::/64',
  router: 'fe80::1',
  bridgeAddress: '2001:db8:bb:0:5054:ff:fe5e:a05'
}

describe('lanRoamSteps', () => {
  it('drops the old proxies, adds the new address, deprecates the old one at once, replaces the table', () => {
    const r = lanRoamSteps({
      paths: np,
      bridge: 'virbr7',
      tables: [{ family: 'inet', name: 'guestnet_lan' }],
      old: { uplink: A, proxies: ['2001:db8:aa::5'] },
      next: B,
      nextNft: 'new',
      currentNft: 'old',
      nextIp6Batch: 'b',
      currentIp6Batch: 'a'
    })
    expect(r.steps.map((s) => s.id)).toEqual(['unproxy', 'address', 'files', 'firewall', 'batch'])
    expect(r.steps[0]).toMatchObject({
      apply: [['@unproxy-ndp', 'wlan0', '2001:db8:aa::5']],
      rollback: [['@proxy-ndp', 'wlan0', '2001:db8:aa::5']]
    })
    expect(r.steps[1].apply).toEqual([
      [
        'ip',
        '-6',
        'address',
        'replace',
        '2001:db8:bb:0:5054:ff:fe5e:a05/64',
        'dev',
        'virbr7',
        'noprefixroute',
        'nodad'
      ],
      [
        'ip',
        '-6',
        'address',
        'change',
        '2001:db8:aa:0:5054:ff:fe5e:a05/64',
        'dev',
        'virbr7',
        'noprefixroute',
        'nodad',
        'preferred_lft',
        '0',
        'valid_lft',
        '600'
      ]
    ])
    expect(r.artifacts).toMatchObject({ 'ip6.batch': 'b', 'old:ip6.batch': 'a', nft: 'new', 'old:nft': 'old' })
  })

  it('going offline only deprecates; coming back from none only adds', () => {
    const base = {
      paths: np,
      bridge: 'virbr7',
      tables: [],
      nextNft: '',
      currentNft: '',
      nextIp6Batch: '',
      currentIp6Batch: ''
    }
    const off = lanRoamSteps({ ...base, old: { uplink: A, proxies: [] }, next: null })
    expect(off.steps.find((s) => s.id === 'address')?.apply.map((a) => a[3])).toEqual(['change'])
    const on = lanRoamSteps({ ...base, old: { uplink: null, proxies: [] }, next: B })
    expect(on.steps.find((s) => s.id === 'address')?.apply.map((a) => a[3])).toEqual(['replace'])
  })
})

describe('parseSeenSet', () => {
  it('reads the addresses of nft -j list set (with timeouts or without), and nothing from junk', () => {
    const json = JSON.stringify({
      nftables: [
        { metainfo: { version: '1.0.9' } },
        {
          set: {
            family: 'inet',
            name: 'lan_seen',
            elem: [
              { elem: { val: '2001:DB8:aa::5', timeout: 3600, expires: 3599 } },
              '2001:db8:aa::6',
              { elem: { val: 'x' } }
            ]
          }
        }
      ]
    })
    expect(parseSeenSet(json)).toEqual(['2001:db8:aa::5', '2001:db8:aa::6'])
    expect(parseSeenSet('not json')).toEqual([])
    expect(parseSeenSet('{"nftables": 5}')).toEqual([])
  })
})
