import { describe, expect, it } from 'vitest'

import type { Argv, PlanStep } from '../core/model/plan'
import type { CommandRunner } from './apply-plan'
import { applyPlan, InterruptedError, prerequisites, replayUndo, undoFor } from './apply-plan'
import type { StepEvent } from '../contract/helper-protocol'

function step(id: string, rollbacks = 1): PlanStep {
  return {
    id,
    title: `do ${id}`,
    apply: [['ip', 'apply', id]],
    rollback: Array.from({ length: rollbacks }, (_, i) => ['ip', 'undo', `${id}${rollbacks > 1 ? `.${i}` : ''}`])
  }
}

/** Records every command; fails the commands whose argv joined matches `failOn`. */
class FakeRunner implements CommandRunner {
  readonly calls: string[] = []
  constructor(private readonly failOn: ReadonlySet<string> = new Set()) {}
  async run(argv: Argv): Promise<void> {
    const text = argv.join(' ')
    this.calls.push(text)
    if (this.failOn.has(text)) throw new Error(`boom: ${text}`)
  }
}

const STEPS = [step('bridge'), step('addr'), step('nft'), step('dnsmasq')]

describe('applyPlan', () => {
  it('runs every step in order and returns the undo list, last step first', async () => {
    const runner = new FakeRunner()
    const events: StepEvent[] = []
    const out = await applyPlan(STEPS, runner, { network: 'n', onEvent: (e) => events.push(e) })
    expect(out.ok).toBe(true)
    expect(runner.calls).toEqual(['ip apply bridge', 'ip apply addr', 'ip apply nft', 'ip apply dnsmasq'])
    if (!out.ok) return
    expect(out.undo.map((u) => u.step)).toEqual(['dnsmasq', 'nft', 'addr', 'bridge'])
    expect(events.filter((e) => e.type === 'step-done').map((e) => (e as { step: string }).step)).toEqual([
      'bridge',
      'addr',
      'nft',
      'dnsmasq'
    ])
  })

  for (let n = 0; n < STEPS.length; n++) {
    it(`failing at step ${n + 1} rolls back that step and every earlier one in reverse`, async () => {
      const failing = STEPS[n].id
      const runner = new FakeRunner(new Set([`ip apply ${failing}`]))
      const out = await applyPlan(STEPS, runner, { network: 'n' })
      expect(out.ok).toBe(false)
      if (out.ok) return
      expect(out.failedStep).toBe(failing)
      expect((out.error as Error).message).toBe(`boom: ip apply ${failing}`)
      const expectedUndo = STEPS.slice(0, n + 1)
        .reverse()
        .map((s) => `ip undo ${s.id}`)
      expect(runner.calls.slice(n + 1)).toEqual(expectedUndo)
      // Nothing after the failed step ran.
      for (const later of STEPS.slice(n + 1)) expect(runner.calls).not.toContain(`ip apply ${later.id}`)
    })
  }

  it('keeps the original error when rollbacks fail too, and collects every rollback error', async () => {
    const runner = new FakeRunner(new Set(['ip apply nft', 'ip undo addr', 'ip undo nft']))
    const out = await applyPlan(STEPS, runner, { network: 'n' })
    expect(out.ok).toBe(false)
    if (out.ok) return
    expect((out.error as Error).message).toBe('boom: ip apply nft')
    expect(out.rollbackErrors).toEqual([
      'nft: ip undo nft: boom: ip undo nft',
      'addr: ip undo addr: boom: ip undo addr'
    ])
    // A failing rollback does not stop the others.
    expect(runner.calls).toContain('ip undo bridge')
  })

  it('runs a step’s rollback commands in their listed order and carries on past a failing one', async () => {
    const steps = [step('a', 3)]
    const runner = new FakeRunner(new Set(['ip apply a', 'ip undo a.0']))
    const out = await applyPlan(steps, runner, { network: 'n' })
    expect(out.ok).toBe(false)
    expect(runner.calls).toEqual(['ip apply a', 'ip undo a.0', 'ip undo a.1', 'ip undo a.2'])
  })

  it('stops before the next step when asked (a signal) and rolls back what was done', async () => {
    const runner = new FakeRunner()
    let started = 0
    const out = await applyPlan(STEPS, runner, {
      network: 'n',
      onEvent: (e) => {
        if (e.type === 'step-started') started++
      },
      shouldStop: () => started >= 2
    })
    expect(out.ok).toBe(false)
    if (out.ok) return
    expect(out.interrupted).toBe(true)
    expect(out.error).toBeInstanceOf(InterruptedError)
    expect(runner.calls).toEqual(['ip apply bridge', 'ip apply addr', 'ip undo addr', 'ip undo bridge'])
  })

  it('emits step-failed then rolled-back events for the failed step first', async () => {
    const runner = new FakeRunner(new Set(['ip apply addr']))
    const events: StepEvent[] = []
    await applyPlan(STEPS, runner, { network: 'n', onEvent: (e) => events.push(e) })
    expect(events.map((e) => `${e.type}:${'step' in e ? e.step : ''}`)).toEqual([
      'step-started:bridge',
      'step-done:bridge',
      'step-started:addr',
      'step-failed:addr',
      'rolled-back:addr',
      'rolled-back:bridge'
    ])
  })
})

describe('replayUndo', () => {
  it('replays the journal order and reports failures without stopping', async () => {
    const runner = new FakeRunner(new Set(['ip undo nft']))
    const errors = await replayUndo(undoFor(STEPS), runner, 'n')
    expect(runner.calls).toEqual(['ip undo dnsmasq', 'ip undo nft', 'ip undo addr', 'ip undo bridge'])
    expect(errors).toEqual(['nft: ip undo nft: boom: ip undo nft'])
  })
})

describe('replayUndo, concurrent (stop)', () => {
  it('starts every step at once, keeps each step’s commands in order, reports errors in undo order', async () => {
    const started: string[] = []
    const release: Array<() => void> = []
    const runner: CommandRunner = {
      run: (argv) => {
        started.push(argv.join(' '))
        return new Promise<void>((resolve, reject) => {
          release.push(() => (argv[2].startsWith('nft') || argv[2] === 'bridge' ? reject(new Error('x')) : resolve()))
        })
      }
    }
    const steps = [step('bridge'), step('nft', 2)]
    const done = replayUndo(undoFor(steps), runner, 'n', undefined, { concurrent: true })
    await new Promise((r) => setTimeout(r, 0))
    // Both steps began before either finished, in plan order (the bridge first); the second command
    // of a step waits for its first.
    expect(started).toEqual(['ip undo bridge', 'ip undo nft.0'])
    while (release.length) {
      release.shift()?.()
      await new Promise((r) => setTimeout(r, 0))
    }
    expect(started).toEqual(['ip undo bridge', 'ip undo nft.0', 'ip undo nft.1'])
    expect(await done).toEqual(['nft: ip undo nft.0: x', 'nft: ip undo nft.1: x', 'bridge: ip undo bridge: x'])
  })
})

describe('applyPlan: what a failed rollback means', () => {
  it('a failing undo of the failed step itself does not count as something left', async () => {
    const runner = new FakeRunner(new Set(['ip apply nft', 'ip undo nft']))
    const out = await applyPlan(STEPS, runner, { network: 'n' })
    expect(out.ok).toBe(false)
    if (out.ok) return
    expect(out.rollbackErrors).toEqual(['nft: ip undo nft: boom: ip undo nft'])
    expect(out.leftSomething).toBe(false)
  })

  it('a failing undo of a completed step does', async () => {
    const runner = new FakeRunner(new Set(['ip apply nft', 'ip undo bridge']))
    const out = await applyPlan(STEPS, runner, { network: 'n' })
    expect(out.ok ? null : out.leftSomething).toBe(true)
  })
})

/** Each apply waits until released, so a test sees which steps are in flight together. */
class GatedRunner implements CommandRunner {
  readonly calls: string[] = []
  readonly inFlight = new Set<string>()
  maxInFlight = 0
  constructor(private readonly failOn: ReadonlySet<string> = new Set()) {}
  async run(argv: Argv): Promise<void> {
    const text = argv.join(' ')
    this.calls.push(text)
    this.inFlight.add(text)
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight.size)
    await new Promise((r) => setTimeout(r, 5))
    this.inFlight.delete(text)
    if (this.failOn.has(text)) throw new Error(`boom: ${text}`)
  }
}

describe('applyPlan with step needs (after)', () => {
  const needs: Record<string, string[]> = {
    bridge: ['files'],
    firewall: ['files'],
    sysctls: ['files', 'bridge', 'firewall'],
    dnsmasq: ['files', 'bridge']
  }
  const PLAN = ['files', 'bridge', 'firewall', 'sysctls', 'dnsmasq'].map((id) =>
    needs[id] ? { ...step(id), after: needs[id] } : step(id)
  )

  it('waits for every earlier step unless the step says what it needs; ignores needs on later or unknown steps', () => {
    const plain = PLAN.map((p) => ({ ...p, after: undefined }))
    expect(prerequisites(plain, 3)).toEqual(['files', 'bridge', 'firewall'])
    expect(prerequisites(PLAN, 2)).toEqual(['files'])
    expect(prerequisites([step('files'), { ...step('bridge'), after: ['files', 'dnsmasq', 'nope'] }], 1)).toEqual([
      'files'
    ])
  })

  it('runs the firewall while the bridge is made, dnsmasq once the bridge is there, forwarding last', async () => {
    const runner = new GatedRunner()
    const out = await applyPlan(PLAN, runner, { network: 'n' })
    expect(out.ok).toBe(true)
    expect(runner.maxInFlight).toBe(2)
    expect(runner.calls.slice(0, 3)).toEqual(['ip apply files', 'ip apply bridge', 'ip apply firewall'])
    // sysctls only after both bridge and firewall, dnsmasq only after the bridge
    expect(runner.calls.indexOf('ip apply sysctls')).toBeGreaterThan(2)
    expect(runner.calls.indexOf('ip apply dnsmasq')).toBeGreaterThan(1)
    if (out.ok) expect(out.undo.map((u) => u.step)).toEqual(['dnsmasq', 'sysctls', 'firewall', 'bridge', 'files'])
  })

  it('never starts a step before what it needs is done', async () => {
    const started: string[] = []
    const done = new Set<string>()
    const runner: CommandRunner = {
      async run(argv) {
        const id = argv[2]
        if (argv[1] !== 'apply') return
        started.push(id)
        for (const need of prerequisites(
          PLAN,
          PLAN.findIndex((p) => p.id === id)
        ))
          expect(done.has(need)).toBe(true)
        await new Promise((r) => setTimeout(r, id === 'firewall' ? 15 : 2))
        done.add(id)
      }
    }
    const out = await applyPlan(PLAN, runner, { network: 'n' })
    expect(out.ok).toBe(true)
    expect(started).toHaveLength(5)
    // dnsmasq did not wait for the slow firewall
    expect(started.indexOf('dnsmasq')).toBeLessThan(started.indexOf('sysctls'))
  })

  for (const failing of ['bridge', 'firewall']) {
    it(`rolls back the steps running alongside and everything before when ${failing} fails`, async () => {
      const runner = new GatedRunner(new Set([`ip apply ${failing}`]))
      const events: StepEvent[] = []
      const out = await applyPlan(PLAN, runner, { network: 'n', onEvent: (e) => events.push(e) })
      expect(out.ok).toBe(false)
      if (out.ok) return
      expect(out.failedStep).toBe(failing)
      const other = failing === 'bridge' ? 'firewall' : 'bridge'
      // the failed step's own undo first, then the steps that completed, last first
      const undone = runner.calls.filter((c) => c.startsWith('ip undo'))
      expect(undone[0]).toBe(`ip undo ${failing}`)
      // dnsmasq needs only the bridge: it may have started (and is then undone) when the firewall fails
      const dnsmasqRan = runner.calls.includes('ip apply dnsmasq')
      expect(dnsmasqRan).toBe(failing === 'firewall' && dnsmasqRan)
      expect(undone.slice(1)).toEqual([...(dnsmasqRan ? ['ip undo dnsmasq'] : []), `ip undo ${other}`, 'ip undo files'])
      expect(runner.calls).not.toContain('ip apply sysctls')
      expect(events.filter((e) => e.type === 'step-failed').map((e) => (e as { step: string }).step)).toEqual([failing])
    })
  }

  it('rolls back a step that finished alongside a failed one (dnsmasq up, firewall failed)', async () => {
    const runner: CommandRunner & { calls: string[] } = {
      calls: [],
      async run(argv) {
        const text = argv.join(' ')
        this.calls.push(text)
        if (text === 'ip apply firewall') {
          await new Promise((r) => setTimeout(r, 20))
          throw new Error('boom: nft')
        }
      }
    }
    const out = await applyPlan(PLAN, runner, { network: 'n' })
    expect(out.ok).toBe(false)
    if (out.ok) return
    expect(out.failedStep).toBe('firewall')
    expect(runner.calls.filter((c) => c.startsWith('ip undo'))).toEqual([
      'ip undo firewall',
      'ip undo dnsmasq',
      'ip undo bridge',
      'ip undo files'
    ])
  })

  it('checks for a signal before starting each step', async () => {
    const runner = new GatedRunner()
    let asked = 0
    const out = await applyPlan(PLAN, runner, { network: 'n', shouldStop: () => ++asked > 3 })
    expect(out.ok).toBe(false)
    if (out.ok) return
    expect(out.interrupted).toBe(true)
    expect(runner.calls.filter((c) => c.startsWith('ip apply'))).toEqual([
      'ip apply files',
      'ip apply bridge',
      'ip apply firewall'
    ])
    expect(runner.calls.filter((c) => c.startsWith('ip undo'))).toEqual([
      'ip undo firewall',
      'ip undo bridge',
      'ip undo files'
    ])
  })
})
