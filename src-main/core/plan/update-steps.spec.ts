import { describe, expect, it } from 'vitest'

import { networkPaths } from './network-paths'
import { updateSteps } from './update-steps'

const paths = networkPaths({ runtimeDir: '/run/guestnet', stateDir: '/var/lib/guestnet' }, 'lab')

describe('the steps of a live net-update', () => {
  it('writes the changed file, SIGHUPs the recorded dnsmasq, and undoes by writing the old file and signalling again', () => {
    const r = updateSteps({
      paths,
      next: { hostsfile: 'new\n', addnhosts: 'same\n' },
      current: { hostsfile: 'old\n', addnhosts: 'same\n' },
      dnsmasqStartTime: 4711
    })
    expect(r.changed).toBe(true)
    expect(r.steps).toEqual([
      {
        id: 'files',
        title: 'Write the reservations and DNS hosts to /run/guestnet/lab',
        apply: [['@write', '/run/guestnet/lab/hostsfile', 'hostsfile']],
        rollback: [
          ['@write', '/run/guestnet/lab/hostsfile', 'old:hostsfile'],
          ['@hup-dnsmasq', '/run/guestnet/lab/dnsmasq.pid', '4711']
        ]
      },
      {
        id: 'reload',
        title: 'Tell dnsmasq to re-read them (SIGHUP: same process, leases kept)',
        apply: [['@hup-dnsmasq', '/run/guestnet/lab/dnsmasq.pid', '4711']],
        rollback: []
      }
    ])
    expect(r.artifacts).toEqual({ hostsfile: 'new\n', 'old:hostsfile': 'old\n' })
  })

  it('removes a file that was not there on undo', () => {
    const r = updateSteps({ paths, next: { addnhosts: 'a\n' }, current: { addnhosts: null }, dnsmasqStartTime: 1 })
    expect(r.steps[0].rollback[0]).toEqual(['@remove', '/run/guestnet/lab/addnhosts'])
  })

  it('does nothing, and signals nobody, when no file changes', () => {
    const r = updateSteps({ paths, next: { hostsfile: 'x' }, current: { hostsfile: 'x' }, dnsmasqStartTime: 1 })
    expect(r).toEqual({ steps: [], artifacts: {}, changed: false })
  })
})
