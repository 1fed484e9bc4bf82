import { render, screen } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import App from '../App.svelte'
import { fakeApi, ok } from '../../../../test/renderer-support/fake-api'

describe('Doctor in the app', () => {
  it('opens from the main navigation and goes back to the networks', async () => {
    const f = fakeApi({
      'network:list': () =>
        ok([
          {
            name: 'default',
            status: 'active',
            reason: null,
            file: null,
            uuid: 'u',
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
        ]),
      'doctor:run': () =>
        ok({
          version: 1,
          netns: null,
          complete: true,
          unavailable: [],
          checks: [],
          findings: [],
          applied: [],
          actions: []
        })
    })
    render(App, { api: f.api })
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Doctor' }))
    expect(await screen.findByRole('heading', { name: 'Doctor', level: 2 })).toBeInTheDocument()
    expect(await screen.findByText('No problems found.')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Back to networks' }))
    expect(await screen.findByRole('button', { name: 'Doctor' })).toBeInTheDocument()
  })
})
