import { describe, expect, it } from 'vitest'

import { DOCKER_IPTABLES, observation } from '../../test/unit-support/observation.fixture'
import type { DoctorRunner, RecordStore } from './fix/apply-fixes'
import type { DoctorObservation, FixRecord } from './model'
import { runDoctor } from './run-doctor'

/** A pretend host: the Docker FORWARD DROP goes away once our accept rules are in, and comes back on undo. */
function host(): { observe(): Promise<DoctorObservation>; runner: DoctorRunner; records: RecordStore; ran: string[] } {
  let rules = DOCKER_IPTABLES
  let records: FixRecord[] = []
  const ran: string[] = []
  return {
    ran,
    observe: async () => observation({ iptables: [{ family: 4, backend: 'nft', program: 'iptables-nft', rules }] }),
    runner: {
      notes: () => [],
      ruleComments: async () => new Map(),
      async run(argv) {
        ran.push(argv.join(' '))
        const spec = argv.slice(3).join(' ')
        if (argv[1] === '-I') rules += `-A ${argv[2]} ${spec}\n`
        if (argv[1] === '-D') rules = rules.replace(`-A ${argv[2]} ${spec}\n`, '')
        return { stdout: '' }
      }
    },
    records: { load: () => records, save: (r) => (records = [...r]) }
  }
}

const now = (): Date => new Date('2030-01-01T00:00:00Z')

describe('runDoctor', () => {
  it('diagnoses without changing anything', async () => {
    const h = host()
    const r = await runDoctor({}, { ...h, now })
    expect(r.findings.map((f) => f.id)).toEqual(['iptables-drop/ipv4-nft-forward'])
    expect(r.actions).toEqual([])
    expect(h.ran).toEqual([])
  })

  it('fixes, reports the state after, and undoes back to the state before', async () => {
    const h = host()
    const fixed = await runDoctor({ fix: 'iptables-drop' }, { ...h, now })
    expect(fixed.actions.map((a) => [a.kind, a.id, a.ok])).toEqual([['fix', 'iptables-drop/ipv4-nft-forward', true]])
    expect(fixed.findings).toEqual([])
    expect(fixed.applied.map((a) => a.id)).toEqual(['iptables-drop/ipv4-nft-forward'])
    const undone = await runDoctor({ undo: 'all' }, { ...h, now })
    expect(undone.actions.map((a) => [a.kind, a.ok])).toEqual([['undo', true]])
    expect(undone.findings.map((f) => f.id)).toEqual(['iptables-drop/ipv4-nft-forward'])
    expect(undone.applied).toEqual([])
    expect(h.ran.filter((c) => c.includes(' -D '))).toHaveLength(2)
  })

  it('reports a selector that matches nothing', async () => {
    const h = host()
    expect((await runDoctor({ fix: 'forwarding' }, { ...h, now })).actions[0]).toMatchObject({
      ok: false,
      message: 'nothing found for forwarding: nothing to fix'
    })
    expect((await runDoctor({ undo: 'forwarding/ipv4' }, { ...h, now })).actions[0]).toMatchObject({ ok: false })
    expect((await runDoctor({ fix: 'all' }, { ...h, now })).actions).toHaveLength(1)
  })
})
