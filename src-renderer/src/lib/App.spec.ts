import { render, screen } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import App from './App.svelte'
import { fakeApi, ok } from './testing/fake-api'

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
            name: 'default', status: 'active', reason: null, file: null, uuid: null, mode: 'nat', bridge: 'virbr0', ipv4: '192.168.122.1/24',
            dhcp4: null, ipv6: null, domain: null, autostart: true, guests: 0, isDefault: true
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
})
