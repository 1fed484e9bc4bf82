import { describe, expect, it } from 'vitest'

import { channels } from '../contract/ipc-contract'
import { diagnose } from '../doctor/diagnose'
import { DOCKER_IPTABLES, killSwitchRuleset, observation } from '../../test/unit-support/observation.fixture'
import { buildReport } from '../doctor/report'
import type { HelperRequest, HelperVerb, RequestOf } from '../contract/helper-protocol'
import { doctorHandlers } from './doctor-service'
import type { RunHelper, RunOptions } from '../helper-client/app-runner'
import type { ClientResult } from '../helper-client/client-result'
import { dispatch } from './ipc/dispatch'
import type { Handlers } from './ipc/dispatch'
import { ServiceError } from './service/service-error'

const obs = observation({
  nftRuleset: killSwitchRuleset(),
  iptables: [{ family: 4, backend: 'nft', program: 'iptables-nft', rules: DOCKER_IPTABLES }]
})
const report = buildReport(
  obs,
  diagnose(obs),
  [
    {
      id: 'forwarding/ipv4',
      check: 'forwarding',
      title: 't',
      appliedAt: 'now',
      commands: [],
      facts: [{ kind: 'sysctl', key: 'net.ipv4.ip_forward' }]
    }
  ],
  []
)

function fakeHelper(outcome: ClientResult<'doctor'> = { ok: true, value: report }): {
  calls: Array<{ req: HelperRequest; opts: RunOptions }>
  run: RunHelper
} {
  const calls: Array<{ req: HelperRequest; opts: RunOptions }> = []
  const run = async <V extends HelperVerb>(req: RequestOf<V>, opts: RunOptions): Promise<ClientResult<V>> => {
    calls.push({ req, opts })
    return outcome as ClientResult<V>
  }
  return { calls, run }
}

describe('doctor handlers', () => {
  it('diagnose without a password by default, with every check when asked', async () => {
    const h = fakeHelper()
    const d = doctorHandlers({ helper: h.run, helperArgs: { root: '/r', netns: 'ns' } })
    await d['doctor:run']({})
    await d['doctor:run']({ full: true })
    expect(h.calls.map((c) => [c.req, c.opts.privileged])).toEqual([
      [{ verb: 'doctor', args: { root: '/r', netns: 'ns' } }, false],
      [{ verb: 'doctor', args: { root: '/r', netns: 'ns' } }, true]
    ])
  })

  it('fix and undo as root, naming the finding', async () => {
    const h = fakeHelper()
    const d = doctorHandlers({ helper: h.run, helperArgs: {} })
    await d['doctor:fix']({ id: 'iptables-drop/ipv4-nft-forward' })
    await d['doctor:undo']({ id: 'all' })
    expect(h.calls.map((c) => [c.req.args, c.opts.privileged])).toEqual([
      [{ fix: 'iptables-drop/ipv4-nft-forward' }, true],
      [{ undo: 'all' }, true]
    ])
  })

  it('turns a dismissed password prompt into CANCELLED', async () => {
    const d = doctorHandlers({
      helper: fakeHelper({ ok: false, error: { code: 'CANCELLED', message: 'dismissed' } }).run,
      helperArgs: {}
    })
    await expect(d['doctor:fix']({ id: 'all' })).rejects.toBeInstanceOf(ServiceError)
  })

  it('a real report matches the contract, and the contract refuses a selector that is not an id', async () => {
    expect(channels['doctor:run'].output.check(report, '').ok).toBe(true)
    const handlers = doctorHandlers({ helper: fakeHelper().run, helperArgs: {} }) as unknown as Handlers
    expect(await dispatch(handlers, 'doctor:run', {})).toMatchObject({ ok: true })
    expect(await dispatch(handlers, 'doctor:fix', { id: 'nft-drop; rm -rf /' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' }
    })
  })
})
