import { describe, expect, it } from 'vitest'

import type { Argv, PlanStep } from '../core/model/plan'
import type { CommandRunner } from './apply-plan'
import { applyPlan, InterruptedError, replayUndo, undoFor } from './apply-plan'
import type { StepEvent } from './protocol'

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
    expect(events.filter((e) => e.type === 'step-done').map((e) => (e as { step: string }).step)).toEqual(['bridge', 'addr', 'nft', 'dnsmasq'])
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
    expect(out.rollbackErrors).toEqual(['nft: ip undo nft: boom: ip undo nft', 'addr: ip undo addr: boom: ip undo addr'])
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
    // Both steps began before either finished; the second command of a step waits for its first.
    expect(started).toEqual(['ip undo nft.0', 'ip undo bridge'])
    while (release.length) {
      release.shift()?.()
      await new Promise((r) => setTimeout(r, 0))
    }
    expect(started).toEqual(['ip undo nft.0', 'ip undo bridge', 'ip undo nft.1'])
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
