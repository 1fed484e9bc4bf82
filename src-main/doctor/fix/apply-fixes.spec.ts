import { describe, expect, it } from 'vitest'

import type { Finding, FixRecord } from '../model'
import type { DoctorRunner, RecordStore } from './apply-fixes'
import { applyFix, undoFixes, undoOfRecord } from './apply-fixes'

function memoryStore(initial: FixRecord[] = []): RecordStore & { saves: FixRecord[][] } {
  let records = initial
  const saves: FixRecord[][] = []
  return {
    saves,
    load: () => records,
    save: (r) => {
      records = [...r]
      saves.push(records)
    }
  }
}

function fakeRunner(
  failOn?: string,
  comments = new Map<number, string | null>([[9, 'guestnet-doctor']])
): DoctorRunner & { ran: string[] } {
  const ran: string[] = []
  return {
    ran,
    notes: () => [],
    ruleComments: async () => comments,
    async run(argv) {
      ran.push(argv.join(' '))
      if (failOn && argv.join(' ').includes(failOn)) throw new Error(`${argv[0]} failed (exit 1): boom`)
      if (argv[0] === 'nft')
        return {
          stdout: '{"nftables":[{"insert":{"rule":{"family":"inet","table":"k","chain":"forward","handle":9}}}]}'
        }
      return { stdout: '' }
    }
  }
}

const finding: Finding = {
  id: 'iptables-drop/ipv4-nft-forward',
  check: 'iptables-drop',
  severity: 'error',
  title: 'Docker',
  explanation: '',
  evidence: [],
  advice: null,
  fix: {
    summary: 'accept virbr0',
    commands: [
      {
        argv: ['iptables-nft', '-I', 'DOCKER-USER', '-i', 'virbr0', '-j', 'ACCEPT'],
        undo: ['iptables-nft', '-D', 'DOCKER-USER', '-i', 'virbr0', '-j', 'ACCEPT']
      },
      {
        argv: ['iptables-nft', '-I', 'DOCKER-USER', '-o', 'virbr0', '-j', 'ACCEPT'],
        undo: ['iptables-nft', '-D', 'DOCKER-USER', '-o', 'virbr0', '-j', 'ACCEPT']
      },
      { argv: ['nft', '-j', '--echo', '--handle', '{}'], undo: null, undoFromEcho: true }
    ]
  }
}
const now = (): Date => new Date('2030-01-02T03:04:05Z')

describe('applying and undoing fixes', () => {
  it('runs the commands in order and records the undo in reverse, after every command', async () => {
    const store = memoryStore()
    const runner = fakeRunner()
    const action = await applyFix(finding, runner, store, now)
    expect(action).toMatchObject({ kind: 'fix', ok: true, message: 'fixed: accept virbr0' })
    expect(store.saves).toHaveLength(3)
    const [rec] = store.load()
    expect(rec).toMatchObject({ id: finding.id, appliedAt: '2030-01-02T03:04:05.000Z' })
    // Facts, not commands: the undo is derived from them.
    expect(rec.facts.map((f) => f.kind)).toEqual(['iptables', 'iptables', 'nft-rules'])
    expect(undoOfRecord(rec).map((u) => u.slice(0, 5).join(' '))).toEqual([
      'nft -j {"nftables":[{"delete":{"rule":{"family":"inet","table":"k","chain":"forward","handle":9}}}]}',
      'iptables-nft -D DOCKER-USER -o virbr0',
      'iptables-nft -D DOCKER-USER -i virbr0'
    ])
  })

  it('undoes at once what a failed fix had done, and records nothing', async () => {
    const store = memoryStore()
    const runner = fakeRunner('-o virbr0')
    const action = await applyFix(finding, runner, store, now)
    expect(action.ok).toBe(false)
    expect(action.message).toMatch(/failed, and what it had done was undone: iptables-nft failed/)
    expect(runner.ran.slice(-1)).toEqual(['iptables-nft -D DOCKER-USER -i virbr0 -j ACCEPT'])
    expect(store.load()).toEqual([])
  })

  it('says there is no automatic fix for a finding without one', async () => {
    const a = await applyFix({ ...finding, fix: null, advice: 'stop it' }, fakeRunner(), memoryStore(), now)
    expect(a).toMatchObject({ ok: false, message: `${finding.id} has no automatic fix: stop it` })
  })

  it('undoes the selected records, last applied first, and drops them', async () => {
    const store = memoryStore()
    const runner = fakeRunner()
    await applyFix(finding, runner, store, now)
    const second: FixRecord = {
      id: 'forwarding/ipv4',
      check: 'forwarding',
      title: 'fw',
      appliedAt: 'x',
      commands: [],
      facts: [{ kind: 'sysctl', key: 'net.ipv4.ip_forward' }]
    }
    store.save([...store.load(), second])
    runner.ran.length = 0
    const actions = await undoFixes(store.load(), runner, store)
    expect(actions.map((a) => [a.id, a.ok])).toEqual([
      ['forwarding/ipv4', true],
      [finding.id, true]
    ])
    expect(runner.ran[0]).toBe('@sysctl-restore net.ipv4.ip_forward')
    expect(store.load()).toEqual([])
  })

  it('does not undo a fact of an unexpected shape', async () => {
    const bad: FixRecord = {
      id: 'iptables-drop/x',
      check: 'iptables-drop',
      title: 't',
      appliedAt: 'x',
      commands: [],
      facts: [{ kind: 'iptables', program: 'iptables-nft', op: '-I', chain: 'FORWARD', spec: ['-j', 'DROP'] }]
    }
    const runner = fakeRunner()
    const [a] = await undoFixes([bad], runner, memoryStore([bad]))
    expect(runner.ran).toEqual([])
    expect(a.ok).toBe(false)
    expect(a.errors[0]).toMatch(/^not undone: /)
  })

  it('deletes an nft rule only if it still carries the doctor comment (positive control above)', async () => {
    const store = memoryStore()
    await applyFix(finding, fakeRunner(), store, now)
    const runner = fakeRunner(undefined, new Map([[9, 'someone-elses']]))
    const [a] = await undoFixes(store.load(), runner, store)
    expect(runner.ran.some((r) => r.startsWith('nft'))).toBe(false)
    expect(a.errors.join(' ')).toMatch(/not the doctor's/)
  })
})
