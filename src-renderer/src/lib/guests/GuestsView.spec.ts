import { render, screen, within } from '@testing-library/svelte'
import { describe, expect, it, vi } from 'vitest'

import type { LeasesOutput } from '../api'
import { fakeApi, ok } from '../testing/fake-api'
import GuestsView from './GuestsView.svelte'

describe('GuestsView', () => {
  it('lists live leases and reservations, and reloads when leases change', async () => {
    let leases: LeasesOutput['leases'] = [
      { mac: '52:54:00:12:34:56', ip: '192.168.122.50', hostname: 'guest1', expiresAt: null, clientId: null }
    ]
    const f = fakeApi({
      'network:leases': ({ name }) =>
        ok({ name, leases, reservations: [{ mac: '52:54:00:00:00:09', ip: '192.168.122.9', name: 'db' }] })
    })
    render(GuestsView, { api: f.api, name: 'default', onBack: vi.fn() })
    const table = await screen.findByRole('table', { name: 'Live DHCP leases' })
    expect(
      within(table).getByRole('row', { name: /52:54:00:12:34:56 192.168.122.50 guest1 never/ })
    ).toBeInTheDocument()
    expect(screen.getByRole('table', { name: 'Static reservations' })).toHaveTextContent('192.168.122.9')
    leases = [
      ...leases,
      { mac: '52:54:00:ab:cd:ef', ip: '192.168.122.51', hostname: null, expiresAt: null, clientId: null }
    ]
    f.emit('leases:changed', { network: 'other' })
    f.emit('leases:changed', { network: 'default' })
    expect(await screen.findByText('192.168.122.51')).toBeInTheDocument()
    expect(f.callsOf('network:leases')).toHaveLength(2)
  })
})
