import { describe, expect, it } from 'vitest'

import { forwardSteps } from './forward-steps'
import { networkPaths } from './network-paths'

const paths = networkPaths({ runtimeDir: '/run/guestnet', stateDir: '/var/lib/guestnet' }, 'lab')
const tables = [{ family: 'inet', name: 'guestnet_lab' }]

describe('forwardSteps', () => {
  it('replaces the table in one nft -f (delete + create), and undoes with the old ruleset the same way', () => {
    const r = forwardSteps({ paths, tables, next: 'NEW\n', current: 'OLD\n' })
    expect(r.changed).toBe(true)
    expect(r.artifacts['forward.nft']).toBe('delete table inet guestnet_lab\nNEW\n')
    expect(r.artifacts['forward-undo.nft']).toBe('delete table inet guestnet_lab\nOLD\n')
    const firewall = r.steps.find((s) => s.id === 'firewall')
    expect(firewall?.apply).toEqual([['nft', '-f', `${paths.dir}/forward.nft`]])
    expect(firewall?.rollback).toEqual([['nft', '-f', `${paths.dir}/forward-undo.nft`]])
    // Nothing flushes conntrack: no step runs conntrack or touches anything but files and nft.
    const programs = r.steps.flatMap((s) => [...s.apply, ...s.rollback]).map((a) => a[0])
    expect(new Set(programs)).toEqual(new Set(['@write', '@remove', 'nft']))
    expect(r.scratch).toEqual([`${paths.dir}/forward.nft`, `${paths.dir}/forward-undo.nft`])
  })

  it('does nothing when the ruleset would not change, or the network has no table', () => {
    expect(forwardSteps({ paths, tables, next: 'SAME', current: 'SAME' })).toMatchObject({ changed: false, steps: [] })
    expect(forwardSteps({ paths, tables: [], next: 'NEW', current: 'OLD' })).toMatchObject({ changed: false })
  })
})
