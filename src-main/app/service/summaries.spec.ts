import { describe, expect, it } from 'vitest'

import type { OkNetworkEntry } from '../../store/network-files'
import { validDef } from '../../../test/unit-support/valid-network.fixture'
import { summarize } from './summaries'

function spanning(): OkNetworkEntry {
  const def = validDef()
  def.guestnet = {
    span: { vni: 4242, underlay: '198.51.100.1', peers: [{ address: '198.51.100.2' }, { address: '198.51.100.3' }] }
  }
  return { name: def.name, state: 'ok', def, xml: '', autostart: false, file: '/etc/guestnet/networks/x.xml' }
}

describe("a spanning network's peers on the dashboard", () => {
  it('lists the stored peers with what the running network knows of each (a peer it does not report: unknown)', () => {
    const live = {
      state: 'active' as const,
      problems: [],
      span: { peers: [{ address: '198.51.100.2', seen: true, guests: 3 }] }
    }
    expect(summarize(spanning(), live, 0).span).toEqual({
      vni: 4242,
      underlay: '198.51.100.1',
      peers: [
        { address: '198.51.100.2', seen: true, guests: 3 },
        { address: '198.51.100.3', seen: null, guests: null }
      ]
    })
  })

  it('lists the peers of a stopped network without live facts, even if stale ones were passed', () => {
    const live = {
      state: 'inactive' as const,
      problems: [],
      span: { peers: [{ address: '198.51.100.2', seen: true, guests: 3 }] }
    }
    expect(summarize(spanning(), live, 0).span?.peers).toEqual([
      { address: '198.51.100.2', seen: null, guests: null },
      { address: '198.51.100.3', seen: null, guests: null }
    ])
  })

  it('has no span for a network that does not span hosts', () => {
    const entry = spanning()
    delete entry.def.guestnet
    expect(summarize(entry, undefined, 0)).not.toHaveProperty('span')
  })
})
