import { render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'

import { fakeApi, ok } from '../../../../test/renderer-support/fake-api'
import Wizard from './Wizard.svelte'
import type { WizardInit } from './wizard-controller.svelte'
import { newDraft } from './wizard-model'

const defaultInit = (): WizardInit => ({
  mode: 'create',
  isDefault: true,
  draft: newDraft(
    { name: 'default', bridge: 'virbr0', ipv4: '192.168.122.0/24', ula64: 'fd12:3456:789a::/64' },
    { isDefault: true }
  )
})

function setup(f = fakeApi(), init = defaultInit()) {
  const onApplied = vi.fn()
  const onClose = vi.fn()
  render(Wizard, { api: f.api, init, onApplied, onClose })
  return { f, onApplied, onClose, user: userEvent.setup() }
}

const next = () => screen.getByRole('button', { name: 'Next' })

describe('Wizard', () => {
  it('walks the default network through all five steps and applies it', async () => {
    const { f, user, onApplied } = setup()
    expect(screen.getByRole('heading', { name: 'Set up the default network' })).toBeInTheDocument()
    expect(screen.getByRole('radio', { name: /Share my internet connection \(NAT\)/ })).toBeChecked()
    expect(screen.getByLabelText('Name')).toHaveValue('default')
    expect(screen.getByLabelText('Bridge')).toHaveValue('virbr0')

    await user.click(next())
    expect(await screen.findByRole('heading', { name: /Step 2 of 5: IPv4 range/ })).toBeInTheDocument()
    expect(screen.getByLabelText('IPv4 range')).toHaveValue('192.168.122.0/24')
    expect(screen.getByLabelText('First address')).toHaveValue('192.168.122.2')
    expect(screen.getByLabelText('Last address')).toHaveValue('192.168.122.254')
    expect(await screen.findByText("No clash with this computer's networks.")).toBeInTheDocument()

    await user.click(next())
    expect(await screen.findByRole('heading', { name: /Step 3 of 5: IPv6/ })).toBeInTheDocument()
    expect(screen.getByRole('radio', { name: /Private prefix/ })).toBeChecked()
    expect(screen.getByText('fd12:3456:789a::/64')).toBeInTheDocument()
    expect(screen.getAllByText(/inbound connections/i).length).toBeGreaterThan(0)

    await user.click(next())
    expect(await screen.findByRole('heading', { name: /Step 4 of 5: DNS and start/ })).toBeInTheDocument()
    expect(screen.getByRole('checkbox', { name: /Start this network when the computer starts/ })).toBeChecked()
    await user.type(screen.getByLabelText('DNS domain (optional)'), 'lab.internal')

    await user.click(next())
    expect(await screen.findByRole('heading', { name: /Step 5 of 5: Review and apply/ })).toBeInTheDocument()
    expect(await screen.findByText('Create bridge virbr0')).toBeInTheDocument()
    expect(screen.getByText('ip link add virbr0 type bridge')).toBeInTheDocument()

    await user.click(screen.getByRole('button', { name: 'Apply' }))
    expect(await screen.findByText(/Done: network default is running/)).toBeInTheDocument()
    const [call] = f.callsOf('network:define')
    expect(call).toMatchObject({ autostart: true, start: true })
    expect(call.def).toEqual({
      name: 'default',
      forward: { mode: 'nat' },
      bridge: { name: 'virbr0', stp: true, delay: 0 },
      domain: { name: 'lab.internal', localOnly: true },
      ips: [
        {
          family: 'ipv4',
          address: '192.168.122.1',
          prefix: 24,
          dhcp: { ranges: [{ start: '192.168.122.2', end: '192.168.122.254' }], hosts: [] }
        },
        { family: 'ipv6', address: 'fd12:3456:789a::1', prefix: 64 }
      ]
    })
    await user.click(screen.getByRole('button', { name: 'Go to networks' }))
    expect(onApplied).toHaveBeenCalledWith('default')
  })

  it('refuses a clashing range and names the host route', async () => {
    const f = fakeApi({
      'network:validate': ({ def }) =>
        ok({
          problems: [],
          clashes: def.ips[0]?.address.startsWith('10.8.')
            ? [
                {
                  overlaps: '10.8.0.0/16',
                  ifname: 'wg0',
                  table: '51820',
                  message: '10.8.1.0/24 overlaps 10.8.0.0/16 on wg0 (table 51820)'
                }
              ]
            : []
        })
    })
    const { user } = setup(f)
    await user.click(next())
    const subnet = await screen.findByLabelText('IPv4 range')
    await user.clear(subnet)
    await user.type(subnet, '10.8.1.0/24')
    expect(await screen.findByText('10.8.1.0/24 overlaps 10.8.0.0/16 on wg0 (table 51820)')).toBeInTheDocument()
    expect(screen.getByLabelText('First address')).toHaveValue('10.8.1.2')
    await user.click(next())
    expect(screen.getByRole('heading', { name: /Step 2 of 5/ })).toBeInTheDocument()
    expect(subnet).toHaveAttribute('aria-invalid', 'true')
  })

  it("shows the core's problems beside the input they concern", async () => {
    const f = fakeApi({
      'network:validate': ({ def }) =>
        ok({
          problems:
            def.bridge?.name === 'eth0'
              ? [
                  {
                    field: 'bridge.name',
                    message: "bridge 'eth0' is an interface of this computer",
                    fix: 'choose another name'
                  }
                ]
              : [],
          clashes: []
        })
    })
    const { user } = setup(f)
    const bridge = screen.getByLabelText('Bridge')
    await user.clear(bridge)
    await user.type(bridge, 'eth0')
    expect(
      await screen.findByText("bridge 'eth0' is an interface of this computer: choose another name")
    ).toBeInTheDocument()
    await user.click(next())
    expect(screen.getByRole('heading', { name: /Step 1 of 5/ })).toBeInTheDocument()
  })

  it('asks for a name before going on', async () => {
    const { user } = setup()
    await user.clear(screen.getByLabelText('Name'))
    await user.click(next())
    expect(await screen.findByText('Give the network a name: for example lab or default')).toBeInTheDocument()
    expect(screen.getByLabelText('Name')).toHaveFocus()
  })

  async function toReview(user: ReturnType<typeof userEvent.setup>) {
    for (let i = 0; i < 4; i++) await user.click(next())
    await screen.findByText('Create bridge virbr0')
  }

  it('shows the failure and the steps that were rolled back', async () => {
    const f = fakeApi()
    f.set({
      'network:define': ({ opId }) => {
        f.emit('apply:progress', {
          opId: opId ?? null,
          network: 'default',
          kind: 'step-started',
          stepId: 'bridge',
          title: 'Create bridge virbr0'
        })
        f.emit('apply:progress', {
          opId: opId ?? null,
          network: 'default',
          kind: 'step-done',
          stepId: 'bridge',
          title: ''
        })
        f.emit('apply:progress', {
          opId: opId ?? null,
          network: 'default',
          kind: 'step-started',
          stepId: 'nft',
          title: 'Load the firewall table'
        })
        f.emit('apply:progress', {
          opId: opId ?? null,
          network: 'default',
          kind: 'step-failed',
          stepId: 'nft',
          title: '',
          message: 'nft: syntax error'
        })
        f.emit('apply:progress', {
          opId: opId ?? null,
          network: 'default',
          kind: 'rolled-back',
          stepId: 'bridge',
          title: ''
        })
        return {
          ok: false,
          error: { code: 'APPLY_FAILED', message: 'Load the firewall table failed: nft: syntax error' }
        }
      }
    })
    const { user } = setup(f)
    await toReview(user)
    await user.click(screen.getByRole('button', { name: 'Apply' }))
    const alert = await screen.findByText(/It did not work/)
    const box = alert.closest('[role="alert"]') as HTMLElement
    expect(box).toHaveTextContent('Load the firewall table failed: nft: syntax error')
    expect(within(box).getByRole('listitem')).toHaveTextContent('Create bridge virbr0')
    const progress = screen.getByRole('list', { name: 'Progress' })
    expect(
      within(progress)
        .getAllByRole('listitem')
        .map((li) => li.textContent)
    ).toEqual([expect.stringContaining('rolled back'), expect.stringContaining('failed')])
    expect(screen.getByRole('button', { name: 'Try again' })).toBeEnabled()
  })

  it('a dismissed password prompt is shown calmly as cancelled', async () => {
    const f = fakeApi({
      'network:define': () => ({
        ok: false,
        error: { code: 'CANCELLED', message: 'the password prompt was dismissed' }
      })
    })
    const { user } = setup(f)
    await toReview(user)
    await user.click(screen.getByRole('button', { name: 'Apply' }))
    expect(await screen.findByText('Cancelled. Nothing was changed.')).toBeInTheDocument()
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('Back returns to the previous step with the values kept', async () => {
    const { user } = setup()
    await user.click(next())
    await screen.findByRole('heading', { name: /Step 2 of 5/ })
    await user.click(screen.getByRole('button', { name: 'Back' }))
    expect(await screen.findByRole('heading', { name: /Step 1 of 5/ })).toHaveFocus()
    expect(screen.getByLabelText('Name')).toHaveValue('default')
  })

  it('own IPv6 prefix: asks the core for the gateway and waits for a prefix', async () => {
    const { user, f } = setup()
    await user.click(next())
    await user.click(next())
    await user.click(await screen.findByRole('radio', { name: /My own prefix/ }))
    await user.click(next())
    expect(await screen.findByText(/Enter your IPv6 prefix/)).toBeInTheDocument()
    await user.type(screen.getByLabelText('Your IPv6 prefix'), '2001:db8:7::/64')
    await waitFor(() => expect(f.callsOf('network:address-plan').at(-1)).toEqual({ ipv6: '2001:db8:7::/64' }))
    expect(await screen.findByText('2001:db8:7::1')).toBeInTheDocument()
  })
})
