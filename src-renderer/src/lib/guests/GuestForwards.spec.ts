import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { describe, expect, it, vi } from 'vitest'

import type { ForwardInfo } from '../api'
import type { Handlers } from '../../../../test/renderer-support/fake-api'
import { fakeApi, ok } from '../../../../test/renderer-support/fake-api'
import { forward, guestsOutput, V6ONLY, WEB } from '../../../../test/renderer-support/guests'
import GuestsView from './GuestsView.svelte'

/** WEB's forwards, listed in the row under its own. */
const webForwards = (): Promise<HTMLElement> => screen.findByRole('list', { name: 'Port forwards to web' })

/** The view over WEB and V6ONLY whose forwards are `list` (changed by add and delete as the helper would). */
function world(list: ForwardInfo[], extra: Handlers = {}) {
  let forwards = [...list]
  const f = fakeApi({
    'network:guests': () => ok(guestsOutput([WEB, V6ONLY])),
    'network:forwards': ({ name }) => ok({ name, running: true, forwards }),
    'network:forward-add': ({ name, proto, port, to, toPort, family }) => {
      forwards = [...forwards, forward({ proto, port, to, toPort: toPort ?? port, family: family ?? 'ipv4' })]
      return ok({ name, forward: `${proto}/${port}`, live: true, message: `network ${name} forwards ${proto}/${port}` })
    },
    'network:forward-del': ({ name, proto, port }) => {
      forwards = forwards.filter((x) => !(x.proto === proto && x.port === port))
      return ok({
        name,
        forward: `${proto}/${port}`,
        live: true,
        message: `network ${name} no longer forwards ${proto}/${port}`
      })
    },
    ...extra
  })
  render(GuestsView, { api: f.api, name: 'default', onBack: vi.fn() })
  return f
}

async function openForm(): Promise<HTMLElement> {
  await fireEvent.click(await screen.findByRole('button', { name: 'Forward a port to web' }))
  return screen.getByRole('form', { name: 'Forward a port to web' })
}

describe("GuestsView's port forwards", () => {
  it("lists each guest's forwards on its row and in the picture, with their state", async () => {
    world([forward(), forward({ proto: 'udp', port: 5353, to: '192.168.122.50', toPort: 53, state: 'waiting' })])
    const list = await screen.findByRole('list', { name: 'Port forwards to web' })
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent?.replace(/\s+/g, ' ').trim())
    ).toEqual(['tcp 2222 → 22 active Delete', "udp 5353 → 53 waiting for the guest's address Delete"])
    expect(
      screen.getByRole('img', { name: /^Guest web .*; forwards: tcp 2222 → 22, udp 5353 → 53$/ })
    ).toBeInTheDocument()
    // The other guest has none: no list, only the action.
    const other = screen.getByRole('row', { name: /52:54:00:ab:cd:ef/ })
    expect(within(other).queryByRole('list')).toBeNull()
    expect(within(other).getByRole('button', { name: 'Forward a port to 52:54:00:ab:cd:ef' })).toBeInTheDocument()
  })

  it('lists forwards of no guest on the network now apart, each with its target, to delete', async () => {
    const f = world([forward(), forward({ port: 8080, to: '192.168.122.99', toPort: 80, state: 'waiting' })])
    expect(await screen.findByRole('heading', { name: 'Other port forwards' })).toBeInTheDocument()
    const other = screen.getByRole('list', { name: 'Port forwards to guests not listed' })
    expect(within(other).getByRole('listitem')).toHaveTextContent(/^tcp 8080 → 80 to 192\.168\.122\.99 waiting/)
    expect(screen.getAllByRole('button', { name: /^Forward a port/ })).toHaveLength(2)
    await fireEvent.click(within(other).getByRole('button', { name: 'Delete forward tcp 8080 → 80 to 192.168.122.99' }))
    expect(f.callsOf('network:forward-del')).toEqual([expect.objectContaining({ proto: 'tcp', port: 8080 })])
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Other port forwards' })).toBeNull())
    expect(within(await webForwards()).getByText('tcp 2222 → 22')).toBeInTheDocument()
  })

  it('adds a forward to the guest MAC (guest port defaults to the host port), closes the form and lists it', async () => {
    const f = world([])
    let form = await openForm()
    const opener = screen.getByRole('button', { name: 'Forward a port to web' })
    expect(opener).toHaveAttribute('aria-expanded', 'true')
    expect(opener).toHaveAttribute('aria-controls', form.id)
    expect(within(form).getByLabelText('Protocol')).toHaveFocus()
    await fireEvent.input(within(form).getByLabelText('Host port'), { target: { value: '8080' } })
    await fireEvent.click(within(form).getByLabelText('Both'))
    await fireEvent.click(within(form).getByRole('button', { name: 'Forward' }))
    expect(f.callsOf('network:forward-add')).toEqual([
      {
        name: 'default',
        proto: 'tcp',
        port: 8080,
        to: '52:54:00:12:34:56',
        family: 'both',
        opId: expect.stringMatching(/^op-/)
      }
    ])
    expect(await screen.findByText('network default forwards tcp/8080')).toBeInTheDocument()
    expect(screen.queryByRole('form', { name: 'Forward a port to web' })).toBeNull()
    expect(await within(await webForwards()).findByText('tcp 8080 → 8080 (IPv4+IPv6)')).toBeInTheDocument()
    expect(opener).toHaveFocus()
    expect(opener).toHaveAttribute('aria-expanded', 'false')

    form = await openForm()
    await fireEvent.change(within(form).getByLabelText('Protocol'), { target: { value: 'udp' } })
    await fireEvent.input(within(form).getByLabelText('Host port'), { target: { value: '2222' } })
    await fireEvent.input(within(form).getByLabelText('Guest port'), { target: { value: '22' } })
    await fireEvent.click(within(form).getByRole('button', { name: 'Forward' }))
    expect(f.callsOf('network:forward-add')[1]).toEqual(
      expect.objectContaining({ proto: 'udp', port: 2222, toPort: 22 })
    )
    expect(f.callsOf('network:forward-add')[1]).not.toHaveProperty('family')
    expect(await within(await webForwards()).findByText('udp 2222 → 22')).toBeInTheDocument()
  })

  it('deletes a forward with network:forward-del (its host address too) and it is gone', async () => {
    const f = world([forward(), forward({ port: 8443, toPort: 443, address: '203.0.113.2' })])
    await fireEvent.click(await screen.findByRole('button', { name: 'Delete forward tcp 2222 → 22 to web' }))
    expect(f.callsOf('network:forward-del')).toEqual([
      { name: 'default', proto: 'tcp', port: 2222, opId: expect.stringMatching(/^op-/) }
    ])
    expect(await screen.findByText('network default no longer forwards tcp/2222')).toBeInTheDocument()
    expect(within(await webForwards()).queryByText('tcp 2222 → 22')).toBeNull()
    expect(
      screen.getByRole('img', { name: /^Guest web .*; forwards: tcp 203\.0\.113\.2:8443 → 443$/ })
    ).toBeInTheDocument()
    await fireEvent.click(screen.getByRole('button', { name: 'Delete forward tcp 203.0.113.2:8443 → 443 to web' }))
    expect(f.callsOf('network:forward-del')[1]).toMatchObject({ port: 8443, address: '203.0.113.2' })
  })

  it("shows the helper's refusal next to the form naming the field, and keeps every value", async () => {
    const f = world([])
    f.set({
      'network:forward-add': () => ({
        ok: false,
        error: {
          code: 'HELPER_FAILED',
          message: 'tcp/2222 is in use on the host: sshd (pid 412) listens there',
          field: 'port'
        }
      })
    })
    const form = await openForm()
    await fireEvent.input(within(form).getByLabelText('Host port'), { target: { value: '2222' } })
    await fireEvent.input(within(form).getByLabelText('Guest port'), { target: { value: '22' } })
    await fireEvent.click(within(form).getByLabelText('IPv6'))
    await fireEvent.click(within(form).getByRole('button', { name: 'Forward' }))
    const alert = await within(form).findByRole('alert')
    expect(alert).toHaveTextContent('Host port: tcp/2222 is in use on the host: sshd (pid 412) listens there')
    const port = within(form).getByLabelText('Host port')
    expect(port).toHaveAttribute('aria-invalid', 'true')
    expect(port).toHaveAccessibleDescription(/sshd \(pid 412\)/)
    expect(port).toHaveValue('2222')
    expect(within(form).getByLabelText('Guest port')).toHaveValue('22')
    expect(within(form).getByLabelText('IPv6')).toBeChecked()

    // The validator's field names the guest port; a refusal without a field is the form's.
    f.set({
      'network:forward-add': () => ({
        ok: false,
        error: {
          code: 'INVALID_NETWORK',
          message: 'network default cannot forward tcp/2222: a pinhole keeps the port',
          field: 'metadata.portForwards.forward[0].toPort'
        }
      })
    })
    await fireEvent.click(within(form).getByRole('button', { name: 'Forward' }))
    expect(await within(form).findByText(/^Guest port: network default cannot forward/)).toBeInTheDocument()
    expect(within(form).getByLabelText('Guest port')).toHaveAttribute('aria-invalid', 'true')
    expect(port).not.toHaveAttribute('aria-invalid')
  })

  it('checks the ports before asking the helper', async () => {
    const f = world([])
    const form = await openForm()
    await fireEvent.input(within(form).getByLabelText('Host port'), { target: { value: '70000' } })
    await fireEvent.click(within(form).getByRole('button', { name: 'Forward' }))
    expect(within(form).getByRole('alert')).toHaveTextContent('Host port: give a port from 1 to 65535')
    await fireEvent.input(within(form).getByLabelText('Host port'), { target: { value: '2222' } })
    await fireEvent.input(within(form).getByLabelText('Guest port'), { target: { value: 'ssh' } })
    await fireEvent.click(within(form).getByRole('button', { name: 'Forward' }))
    expect(within(form).getByRole('alert')).toHaveTextContent(/^Guest port: /)
    expect(f.callsOf('network:forward-add')).toEqual([])
  })

  it('shows a failed delete as an alert by the forward, and a failed read of the forwards', async () => {
    const f = world([forward()])
    f.set({ 'network:forward-del': () => ({ ok: false, error: { code: 'CANCELLED', message: 'dismissed' } }) })
    await fireEvent.click(await screen.findByRole('button', { name: 'Delete forward tcp 2222 → 22 to web' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not delete tcp 2222 → 22: Cancelled')
    expect(within(await webForwards()).getByText('tcp 2222 → 22')).toBeInTheDocument()

    f.set({ 'network:forwards': () => ({ ok: false, error: { code: 'HELPER_FAILED', message: 'no helper' } }) })
    f.emit('leases:changed', { network: 'default' })
    expect(await screen.findByText('The port forwards could not be read: no helper')).toBeInTheDocument()
  })

  it('copies an SSH command through a tcp forward to port 22, at the uplink address', async () => {
    const writeText = vi.fn(async () => undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    world([forward({ port: 80, toPort: 8080 }), forward()], {
      'host:facts-summary': () =>
        ok({
          interfaces: [
            { ifname: 'lo', addresses: ['127.0.0.1/8'] },
            { ifname: 'uplink0', addresses: ['203.0.113.2/24', '2001:db8:1::2/64'] }
          ],
          routes: [{ dst: 'default', dev: 'uplink0', table: 'main' }]
        })
    })
    await fireEvent.click(await screen.findByRole('button', { name: 'Copy SSH command for web' }))
    expect(writeText).toHaveBeenLastCalledWith('ssh -p 2222 user@203.0.113.2')
    // Without a forward to its port 22, the other guest is reached directly.
    await fireEvent.click(screen.getByRole('button', { name: 'Copy SSH command for 52:54:00:ab:cd:ef' }))
    expect(writeText).toHaveBeenLastCalledWith('ssh user@fd00:1::77')
  })
})
