import { describe, expect, it } from 'vitest'

import { defaultNet } from '../../../test/unit-support/plan-defs.fixture'
import { mssClamp } from './mss-clamp'
import { analyseNetwork } from './network-shape'
import { NFT_FEATURES } from './nft-features'
import { nftChains } from './nft-ruleset'

const CLAMP_OUT = 'iifname "virbr0" tcp flags syn tcp option maxseg size set rt mtu'
const CLAMP_IN = 'oifname "virbr0" tcp flags syn tcp option maxseg size set rt mtu'

function forwardRules(over: Parameters<typeof defaultNet>[0] = {}): string[] {
  const chain = nftChains(analyseNetwork(defaultNet(over))).find((c) => c.name === 'forward')
  return (chain?.lines ?? []).filter((l) => !l.startsWith('#'))
}

describe('MSS clamp feature', () => {
  it('is registered, and clamps SYNs both ways before the dispatch to from_guests/to_guests', () => {
    expect(NFT_FEATURES).toContain(mssClamp)
    expect(forwardRules()).toEqual([
      CLAMP_OUT,
      CLAMP_IN,
      'iifname "virbr0" jump from_guests',
      'oifname "virbr0" jump to_guests'
    ])
  })

  it('clamps routed networks too', () => {
    expect(forwardRules({ forward: { mode: 'route' } }).slice(0, 2)).toEqual([CLAMP_OUT, CLAMP_IN])
  })

  it('adds nothing to an isolated network (nothing is forwarded)', () => {
    expect(mssClamp(analyseNetwork(defaultNet({ forward: { mode: 'none' } })), {})).toEqual({})
  })

  it("keeps the rule the same whatever the definition's <mtu> (the route decides at each packet)", () => {
    expect(forwardRules({ mtu: 9000 }).slice(0, 2)).toEqual([CLAMP_OUT, CLAMP_IN])
  })
})
