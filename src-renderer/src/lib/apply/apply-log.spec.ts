import { describe, expect, it } from 'vitest'

import type { ApplyProgress } from '../api'
import { emptyLog, foldProgress, rolledBackTitles, statusText } from './apply-log'

const ev = (kind: ApplyProgress['kind'], stepId: string, title = '', opId: string | null = 'op1'): ApplyProgress => ({
  opId,
  network: 'default',
  kind,
  stepId,
  title
})

describe('apply log', () => {
  it('follows each step through started, done, failed and rolled back', () => {
    const events = [
      ev('step-started', 'bridge', 'Create bridge virbr0'),
      ev('step-done', 'bridge'),
      ev('step-started', 'dnsmasq', 'Start dnsmasq'),
      { ...ev('step-failed', 'dnsmasq'), message: 'address in use' },
      ev('rolled-back', 'dnsmasq'),
      ev('rolled-back', 'bridge')
    ]
    const log = events.reduce(foldProgress, emptyLog('op1'))
    expect(log.steps).toEqual([
      { network: 'default', stepId: 'bridge', title: 'Create bridge virbr0', status: 'rolled-back' },
      {
        network: 'default',
        stepId: 'dnsmasq',
        title: 'Start dnsmasq',
        status: 'rolled-back',
        failed: true,
        message: 'address in use'
      }
    ])
    expect(rolledBackTitles(log)).toEqual(['Create bridge virbr0', 'Start dnsmasq'])
    expect(log.steps.map(statusText)).toEqual(['rolled back', 'failed, then rolled back'])
  })

  it('ignores events of other operations', () => {
    const log = foldProgress(emptyLog('op1'), ev('step-started', 'x', 'X', 'op2'))
    expect(log.steps).toEqual([])
  })
})
