/**
 * The demo (`npm run demo` → `guestnet sandbox demo`): the sandbox up, the default network started in
 * it, two guests with real DHCP clients, and every promise of a VM network checked for real: leases,
 * pings, names through the network's DNS, the internet through NAT, SLAAC and ping6. Each check is
 * printed with its figure; then everything is taken down again (unless `keep`).
 */
import type { SandboxContext } from './sandbox'
import { sandboxDown, sandboxUp } from './sandbox'
import { addressOf, fetchFrom, INTERNET_NAME, normalizePeer, PEER_CGI_PATH, pingRtt, resolveFrom } from './topology'
import { SBX_ADDR, SBX_HOST, SBX_INET } from './sandbox-config'
import { sandboxGuestAdd, sandboxGuestDel } from './sandbox-guests'
import { ensureSandboxDefault, networkAddresses, runningNetworks } from './sandbox-networks'
import type { SandboxGuest } from './sandbox-state'
import { readState } from './sandbox-state'

export interface DemoCheck {
  ok: boolean
  text: string
}

export interface DemoResult {
  ok: boolean
  checks: DemoCheck[]
}

const NETWORK = 'default'
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`

export async function sandboxDemo(ctx: SandboxContext, opts: { keep: boolean }): Promise<DemoResult> {
  const { paths, x } = ctx
  const checks: DemoCheck[] = []
  const report = (ok: boolean, text: string): boolean => {
    checks.push({ ok, text })
    ctx.log(`${ok ? '✔' : '✘'} ${text}`)
    return ok
  }
  const quiet: SandboxContext = { ...ctx, log: () => undefined }
  try {
    let t = performance.now()
    await sandboxUp(quiet)
    report(
      true,
      `sandbox up in ${seconds(performance.now() - t)}: ${SBX_HOST} (uplink ${addressOf(SBX_ADDR.host4)}) ⇄ ${SBX_INET} (${addressOf(SBX_ADDR.inet4)}, HTTP)`
    )

    if (!(await runningNetworks(paths)).some((n) => n.name === NETWORK)) {
      const ensured = await ensureSandboxDefault(x, paths)
      if (ensured.action === 'no-free-range') report(false, `default network not defined: ${ensured.message}`)
      t = performance.now()
      const started = await ctx.guestnet(['net-start', NETWORK])
      const took = performance.now() - t
      if (
        !report(
          started.code === 0,
          `net-start ${NETWORK} in ${seconds(took)}${started.code === 0 ? '' : `: ${(started.stderr || started.stdout).trim()}`}`
        )
      ) {
        return finish(ctx, checks, opts.keep)
      }
    }
    const net = (await runningNetworks(paths)).find((n) => n.name === NETWORK)
    const subnets = await networkAddresses(paths, NETWORK)
    report(
      net !== undefined,
      `network ${NETWORK} on bridge ${net?.bridge ?? '?'}: ${[subnets.ipv4, subnets.ipv6].filter(Boolean).join(', ')}`
    )

    const state = await readState(paths)
    for (const g of state?.guests ?? [])
      if (g.name === 'guest1' || g.name === 'guest2') await sandboxGuestDel(quiet, g.name)
    // Both guests boot at once, as VMs do; each reports its own times.
    const added = await Promise.allSettled(
      ['guest1', 'guest2'].map((name) => sandboxGuestAdd(quiet, { name, network: NETWORK }))
    )
    const guests: SandboxGuest[] = []
    added.forEach((outcome, i) => {
      const name = `guest${i + 1}`
      if (outcome.status === 'rejected') {
        report(false, `${name}: ${(outcome.reason as Error).message}`)
        return
      }
      const g = outcome.value
      guests.push(g)
      report(g.ipv4 !== undefined, `${name} lease ${g.ipv4 ? addressOf(g.ipv4) : 'none'} in ${seconds(g.leaseMs ?? 0)}`)
      if (subnets.ipv6)
        report(
          g.ipv6 !== undefined,
          `${name} SLAAC address ${g.ipv6 ?? 'none'} ${seconds(g.slaacMs ?? 0)} after attach`
        )
    })
    if (guests.length === 2) await guestChecks(ctx, guests, subnets, report)
  } catch (error) {
    report(false, (error as Error).message)
  }
  return finish(ctx, checks, opts.keep)
}

type Report = (ok: boolean, text: string) => boolean

async function guestChecks(
  ctx: SandboxContext,
  [g1, g2]: SandboxGuest[],
  subnets: { ipv4?: string; ipv6?: string },
  report: Report
): Promise<void> {
  const { x } = ctx
  const ip1 = addressOf(g1.ipv4 ?? '')
  const ip2 = addressOf(g2.ipv4 ?? '')
  const gateway = addressOf(subnets.ipv4 ?? '')
  const ping = async (from: SandboxGuest, to: string, label: string): Promise<void> => {
    const rtt = await pingRtt(x, from.ns, to)
    report(rtt !== null, `${from.name} pings ${label} ${to}${rtt !== null ? ` (${rtt.toFixed(2)} ms)` : ': no answer'}`)
  }
  await ping(g1, gateway, 'the gateway')
  await ping(g1, ip2, 'guest2')
  await ping(g2, ip1, 'guest1')
  for (const [from, to, want] of [
    [g1, g2, ip2],
    [g2, g1, ip1]
  ] as const) {
    const found = await resolveFrom(x, from.ns, to.name, gateway)
    report(found.includes(want), `${from.name} resolves ${to.name} → ${found.join(', ') || 'nothing'} (DNS ${gateway})`)
  }
  const inet4 = addressOf(SBX_ADDR.inet4)
  const upstream = await resolveFrom(x, g1.ns, INTERNET_NAME, gateway)
  report(
    upstream.includes(inet4),
    `guest1 resolves ${INTERNET_NAME} → ${upstream.join(', ') || 'nothing'} (forwarded by DNS ${gateway} to the internet's)`
  )
  const page = await fetchFrom(x, g1.ns, `http://${inet4}/`)
  report(
    page !== null && page.includes('203.0.113'),
    `guest1 fetches http://${inet4}/ through NAT ${page !== null ? `(${page.length} bytes)` : 'failed'}`
  )
  const peer = await fetchFrom(x, g2.ns, `http://${addressOf(SBX_ADDR.inet4)}${PEER_CGI_PATH}`)
  const seen = peer === null ? null : normalizePeer(peer)
  report(
    seen === addressOf(SBX_ADDR.host4),
    `the internet sees guest2 as ${seen ?? 'nothing'} (NAT to the uplink ${addressOf(SBX_ADDR.host4)})`
  )
  if (subnets.ipv6 && g1.ipv6 && g2.ipv6) {
    await ping(g1, addressOf(subnets.ipv6), 'the IPv6 gateway')
    await ping(g2, g1.ipv6, 'guest1 over IPv6')
  }
}

async function finish(ctx: SandboxContext, checks: DemoCheck[], keep: boolean): Promise<DemoResult> {
  const failed = checks.filter((c) => !c.ok).length
  ctx.log(`\n${checks.length - failed} checks passed, ${failed} failed`)
  if (keep) {
    ctx.log(`\nthe sandbox stays up (--keep); look around with:`)
    ctx.log(`  ip netns exec gn-sbx-g-guest1 busybox ping -c 1 guest2`)
    ctx.log(`  guestnet --root ${ctx.paths.root} --netns ${SBX_HOST} net-dhcp-leases ${NETWORK}`)
    ctx.log(`  ip netns exec ${SBX_HOST} nft list ruleset`)
    ctx.log(`and take it down with: guestnet --root ${ctx.paths.root} sandbox down`)
  } else {
    const down = await sandboxDown({ ...ctx, log: () => undefined })
    for (const w of down.warnings) ctx.log(`! ${w}`)
    ctx.log(`cleaned up: ${down.removed.length} namespaces removed`)
  }
  return { ok: failed === 0 && checks.length > 0, checks }
}
