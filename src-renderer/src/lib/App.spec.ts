import { render, screen } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import App from './App.svelte'
import { fakeApi, ok } from '../../../test/renderer-support/fake-api'

describe('App', () => {
  it('opens the default network wizard on first run', async () => {
    const f = fakeApi()
    render(App, { api: f.api })
    expect(await screen.findByRole('heading', { name: 'Set up the default network' })).toBeInTheDocument()
    expect(f.callsOf('host:suggest-range')).toEqual([{ purpose: 'default' }])
    expect(screen.getByText('Sandbox')).toBeInTheDocument()
  })

  it('shows the dashboard when networks exist, and New network opens the wizard for virbr1', async () => {
    const f = fakeApi({
      'network:list': () =>
        ok([
          {
            name: 'default',
            status: 'active',
            reason: null,
            file: null,
            uuid: null,
            mode: 'nat',
            bridge: 'virbr0',
            ipv4: '192.168.122.1/24',
            dhcp4: null,
            ipv6: null,
            domain: null,
            autostart: true,
            guests: 0,
            isDefault: true
          }
        ])
    })
    render(App, { api: f.api })
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'New network' }))
    expect(await screen.findByRole('heading', { name: 'New network' })).toBeInTheDocument()
    expect(screen.getByLabelText('Bridge')).toHaveValue('virbr1')
    expect(screen.getByLabelText('Name')).toHaveValue('network1')
    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(await screen.findByRole('heading', { name: 'Networks' })).toBeInTheDocument()
  })

  it('refreshes the list when a network changes state', async () => {
    const f = fakeApi()
    render(App, { api: f.api })
    await screen.findByRole('heading', { name: 'Set up the default network' })
    const before = f.callsOf('network:list').length
    f.emit('network:state-changed', { network: 'default', status: 'active' })
    expect(f.callsOf('network:list').length).toBe(before + 1)
  })

  it('after the default was deleted on purpose, shows the empty state instead of the wizard', async () => {
    let restored = false
    const f = fakeApi({
      'network:default-state': () =>
        ok({ exists: restored, created: true, defaultDeleted: !restored, deletedUuid: restored ? null : 'u-old' }),
      'network:list': () =>
        ok(
          restored
            ? [
                {
                  name: 'default',
                  status: 'inactive',
                  reason: null,
                  file: null,
                  uuid: 'u-old',
                  mode: 'nat',
                  bridge: 'virbr0',
                  ipv4: '192.168.122.1/24',
                  dhcp4: null,
                  ipv6: null,
                  domain: null,
                  autostart: true,
                  guests: 0,
                  isDefault: true
                }
              ]
            : []
        ),
      'network:restore-default': () => {
        restored = true
        return ok({ name: 'default' })
      }
    })
    render(App, { api: f.api })
    const user = userEvent.setup()
    expect(await screen.findByRole('heading', { name: 'The default network was deleted' })).toBeInTheDocument()
    expect(screen.queryByRole('heading', { name: 'Set up the default network' })).toBeNull()
    expect(f.callsOf('host:suggest-range')).toEqual([])
    // One restore button only: the toolbar's gives way to the empty state's.
    expect(screen.getAllByRole('button', { name: 'Restore default network' })).toHaveLength(1)

    await user.click(screen.getByRole('button', { name: 'Create a network' }))
    expect(await screen.findByRole('heading', { name: 'New network' })).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Cancel' }))

    await user.click(await screen.findByRole('button', { name: 'Restore default network' }))
    expect(await screen.findByRole('listitem', { name: 'default' })).toBeInTheDocument()
    expect(f.callsOf('network:restore-default')).toHaveLength(1)
    expect(screen.queryByRole('heading', { name: 'The default network was deleted' })).toBeNull()
  })

  it('does not open the wizard when the default network state cannot be read, and says why', async () => {
    const f = fakeApi({
      'network:default-state': () => ({ ok: false, error: { code: 'INTERNAL', message: 'EACCES: /var/lib/guestnet' } })
    })
    render(App, { api: f.api })
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Could not read the default network's state: EACCES: /var/lib/guestnet"
    )
    expect(screen.getByRole('heading', { name: 'Networks' })).toBeInTheDocument()
    expect(screen.queryByRole('heading', { name: 'Set up the default network' })).toBeNull()
  })

  it('with no network and none deleted, the empty dashboard offers the default network wizard', async () => {
    const f = fakeApi()
    render(App, { api: f.api })
    const user = userEvent.setup()
    await screen.findByRole('heading', { name: 'Set up the default network' })
    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(await screen.findByRole('heading', { name: 'No networks yet' })).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Set up the default network' }))
    expect(await screen.findByRole('heading', { name: 'Set up the default network' })).toBeInTheDocument()
  })
})
