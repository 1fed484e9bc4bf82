import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { describe, expect, it, vi } from 'vitest'

import type { GuestsOutput } from '../api'
import { fakeApi, ok } from '../../../../test/renderer-support/fake-api'
import GuestsView, { sshTarget } from './GuestsView.svelte'

type Out = GuestsOutput
type Guest = Out['guests'][number]

const NOW_S = Math.floor(Date.now() / 1000)
const WEB: Guest = {
  mac: '52:54:00:12:34:56',
  hostname: 'web',
  ipv4: { ip: '192.168.122.50', expiresAt: NOW_S + 42 * 60 + 30, source: 'lease' },
  ipv6: [
    { ip: 'fd00:1::50', source: 'neighbour', linkLocal: false },
    { ip: 'fe80::5054:ff:fe12:3456', source: 'neighbour', linkLocal: true }
  ],
  reservation: null,
  firstSeen: NOW_S - 3600
}
const V6ONLY: Guest = {
  mac: '52:54:00:ab:cd:ef',
  hostname: null,
  ipv4: null,
  ipv6: [
    { ip: 'fe80::1', source: 'neighbour', linkLocal: true },
    { ip: 'fd00:1::77', source: 'dhcpv6', linkLocal: false }
  ],
  reservation: null,
  firstSeen: null
}

function output(guests: Guest[], reservations: Out['reservations'] = []): Out {
  return { name: 'default', bridge: 'virbr0', active: true, guests, reservations, addresses: ['192.168.122.1/24'] }
}

describe('sshTarget', () => {
  it('takes the IPv4 address, else the first global IPv6 one', () => {
    expect(sshTarget(WEB)).toBe('192.168.122.50')
    expect(sshTarget(V6ONLY)).toBe('fd00:1::77')
    expect(sshTarget({ ...V6ONLY, ipv6: [V6ONLY.ipv6[0]] })).toBeNull()
  })
})

describe('GuestsView', () => {
  it('shows each guest with MAC, IPv4 and expiry, IPv6, hostname and first seen, and reloads when leases change', async () => {
    let guests = [WEB]
    const f = fakeApi({ 'network:guests': () => ok(output(guests)) })
    render(GuestsView, { api: f.api, name: 'default', onBack: vi.fn() })
    const table = await screen.findByRole('table', { name: 'Guests' })
    const row = within(table).getByRole('row', { name: /52:54:00:12:34:56/ })
    expect(row).toHaveTextContent('192.168.122.50')
    expect(row).toHaveTextContent('expires in 42 min')
    expect(row).toHaveTextContent('fd00:1::50 SLAAC')
    expect(row).toHaveTextContent('link-local')
    expect(row).toHaveTextContent('web')
    expect(row).toHaveTextContent(new Date((NOW_S - 3600) * 1000).toLocaleString())
    expect(screen.queryByRole('button', { name: 'Refresh' })).toBeNull()

    guests = [WEB, V6ONLY]
    f.emit('leases:changed', { network: 'other' })
    f.emit('leases:changed', { network: 'default' })
    expect(await within(table).findByText('fd00:1::77')).toBeInTheDocument()
    expect(f.callsOf('network:guests')).toHaveLength(2)
    // A guest with only IPv6 has nothing to keep, but an SSH command.
    const v6row = screen.getByRole('row', { name: /52:54:00:ab:cd:ef/ })
    expect(within(v6row).queryByRole('button', { name: /Keep this address/ })).toBeNull()
    expect(within(v6row).getByRole('button', { name: /Copy SSH command/ })).toBeInTheDocument()
  })

  it('keeps an address: calls network:keep-lease with the MAC, says so, and the reservation shows', async () => {
    let out = output([WEB])
    const f = fakeApi({
      'network:guests': () => ok(out),
      'network:keep-lease': ({ name, mac }) => {
        out = output(
          [{ ...WEB, reservation: { ip: WEB.ipv4?.ip ?? null, name: 'web' } }],
          [{ mac, ip: '192.168.122.50', name: 'web' }]
        )
        return ok({ name, mac, ip: '192.168.122.50', hostname: 'web', message: 'added' })
      }
    })
    render(GuestsView, { api: f.api, name: 'default', onBack: vi.fn() })
    await fireEvent.click(await screen.findByRole('button', { name: 'Keep this address for web' }))
    expect(f.callsOf('network:keep-lease')).toEqual([{ name: 'default', mac: '52:54:00:12:34:56' }])
    expect(await screen.findByText('192.168.122.50 is now kept for web.')).toBeInTheDocument()
    expect(screen.getByRole('table', { name: 'Static reservations' })).toHaveTextContent('192.168.122.50')
    expect(screen.queryByRole('button', { name: 'Keep this address for web' })).toBeNull()
  })

  it('shows a refusal from keep-lease as an alert', async () => {
    const f = fakeApi({
      'network:guests': () => ok(output([WEB])),
      'network:keep-lease': () => ({
        ok: false,
        error: { code: 'INVALID_INPUT', message: '192.168.122.50 is already reserved for another guest', field: 'mac' }
      })
    })
    render(GuestsView, { api: f.api, name: 'default', onBack: vi.fn() })
    await fireEvent.click(await screen.findByRole('button', { name: 'Keep this address for web' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('already reserved for another guest')
  })

  it('copies the SSH command to the clipboard', async () => {
    const writeText = vi.fn(async () => undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const f = fakeApi({ 'network:guests': () => ok(output([V6ONLY])) })
    render(GuestsView, { api: f.api, name: 'default', onBack: vi.fn() })
    await fireEvent.click(await screen.findByRole('button', { name: 'Copy SSH command for 52:54:00:ab:cd:ef' }))
    expect(writeText).toHaveBeenCalledWith('ssh user@fd00:1::77')
    expect(await screen.findByText('Copied: ssh user@fd00:1::77')).toBeInTheDocument()
  })

  it('draws the forwards it is given in the picture (the placeholder), none when absent', async () => {
    const f = fakeApi({ 'network:guests': () => ok(output([WEB])) })
    const { unmount } = render(GuestsView, { api: f.api, name: 'default', onBack: vi.fn() })
    const guest = await screen.findByRole('img', { name: /^Guest web/ })
    expect(guest.getAttribute('aria-label')).not.toMatch(/forwards/)
    unmount()
    render(GuestsView, { api: f.api, name: 'default', onBack: vi.fn(), forwardsOf: () => ['tcp 2222 → 22'] })
    expect(await screen.findByRole('img', { name: /^Guest web .*forwards: tcp 2222 → 22/ })).toBeInTheDocument()
  })
})
