import { render, screen, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'

import type { NetworkSummary } from '../api'
import type { DefaultState } from '../first-run'
import { fakeApi, ok } from '../../../../test/renderer-support/fake-api'
import Dashboard from './Dashboard.svelte'

const net = (over: Partial<NetworkSummary>): NetworkSummary => ({
  name: 'default',
  status: 'active',
  reason: null,
  file: null,
  uuid: 'u',
  mode: 'nat',
  bridge: 'virbr0',
  ipv4: '192.168.122.1/24',
  dhcp4: { start: '192.168.122.2', end: '192.168.122.254' },
  ipv6: 'fd12:3456:789a::1/64',
  domain: null,
  autostart: true,
  guests: 2,
  isDefault: true,
  ...over
})

const networks = [
  net({}),
  net({
    name: 'lab',
    status: 'inactive',
    bridge: 'virbr1',
    ipv4: '192.168.123.1/24',
    ipv6: null,
    autostart: false,
    guests: 0,
    isDefault: false
  }),
  net({
    name: 'old',
    status: 'broken',
    reason: "line 3: unknown forward mode 'bridge-ish'",
    file: '/etc/guestnet/networks/old.xml',
    mode: null,
    bridge: null
  })
]

function setup(f = fakeApi(), list = networks, defaultState: DefaultState | null = null) {
  const props = {
    api: f.api,
    networks: list,
    defaultState,
    onChanged: vi.fn(async () => {}),
    onNew: vi.fn(),
    onSetupDefault: vi.fn(),
    onEdit: vi.fn(),
    onGuests: vi.fn(),
    onConnect: vi.fn()
  }
  render(Dashboard, props)
  return { f, props, user: userEvent.setup() }
}

const card = (name: string) => screen.getByRole('listitem', { name })

describe('Dashboard', () => {
  it('shows every network with its state, bridge, ranges, autostart and guests', () => {
    setup()
    const d = card('default')
    expect(d).toHaveTextContent('Active')
    expect(d).toHaveTextContent('virbr0')
    expect(d).toHaveTextContent('192.168.122.1/24')
    expect(d).toHaveTextContent('192.168.122.2 – 192.168.122.254')
    expect(d).toHaveTextContent('2 guests')
    expect(within(d).getByRole('checkbox', { name: /Start at boot/ })).toBeChecked()
    expect(card('lab')).toHaveTextContent('Inactive')
    expect(within(card('lab')).getByRole('button', { name: 'Start lab' })).toBeInTheDocument()
    const old = card('old')
    expect(old).toHaveTextContent('Broken')
    expect(old).toHaveTextContent("unknown forward mode 'bridge-ish'")
    expect(old).toHaveTextContent('/etc/guestnet/networks/old.xml')
    expect(screen.queryByRole('button', { name: 'Restore default network' })).toBeNull()
  })

  it("shows where a running ipv6='lan' network's guests get IPv6 from, or that the uplink has no prefix", () => {
    setup(fakeApi(), [
      net({ uplink: { ipv6: 'lan', dev: 'wlan0', prefix: '2001:db8:aa::/64' } }),
      net({ name: 'lab', isDefault: false, uplink: { ipv6: 'lan', dev: null, prefix: null } }),
      net({ name: 'plain', isDefault: false })
    ])
    expect(card('default')).toHaveTextContent('IPv6 from 2001:db8:aa::/64 from wlan0 (the network this computer is on)')
    expect(card('lab')).toHaveTextContent('no prefix on the uplink now: the network’s own IPv6 only')
    expect(card('plain')).not.toHaveTextContent('IPv6 from')
  })

  it("lists a spanning network's peer hosts: what each tells while it runs, the addresses alone when stopped", () => {
    const span = (peers: NonNullable<NetworkSummary['span']>['peers']) => ({
      vni: 4242,
      underlay: '198.51.100.1',
      peers
    })
    setup(fakeApi(), [
      net({
        span: span([
          { address: '198.51.100.2', seen: true, guests: 2 },
          { address: '198.51.100.3', seen: false, guests: 0 }
        ])
      }),
      net({
        name: 'lab',
        isDefault: false,
        status: 'inactive',
        span: span([{ address: '198.51.100.2', seen: null, guests: null }])
      }),
      net({ name: 'plain', isDefault: false })
    ])
    const peers = within(card('default')).getByRole('list', { name: 'Peer hosts of default' })
    expect(
      within(peers)
        .getAllByRole('listitem')
        .map((li) => li.textContent)
    ).toEqual(['198.51.100.2: 2 guests behind it', '198.51.100.3: nothing heard lately'])
    expect(card('default')).toHaveTextContent('VXLAN 4242 from 198.51.100.1')
    const stopped = within(card('lab')).getByRole('list', { name: 'Peer hosts of lab' })
    expect(
      within(stopped)
        .getAllByRole('listitem')
        .map((li) => li.textContent)
    ).toEqual(['198.51.100.2'])
    expect(card('plain')).not.toHaveTextContent('Spans hosts')
  })

  it("shows a running network's MTU when it follows a narrower uplink, and none when unknown", () => {
    setup(fakeApi(), [net({ mtu: { value: 1420, source: 'uplink' } }), net({ name: 'lab', isDefault: false })])
    expect(card('default')).toHaveTextContent('MTU 1420 (follows the uplink)')
    expect(card('lab')).not.toHaveTextContent('MTU')
  })

  it('shows a host-bridge network as such: addresses from the LAN, edited as XML rather than in the wizard', () => {
    setup(fakeApi(), [
      net({
        name: 'lan',
        mode: 'bridge',
        bridge: 'br0',
        ipv4: null,
        dhcp4: null,
        ipv6: null,
        guests: 0,
        isDefault: false
      })
    ])
    const lan = card('lan')
    expect(lan).toHaveTextContent('Host bridge')
    expect(lan).toHaveTextContent('br0')
    expect(lan).toHaveTextContent('from the LAN')
    expect(within(lan).queryByRole('button', { name: 'Edit lan' })).toBeNull()
    expect(within(lan).queryByRole('button', { name: 'Guests of lan' })).toBeNull()
    expect(within(lan).getByRole('button', { name: 'Export XML of lan' })).toBeInTheDocument()
  })

  it('starts, stops and toggles autostart through the API', async () => {
    const f = fakeApi({
      'network:start': ({ name }) => ok({ name }),
      'network:stop': ({ name }) => ok({ name }),
      'network:set-autostart': ({ name, autostart }) => ok({ name, autostart })
    })
    const { user, props } = setup(f)
    await user.click(screen.getByRole('button', { name: 'Start lab' }))
    expect(await screen.findByText('Network lab is running.')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Stop default' }))
    await user.click(within(card('lab')).getByRole('checkbox', { name: /Start at boot/ }))
    expect(f.callsOf('network:start')[0].name).toBe('lab')
    expect(f.callsOf('network:stop')[0].name).toBe('default')
    expect(f.callsOf('network:set-autostart')).toEqual([{ name: 'lab', autostart: true }])
    expect(props.onChanged).toHaveBeenCalledTimes(3)
  })

  it('asks before deleting, and Escape cancels', async () => {
    const f = fakeApi({ 'network:undefine': ({ name }) => ok({ name }) })
    const { user } = setup(f)
    await user.click(screen.getByRole('button', { name: 'Delete lab' }))
    const dialog = screen.getByRole('alertdialog', { name: 'Delete network lab?' })
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus()
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(f.callsOf('network:undefine')).toEqual([])
    await user.click(screen.getByRole('button', { name: 'Delete lab' }))
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }))
    expect(await screen.findByText('Network lab was deleted.')).toBeInTheDocument()
    expect(f.callsOf('network:undefine')[0].name).toBe('lab')
  })

  it('a failed start names the error and what was undone', async () => {
    const f = fakeApi({
      'network:start': () => ({
        ok: false,
        error: { code: 'APPLY_FAILED', message: 'bridge virbr1 already exists', rolledBack: ['Write dnsmasq config'] }
      })
    })
    const { user } = setup(f)
    await user.click(screen.getByRole('button', { name: 'Start lab' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Start lab failed: bridge virbr1 already exists. Undone: Write dnsmasq config.'
    )
  })

  it('offers to restore the default network when it is gone', async () => {
    const f = fakeApi({ 'network:restore-default': () => ok({ name: 'default' }) })
    const { user } = setup(f, networks.slice(1))
    await user.click(screen.getByRole('button', { name: 'Restore default network' }))
    expect(await screen.findByText('The default network is back.')).toBeInTheDocument()
  })

  it('imports a libvirt XML file', async () => {
    const f = fakeApi({ 'network:import-xml': () => ok({ name: 'imported', xml: '<network/>' }) })
    const { user } = setup(f)
    const file = new File(['<network><name>imported</name></network>'], 'imported.xml', { type: 'application/xml' })
    await user.upload(screen.getByLabelText('Import libvirt XML…'), file)
    expect(await screen.findByText('Imported network imported from imported.xml.')).toBeInTheDocument()
    expect(f.callsOf('network:import-xml')).toEqual([{ xml: '<network><name>imported</name></network>' }])
  })

  it('with no network left after a deliberate delete, says so and offers restore or a new network', async () => {
    const f = fakeApi({ 'network:restore-default': () => ok({ name: 'default' }) })
    const { user, props } = setup(f, [], { exists: false, created: true, defaultDeleted: true, deletedUuid: 'u-old' })
    const region = screen.getByRole('region', { name: 'The default network was deleted' })
    expect(region).toHaveTextContent('You deleted the default network on purpose')
    expect(region).toHaveTextContent('same identity (UUID)')
    expect(screen.queryByText('No networks yet')).toBeNull()
    await user.click(within(region).getByRole('button', { name: 'Create a network' }))
    expect(props.onNew).toHaveBeenCalledOnce()
    await user.click(within(region).getByRole('button', { name: 'Restore default network' }))
    expect(await screen.findByText('The default network is back.')).toBeInTheDocument()
    expect(f.callsOf('network:restore-default')).toHaveLength(1)
    expect(props.onSetupDefault).not.toHaveBeenCalled()
  })

  it('with no network and no deleted default, offers to set the default network up', async () => {
    const { user, props } = setup(fakeApi(), [], {
      exists: false,
      created: false,
      defaultDeleted: false,
      deletedUuid: null
    })
    const region = screen.getByRole('region', { name: 'No networks yet' })
    expect(within(region).queryByRole('button', { name: 'Restore default network' })).toBeNull()
    await user.click(within(region).getByRole('button', { name: 'Set up the default network' }))
    expect(props.onSetupDefault).toHaveBeenCalledOnce()
  })
})
