import { render, screen, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'

import { fakeApi, ok } from '../../../../test/renderer-support/fake-api'
import DoctorPage from './DoctorPage.svelte'
import type { DoctorReport } from './doctor-view'
import { commandText, summaryText } from './doctor-view'

const dockerFinding: DoctorReport['findings'][number] = {
  id: 'iptables-drop/ipv4-nft-forward',
  check: 'iptables-drop',
  severity: 'error',
  title: "Docker's iptables FORWARD policy DROP blocks guest traffic (IPv4)",
  explanation: 'A drop in any table wins.',
  evidence: ['iptables-nft -S: -P FORWARD DROP'],
  fix: {
    summary: 'accept traffic in and out of virbr0 in DOCKER-USER (iptables-nft)',
    commands: [['iptables-nft', '-I', 'DOCKER-USER', '-i', 'virbr0', '-j', 'ACCEPT']],
    undo: [['iptables-nft', '-D', 'DOCKER-USER', '-i', 'virbr0', '-j', 'ACCEPT']]
  },
  advice: null
}
const portFinding: DoctorReport['findings'][number] = {
  id: 'port-holder/udp-67',
  check: 'port-holder',
  severity: 'error',
  title: 'another program holds UDP 67 (DHCP) on every address',
  explanation: 'dnsmasq cannot serve the guests.',
  evidence: [],
  fix: null,
  advice: 'stop that program'
}

function report(over: Partial<DoctorReport> = {}): DoctorReport {
  return {
    version: 1,
    netns: null,
    complete: true,
    unavailable: [],
    checks: [{ check: 'iptables-drop', title: 'iptables lets our guests through', status: 'problem', note: null }],
    findings: [dockerFinding, portFinding],
    applied: [],
    actions: [],
    ...over
  }
}

const fixedReport = report({
  findings: [portFinding],
  applied: [
    {
      id: dockerFinding.id,
      check: 'iptables-drop',
      title: dockerFinding.title,
      appliedAt: '2030-01-01T00:00:00Z',
      undo: []
    }
  ],
  actions: [
    {
      kind: 'fix',
      id: dockerFinding.id,
      ok: true,
      message: 'fixed: accept traffic in and out of virbr0',
      commands: [],
      errors: []
    }
  ]
})

function setup(first: DoctorReport = report()) {
  const f = fakeApi({
    'doctor:run': () => ok(first),
    'doctor:fix': () => ok(fixedReport),
    'doctor:undo': () => ok(report())
  })
  const onBack = vi.fn()
  render(DoctorPage, { api: f.api, onBack })
  return { f, onBack, user: userEvent.setup() }
}

describe('Doctor page', () => {
  it('lists the findings with their explanation, what was seen, and a labelled Fix button', async () => {
    setup()
    const item = await screen.findByRole('listitem', { name: dockerFinding.title })
    expect(item).toHaveTextContent('A drop in any table wins.')
    expect(item).toHaveTextContent('iptables-nft -S: -P FORWARD DROP')
    expect(within(item).getByRole('button', { name: `Fix: ${dockerFinding.title}` })).toBeEnabled()
    const port = screen.getByRole('listitem', { name: portFinding.title })
    expect(within(port).queryByRole('button', { name: /^Fix/ })).toBeNull()
    expect(port).toHaveTextContent('What to do: stop that program')
    expect(screen.getByText('2 problems found.')).toBeInTheDocument()
  })

  it('fixes from the keyboard, then offers Undo for the applied fix', async () => {
    const { f, user } = setup()
    const fixButton = await screen.findByRole('button', { name: `Fix: ${dockerFinding.title}` })
    fixButton.focus()
    await user.keyboard('{Enter}')
    expect(f.callsOf('doctor:fix')).toEqual([{ id: dockerFinding.id }])
    expect(await screen.findByText('fixed: accept traffic in and out of virbr0')).toBeInTheDocument()
    const undo = screen.getByRole('button', { name: `Undo fix: ${dockerFinding.title}` })
    await user.click(undo)
    expect(f.callsOf('doctor:undo')).toEqual([{ id: dockerFinding.id }])
    expect(await screen.findByRole('button', { name: `Fix: ${dockerFinding.title}` })).toBeInTheDocument()
  })

  it('offers to check everything when some checks could not look', async () => {
    const { f, user } = setup(
      report({
        complete: false,
        unavailable: ['firewall rules (nftables, iptables): only root can list them'],
        findings: []
      })
    )
    expect(await screen.findByText('firewall rules (nftables, iptables): only root can list them')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Check everything (needs administrator rights)' }))
    expect(f.callsOf('doctor:run')).toEqual([{}, { full: true }])
  })

  it('shows an error (and a cancelled prompt as such)', async () => {
    const f = fakeApi({ 'doctor:run': () => ({ ok: false, error: { code: 'CANCELLED', message: 'dismissed' } }) })
    render(DoctorPage, { api: f.api, onBack: vi.fn() })
    expect(await screen.findByRole('alert')).toHaveTextContent('Cancelled')
  })
})

describe('doctor view helpers', () => {
  it('shows commands as typed, and the sysctl built-ins as sysctl', () => {
    expect(commandText(['nft', '-j', '{"a": 1}'])).toBe(`nft -j '{"a": 1}'`)
    expect(commandText(['@doctor-sysctl', 'net.ipv4.ip_forward', '1'])).toBe('sysctl -w net.ipv4.ip_forward=1')
    expect(summaryText(report({ findings: [] }))).toBe('No problems found.')
  })
})
