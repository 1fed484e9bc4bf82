import { render, screen, within } from '@testing-library/svelte'
import { describe, expect, it } from 'vitest'

import NetworkPicture from './NetworkPicture.svelte'

describe('NetworkPicture', () => {
  it('draws uplinks, this computer, the bridge and each guest as focusable labelled nodes, with a list in words', () => {
    render(NetworkPicture, {
      network: 'default',
      bridge: 'virbr0',
      hostAddresses: ['192.168.122.1/24', 'fd00:1::1/64'],
      uplinks: ['eth0', 'wlan0'],
      guests: [
        { mac: '52:54:00:12:34:56', name: 'web', addresses: ['192.168.122.50', 'fd00:1::50'] },
        { mac: '52:54:00:ab:cd:ef', name: null, addresses: [], forwards: ['tcp 2222 → 22'] }
      ]
    })
    const picture = screen.getByRole('group', { name: /Picture of network default/ })
    const nodes = within(picture).getAllByRole('img')
    expect(nodes.map((n) => n.getAttribute('aria-label'))).toEqual([
      'Uplink eth0',
      'Uplink wlan0',
      'This computer, network default: 192.168.122.1/24, fd00:1::1/64',
      'Bridge virbr0, 2 guests',
      'Guest web (52:54:00:12:34:56): 192.168.122.50, fd00:1::50',
      'Guest 52:54:00:ab:cd:ef (52:54:00:ab:cd:ef): no address yet; forwards: tcp 2222 → 22'
    ])
    for (const n of nodes) expect(n.getAttribute('tabindex')).toBe('0')
    expect(within(picture).getByText('tcp 2222 → 22')).toBeInTheDocument()
    const words = screen.getByRole('list', { name: 'Network default in words' })
    expect(within(words).getAllByRole('listitem')).toHaveLength(6)
  })

  it('says when there is no uplink', () => {
    render(NetworkPicture, { network: 'lab', bridge: null, hostAddresses: [], uplinks: [], guests: [] })
    expect(screen.getByRole('img', { name: 'Uplink no uplink' })).toBeInTheDocument()
    expect(screen.getByRole('img', { name: 'Bridge (none), 0 guests' })).toBeInTheDocument()
  })
})
