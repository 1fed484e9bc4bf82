import { describe, expect, it } from 'vitest'

import type { EventName } from '../../contract/ipc-contract'
import { channels } from '../../contract/ipc-contract'
import type { HelperRequest, HelperValue, HelperVerb, RequestOf } from '../../contract/helper-protocol'
import type { RunOptions } from '../../helper-client/app-runner'
import type { ClientResult } from '../../helper-client/client-result'
import { ClashBoard } from './clash-board'
import { renumberHandlers } from './renumber'
import { ServiceError } from './service-error'

const value: HelperValue<'renumber'> = {
  network: 'default',
  from: '192.168.122.0/24',
  to: '192.168.123.0/24',
  changed: true,
  live: true,
  bridge: 'virbr0',
  changes: [{ field: 'ip[0].address', from: '192.168.122.1', to: '192.168.123.1' }],
  staleGuests: [{ mac: '52:54:00:00:00:01', ip: '192.168.122.50', hostname: 'alpha' }],
  dnsmasqPid: 42,
  resolved: null,
  message: 'network default renumbered from 192.168.122.0/24 to 192.168.123.0/24 live'
}

function setup(outcome: ClientResult<'renumber'>) {
  const requests: { req: HelperRequest; privileged: boolean }[] = []
  const events: { event: EventName; payload: unknown }[] = []
  let rechecks = 0
  const emit = (event: EventName, payload: unknown): void => void events.push({ event, payload })
  const board = new ClashBoard(emit)
  board.recheck = async () => void rechecks++
  const h = renumberHandlers({
    helper: async <V extends HelperVerb>(req: RequestOf<V>, opts: RunOptions): Promise<ClientResult<V>> => {
      requests.push({ req, privileged: opts.privileged })
      opts.onEvent?.({
        type: 'step-started',
        network: 'default',
        step: 'addresses',
        title: 'Give bridge virbr0 192.168.123.1/24'
      })
      return outcome as ClientResult<V>
    },
    helperArgs: { root: '/tmp/r', netns: 'gn-sbx-host' },
    emit,
    board
  })
  return { h, requests, events, rechecks: () => rechecks }
}

describe('network:renumber', () => {
  it('runs the helper (privileged) with the target, reports progress, rechecks clashes, answers by the contract', async () => {
    const s = setup({ ok: true, value })
    const out = await s.h['network:renumber']({ name: 'default', to: '192.168.123.0/24', opId: 'op-1' })
    expect(s.requests).toEqual([
      {
        req: {
          verb: 'renumber',
          args: { root: '/tmp/r', netns: 'gn-sbx-host', name: 'default', to: '192.168.123.0/24' }
        },
        privileged: true
      }
    ])
    expect(channels['network:renumber'].output.check(out, '').ok).toBe(true)
    expect(out).toMatchObject({
      from: '192.168.122.0/24',
      to: '192.168.123.0/24',
      live: true,
      staleGuests: value.staleGuests
    })
    expect(s.events.map((e) => e.event)).toEqual(['apply:progress', 'network:state-changed'])
    expect(s.rechecks()).toBe(1)
  })

  it('leaves the target to the helper when none is given, and turns a failure into a service error', async () => {
    const s = setup({
      ok: false,
      error: { code: 'STEP_FAILED', message: "renumbering network default failed at step 'firewall'" }
    })
    await expect(s.h['network:renumber']({ name: 'default' })).rejects.toBeInstanceOf(ServiceError)
    expect(s.requests[0].req.args).not.toHaveProperty('to')
    expect(s.rechecks()).toBe(0)
  })
})

describe('host:clashes', () => {
  it("answers the board's clashes", async () => {
    const s = setup({ ok: true, value })
    expect(await s.h['host:clashes']({})).toEqual([])
  })
})
