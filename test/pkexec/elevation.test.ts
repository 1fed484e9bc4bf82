/**
 * The desktop app's elevation path with the real parts: the app's pkexec argv, real pkexec (setuid), a
 * real polkitd deciding by the shipped action and a local rule, the packaged wrapper and helper bundle,
 * as an unprivileged user inside a host namespace, against a private (tmpfs) system store. Allowed: a
 * NAT network is defined, started (a guest gets a lease) and stopped. Denied: pkexec's 127, shown by the
 * app's own runner as NOT_AUTHORISED, and nothing changed. The caller's environment does not reach the
 * helper. Then nothing of the test is left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { appRunner, outcomeWithoutResult, PKEXEC_NOT_AUTHORISED } from './support/app-launch'
import { addressOf } from '../../src-main/sandbox/topology'
import { networkXml } from '../netns/support/network-xml'
import type { ElevationWorld } from './support/elevation-world'
import { createElevationWorld } from './support/elevation-world'
import { runSync } from './support/exec'
import { ACTION_ID, HELPER_WRAPPER } from './support/paths'
import { okValue } from './support/pkexec-request'
import { pkexecSkipReason } from './support/requirements'

const skip = pkexecSkipReason()
if (skip) console.warn(`pkexec tests skipped: ${skip}`)

const NET = { name: 'pknet', bridge: 'gnpkbr0', mode: 'nat', ipv4: '192.168.150.1/24' } as const
const DEFINE = { verb: 'define' as const, args: { xml: networkXml(NET) } }
const START = { verb: 'start', args: { name: NET.name } }
const STOP = { verb: 'stop', args: { name: NET.name } }

describe.skipIf(skip !== null)(`elevation through real pkexec and polkitd${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let w: ElevationWorld
  const started = performance.now()

  const bridges = async (): Promise<string[]> =>
    (await w.world.x.ipJson<{ ifname: string }[]>(w.host, ['link', 'show', 'type', 'bridge'])).map((l) => l.ifname)

  beforeAll(async () => {
    w = await createElevationWorld()
    const { startedBus, startedPolkitd } = w.polkit
    console.info(
      `pkexec set-up ${(performance.now() - started).toFixed(0)} ms: bus ${startedBus ? `started (pid ${startedBus})` : 'running'}, ` +
        `polkitd ${startedPolkitd ? `started (pid ${startedPolkitd})` : 'running'}, packages ${w.packages.join(' ')}`
    )
  })
  afterAll(async () => {
    await w?.dispose()
    console.info(`pkexec suite ${(performance.now() - started).toFixed(0)} ms`)
  })

  it('polkit accepts the shipped action, with its defaults and the helper it may run', () => {
    const { stdout } = runSync(['pkaction', '--verbose', '--action-id', ACTION_ID])
    expect(stdout).toMatch(/^\s*implicit any:\s+auth_admin$/m)
    expect(stdout).toMatch(/^\s*implicit inactive:\s+auth_admin$/m)
    expect(stdout).toMatch(/^\s*implicit active:\s+auth_admin_keep$/m)
    expect(stdout).toContain(`org.freedesktop.policykit.exec.path -> ${HELPER_WRAPPER}`)
  })

  it('without a rule the defaults want an admin password; with no agent, pkexec refuses (127)', async () => {
    w.setRule(null)
    const out = await w.request({ request: DEFINE })
    expect(out.exitCode).toBe(PKEXEC_NOT_AUTHORISED)
    expect(out.events).toEqual([])
    expect(out.stderr).toMatch(/not authori[sz]ed|authentication agent/i)
    expect(await w.storeFiles()).toEqual([])
  })

  it('denied: polkit says no, pkexec exits 127, the app shows "not authorised", nothing changed', async () => {
    console.info(`rule NO in force after ${w.setRule('no')} ms`)
    const out = await w.request({ request: DEFINE })
    expect(out.exitCode).toBe(PKEXEC_NOT_AUTHORISED)
    expect(out.result).toBeNull()
    expect(out.stderr).toMatch(/not authori[sz]ed/i)
    expect(outcomeWithoutResult('pkexec', out.exitCode, out.stderr)).toMatchObject({
      ok: false,
      error: { code: 'NOT_AUTHORISED' }
    })

    const app = await appRunner(w.userSpawn)(DEFINE, { privileged: true })
    expect(app.ok).toBe(false)
    if (app.ok) return
    expect(app.error.code).toBe('NOT_AUTHORISED')
    expect(app.error.message).toContain('not authorised')

    expect(await bridges()).toEqual([])
    expect(await w.storeFiles()).toEqual([])
  })

  it('allowed: define and start through pkexec make the bridge in the host namespace, in the private store', async () => {
    console.info(`rule YES in force after ${w.setRule('yes')} ms`)
    const define = await w.request({ request: DEFINE })
    expect(okValue(define)).toMatchObject({ network: NET.name, bridge: NET.bridge, created: true })
    expect(define.exitCode).toBe(0)

    const start = await w.request({ request: START })
    console.info(`define ${define.ms.toFixed(0)} ms, start ${start.ms.toFixed(0)} ms through pkexec`)
    expect(okValue(start)).toMatchObject({ network: NET.name, state: 'active' })
    expect(start.exitCode).toBe(0)
    expect(start.events.filter((e) => e.type === 'step-done').map((e) => e.step)).toEqual(
      expect.arrayContaining(['files', 'bridge', 'firewall', 'dnsmasq', 'sysctls'])
    )
    expect(await bridges()).toEqual([NET.bridge])
    expect(await w.storeFiles()).toEqual(
      expect.arrayContaining([
        `/etc/guestnet/networks/${NET.name}.xml`,
        `/run/guestnet/${NET.name}.json`,
        `/var/lib/guestnet/dnsmasq/${NET.name}.leases`
      ])
    )
  })

  it('allowed: a guest on the bridge gets a DHCP lease from the network pkexec started', async () => {
    const guest = await w.world.addGuest({ bridge: NET.bridge, name: 'pkguest' })
    const { lease, ms } = await guest.dhcp()
    console.info(`lease ${lease.ip} in ${ms.toFixed(0)} ms`)
    expect(lease.ip).toMatch(/^192\.168\.150\.(1\d|[2-9]\d)$/)
    expect(lease.routers).toEqual([addressOf(NET.ipv4)])
    await guest.remove()
  })

  it('allowed: stop through pkexec removes the bridge and the journal', async () => {
    const stop = await w.request({ request: STOP })
    expect(okValue(stop)).toMatchObject({ network: NET.name, state: 'inactive' })
    expect(stop.exitCode).toBe(0)
    expect(await bridges()).toEqual([])
    expect(await w.storeFiles()).not.toContain(`/run/guestnet/${NET.name}.json`)
  })

  it("the caller's environment does not reach the helper: a GUESTNET_HELPER_FAULT switch is dropped", async () => {
    const start = await w.request({ request: START, env: { GUESTNET_HELPER_FAULT: 'fail:bridge' } })
    expect(okValue(start)).toMatchObject({ network: NET.name, state: 'active' })
    expect(start.events.filter((e) => e.type === 'step-failed')).toEqual([])
    expect(okValue(await w.request({ request: STOP }))).toMatchObject({ state: 'inactive' })
    expect(await bridges()).toEqual([])
  })

  it('leaves nothing behind: files, rule, user, mount namespace, daemons it started, namespaces', async () => {
    await w.dispose()
    expect(await w.leftovers()).toEqual([])
  })
})
