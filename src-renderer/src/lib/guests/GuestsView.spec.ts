import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { describe, expect, it, vi } from 'vitest'

import { fakeApi, ok } from '../../../../test/renderer-support/fake-api'
import { guestsOutput as output, V6ONLY, WEB } from '../../../../test/renderer-support/guests'
import GuestsView from './GuestsView.svelte'

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
    expect(row).toHaveTextContent(new Date((WEB.firstSeen ?? 0) * 1000).toLocaleString())
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
})
