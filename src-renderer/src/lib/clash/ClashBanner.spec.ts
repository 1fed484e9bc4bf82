import { render, screen } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'

import { fakeApi, ok } from '../../../../test/renderer-support/fake-api'
import type { ClashView } from './clash-model'
import ClashBanner from './ClashBanner.svelte'

const clash: ClashView = {
  network: 'default',
  subnet: '192.168.122.0/24',
  active: true,
  bridge: 'virbr0',
  suggestion: '10.122.0.0/24',
  clashes: [
    {
      overlaps: '192.168.122.0/24',
      ifname: 'wlan0',
      table: 'local',
      message: '192.168.122.0/24 overlaps 192.168.122.0/24 on wlan0 (address 192.168.122.40/24)'
    }
  ],
  message: 'Network default (192.168.122.0/24) overlaps 192.168.122.0/24 on wlan0 (address 192.168.122.40/24)'
}

function setup(clashes: ClashView[] = [clash]) {
  const f = fakeApi({
    'host:clashes': () => ok(clashes),
    'network:renumber': ({ name, to }) =>
      ok({
        name,
        from: '192.168.122.0/24',
        to: to ?? '10.122.0.0/24',
        changed: true,
        live: true,
        staleGuests: [{ mac: '52:54:00:00:00:01', ip: '192.168.122.50', hostname: 'alpha' }],
        message: 'moved'
      }),
    'network:leases': ({ name }) =>
      ok({
        name,
        leases: [{ mac: '52:54:00:00:00:01', ip: '10.122.0.50', hostname: 'alpha', expiresAt: null, clientId: null }],
        reservations: []
      })
  })
  const onChanged = vi.fn(async () => {})
  render(ClashBanner, { api: f.api, onChanged })
  return { f, onChanged, user: userEvent.setup() }
}

describe('ClashBanner', () => {
  it('names both sides and moves the network in one click, then says who still holds an old address', async () => {
    const { f, onChanged, user } = setup()
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Network default (192.168.122.0/24) overlaps 192.168.122.0/24 on wlan0'
    )
    await user.click(screen.getByRole('button', { name: 'Move default to 10.122.0.0/24' }))
    expect(f.callsOf('network:renumber')[0]).toMatchObject({ name: 'default', to: '10.122.0.0/24' })
    expect(
      await screen.findByText(/Moved network default from 192\.168\.122\.0\/24 to 10\.122\.0\.0\/24 while running/)
    ).toBeInTheDocument()
    expect(screen.getByText(/Still on an old address: alpha \(192\.168\.122\.50\)/)).toBeInTheDocument()
    expect(screen.queryByRole('alert')).toBeNull()
    expect(onChanged).toHaveBeenCalled()
    // The guest renews: its lease is in the new range now.
    f.emit('leases:changed', { network: 'default' })
    expect(await screen.findByText('Every guest has an address in the new range.')).toBeInTheDocument()
  })

  it('shows clashes as they are announced and hides them when resolved', async () => {
    const { f } = setup([])
    expect(screen.queryByRole('alert')).toBeNull()
    f.emit('network:clash', { clashes: [clash], appeared: ['default'] })
    expect(await screen.findByRole('alert')).toHaveTextContent('wlan0')
    f.emit('network:clash', { clashes: [], appeared: [] })
    await vi.waitFor(() => expect(screen.queryByRole('alert')).toBeNull())
  })

  it('says calmly when the password prompt was dismissed', async () => {
    const { f, user } = setup()
    f.set({ 'network:renumber': () => ({ ok: false, error: { code: 'CANCELLED', message: 'dismissed' } }) })
    await user.click(await screen.findByRole('button', { name: 'Move default to 10.122.0.0/24' }))
    expect(await screen.findByText('Moving default: cancelled. Nothing was changed.')).toBeInTheDocument()
    expect(screen.getByRole('alert')).toHaveTextContent('overlaps')
  })
})
