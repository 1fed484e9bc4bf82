import { describe, expect, it } from 'vitest'

import type { Argv } from '../../core/model/plan'
import type { BuiltinEnv } from './builtins'
import { runBuiltin } from './builtins'
import { CommandError } from './exec-program'

function envWith(fail: (argv: Argv) => string | null = () => null): { env: BuiltinEnv; ran: string[] } {
  const ran: string[] = []
  const env: BuiltinEnv = {
    network: 'lan',
    store: 'system',
    owner: 'guestnet:system:lan',
    bridge: 'virbr7',
    artifacts: {},
    allowedDirs: ['/run/guestnet'],
    runtimeDir: '/run/guestnet',
    ledgerFile: '/nonexistent/ledger.json',
    programs: {
      run: async (argv) => {
        const err = fail(argv)
        if (err !== null) throw new CommandError(argv, 2, err)
        ran.push(argv.join(' '))
      },
      output: async () => ''
    }
  }
  return { env, ran }
}

describe('@proxy-ndp / @unproxy-ndp', () => {
  it("routes the address to the network's own bridge and answers for it on the uplink, re-formatted", async () => {
    const { env, ran } = envWith()
    await runBuiltin(['@proxy-ndp', 'wlan0', '2001:DB8:aa:0::5'], env)
    expect(ran).toEqual([
      'ip -6 route replace 2001:db8:aa::5/128 dev virbr7',
      'ip -6 neigh replace proxy 2001:db8:aa::5 dev wlan0'
    ])
  })

  it('removes both, and what is gone already is no error', async () => {
    const { env, ran } = envWith((a) =>
      a[3] === 'del' && a[2] === 'neigh' ? 'RTNETLINK answers: No such file or directory' : null
    )
    await runBuiltin(['@unproxy-ndp', 'wlan0', '2001:db8:aa::5'], env)
    expect(ran).toEqual(['ip -6 route del 2001:db8:aa::5/128 dev virbr7'])
  })

  it('refuses anything but a global IPv6 address, the bridge as uplink, a bad name, or a network without a bridge', async () => {
    const { env, ran } = envWith()
    for (const addr of ['fe80::1', 'ff02::1', '::1', '10.0.0.1', '2001:db8::1 dev lo', '::'])
      await expect(runBuiltin(['@proxy-ndp', 'wlan0', addr], env)).rejects.toThrow(/not a global IPv6 address/)
    await expect(runBuiltin(['@proxy-ndp', 'virbr7', '2001:db8:aa::5'], env)).rejects.toThrow(/not an uplink/)
    await expect(runBuiltin(['@proxy-ndp', 'a b', '2001:db8:aa::5'], env)).rejects.toThrow(/not an uplink/)
    await expect(runBuiltin(['@proxy-ndp', 'wlan0'], env)).rejects.toThrow(/takes 2/)
    await expect(runBuiltin(['@proxy-ndp', 'wlan0', '2001:db8:aa::5'], { ...env, bridge: null })).rejects.toThrow(
      /no bridge/
    )
    expect(ran).toEqual([])
  })
})
