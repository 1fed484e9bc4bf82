/**
 * `guestnet sandbox`: up builds the laptop-like world from namespaces only (and again changes nothing),
 * status tells what exists, guests join a running network, down removes exactly what up made.
 * The sandbox's namespace names are fixed, so this is skipped while someone's sandbox is up.
 */
import { readdirSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { SandboxContext } from '../../src-main/sandbox/sandbox'
import { sandboxDown, sandboxExec, sandboxStatus, sandboxUp } from '../../src-main/sandbox/sandbox'
import { sandboxPaths, SBX_HOST, SBX_INET, SBX_PREFIX } from '../../src-main/sandbox/sandbox-config'
import { sandboxGuestAdd, sandboxGuestDel } from '../../src-main/sandbox/sandbox-guests'
import { ensureSandboxDefault, sandboxGuestnet } from '../../src-main/sandbox/sandbox-networks'
import {
  fetchFrom,
  listNamespaces,
  normalizePeer,
  PEER_CGI_PATH,
  pingFrom,
  resolveFrom
} from '../../src-main/sandbox/topology'
import { isSameProcess } from '../../src-main/sandbox/process-identity'
import { readState } from '../../src-main/sandbox/sandbox-state'
import { PREFIX, trackPath } from './support/cleanup'
import { cliSkipReason, GUESTNET_BIN, harnessSkipReason } from './support/requirements'

function sandboxSkipReason(): string | null {
  const base = harnessSkipReason()
  if (base) return base
  const taken = readdirSync('/run/netns', { withFileTypes: true }).filter((e) => e.name.startsWith(SBX_PREFIX))
  return taken.length > 0
    ? `a sandbox is up on this machine (${taken.map((e) => e.name).join(', ')}): run 'guestnet sandbox down' first`
    : null
}

function safeSkipReason(): string | null {
  try {
    return sandboxSkipReason()
  } catch {
    return harnessSkipReason()
  }
}

const skip = safeSkipReason()
if (skip) console.warn(`netns sandbox tests skipped: ${skip}`)

describe.skipIf(skip !== null)(`guestnet sandbox${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let ctx: SandboxContext
  const rootLinks = readdirSync('/sys/class/net').sort()

  beforeAll(async () => {
    const root = await mkdtemp(join(tmpdir(), PREFIX))
    trackPath(root)
    const paths = sandboxPaths(root)
    ctx = { paths, x: sandboxExec(), log: () => undefined, guestnet: sandboxGuestnet(GUESTNET_BIN, paths) }
  })
  afterAll(async () => {
    if (ctx) await sandboxDown(ctx)
  })

  it('is down before it is brought up', async () => {
    const status = await sandboxStatus(ctx)
    expect(status.up).toBe(false)
    expect(status.namespaces).toEqual([])
  })

  it('comes up from namespaces only, with the internet answering HTTP', async () => {
    const status = await sandboxUp(ctx)
    expect(status.up).toBe(true)
    expect(status.namespaces.map((n) => n.name)).toEqual([SBX_HOST, SBX_INET])
    expect(await fetchFrom(ctx.x, SBX_HOST, 'http://203.0.113.1/')).toContain('203.0.113.0/24')
    expect(normalizePeer((await fetchFrom(ctx.x, SBX_HOST, `http://203.0.113.1${PEER_CGI_PATH}`)) ?? '')).toBe(
      '203.0.113.2'
    )
    expect(await pingFrom(ctx.x, SBX_HOST, '2001:db8:1::1')).toBe(true)
    // Nothing appeared in the machine's own namespace.
    expect(readdirSync('/sys/class/net').sort()).toEqual(rootLinks)
  })

  it('changes nothing when brought up again', async () => {
    const before = await readState(ctx.paths)
    const status = await sandboxUp(ctx)
    expect(status.up).toBe(true)
    expect(await readState(ctx.paths)).toEqual(before)
  })

  it('refuses a guest on a network that is not running, saying how to start it', async () => {
    await expect(sandboxGuestAdd(ctx, { name: 'early', network: 'default' })).rejects.toMatchObject({
      message: expect.stringContaining('not running'),
      fix: expect.stringContaining('net-start default')
    })
    await expect(sandboxGuestAdd(ctx, { name: 'Bad Name!', network: 'default' })).rejects.toThrow(/guest name/)
  })

  it.skipIf(cliSkipReason() !== null)('runs the default network and gives guests leases, names and SLAAC', async () => {
    const ensured = await ensureSandboxDefault(ctx.x, ctx.paths)
    expect(ensured.action).toBe('created')
    const started = await ctx.guestnet(['net-start', 'default'])
    expect(started.stderr).toBe('')
    expect(started.code).toBe(0)
    // Added at once: the state file must still record both.
    const [g1, g2] = await Promise.all([
      sandboxGuestAdd(ctx, { name: 'one', network: 'default' }),
      sandboxGuestAdd(ctx, { name: 'two', network: 'default' })
    ])
    expect(g1.ipv4).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/)
    expect(g1.ipv6).toMatch(/^fd/)
    const ip2 = (g2.ipv4 ?? '').split('/')[0]
    expect(await pingFrom(ctx.x, g1.ns, ip2)).toBe(true)
    const status = await sandboxStatus(ctx)
    expect(status.networks.map((n) => n.name)).toEqual(['default'])
    expect(status.guests.map((g) => [g.name, g.exists])).toEqual([
      ['one', true],
      ['two', true]
    ])
    expect(status.networks[0]?.bridge).toBe(g1.bridge)
    expect(await resolveFrom(ctx.x, g2.ns, 'one', (await routerOf(ctx, g2.ns)) ?? '')).toEqual([
      (g1.ipv4 ?? '').split('/')[0]
    ])
    expect(await sandboxGuestDel(ctx, 'two')).toBe(true)
    expect(await listNamespaces(ctx.x)).not.toContain(g2.ns)
  })

  it('goes down completely, twice without complaint', async () => {
    const httpd = (await readState(ctx.paths))?.httpd
    const down = await sandboxDown(ctx)
    expect(down.removed).toEqual(expect.arrayContaining([SBX_HOST, SBX_INET]))
    expect((await listNamespaces(ctx.x)).filter((n) => n.startsWith(SBX_PREFIX))).toEqual([])
    expect(httpd && isSameProcess(httpd)).toBe(false)
    expect(await readState(ctx.paths)).toBeNull()
    expect((await sandboxStatus(ctx)).up).toBe(false)
    expect(await sandboxDown(ctx)).toEqual({ removed: [], warnings: [] })
    expect(readdirSync('/sys/class/net').sort()).toEqual(rootLinks)
  })

  it('refuses to adopt a sandbox namespace it did not make', async () => {
    await ctx.x.run(['ip', 'netns', 'add', SBX_HOST])
    try {
      await expect(sandboxUp(ctx)).rejects.toThrow(/gn-sbx-host exists but the sandbox/)
    } finally {
      await ctx.x.run(['ip', 'netns', 'del', SBX_HOST], { allowFail: true })
      await sandboxDown(ctx)
    }
  })
})

async function routerOf(ctx: SandboxContext, ns: string): Promise<string | undefined> {
  const routes = await ctx.x.ipJson<{ dst?: string; gateway?: string }[]>(ns, ['route', 'show', 'default'])
  return routes[0]?.gateway
}
