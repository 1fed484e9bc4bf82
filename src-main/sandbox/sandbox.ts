/**
 * `guestnet sandbox up|down|status`: a laptop-like world made only of network namespaces. `gn-sbx-host`
 * is the laptop (guestnet runs there with `--netns gn-sbx-host`), with an uplink veth to `gn-sbx-inet`,
 * the internet (203.0.113.1, 2001:db8:1::1, answering HTTP). Nothing links it to the machine's own
 * namespace. `up` converges (it creates only what is missing); `down` removes what the state records.
 */
import { mkdir, rm } from 'node:fs/promises'

import type { NsExec } from './ns-exec'
import { createNsExec } from './ns-exec'
import type { ProcessIdentity } from './process-identity'
import { endProcess, isSameProcess, namedNetnsId, processIdentity, processNetns } from './process-identity'
import type { SandboxPaths } from './sandbox-config'
import {
  isSandboxNamespace,
  SandboxError,
  SBX_ADDR,
  SBX_HOST,
  SBX_INET,
  SBX_INET_IF,
  SBX_PREFIX,
  SBX_UPLINK
} from './sandbox-config'
import type { SandboxGuestnet } from './sandbox-networks'
import { runningNetworks } from './sandbox-networks'
import type { SandboxGuest, SandboxState } from './sandbox-state'
import { emptyState, readState, writeState } from './sandbox-state'
import { writeUdhcpcScript } from './dhcp-client'
import {
  addNamespace,
  addressOf,
  connectUplink,
  deleteNamespace,
  fetchFrom,
  httpdArgv,
  INTERNET_NAME,
  internetDnsArgv,
  listNamespaces,
  namespacePids,
  resolveFrom,
  writeInternetDocroot,
  writeNsResolvConf
} from './topology'
import { waitFor } from './wait'

export type Log = (line: string) => void

export interface SandboxContext {
  paths: SandboxPaths
  x: NsExec
  log: Log
  guestnet: SandboxGuestnet
  now?: () => Date
}

export function sandboxExec(): NsExec {
  return createNsExec(isSandboxNamespace)
}

export interface SandboxStatus {
  root: string
  up: boolean
  namespaces: { name: string; exists: boolean }[]
  uplink: { exists: boolean; host4: string; host6: string; inet4: string; inet6: string }
  httpd: { pid: number | null; running: boolean }
  dns: { pid: number | null; running: boolean }
  guests: (SandboxGuest & { exists: boolean })[]
  networks: { name: string; bridge: string }[]
  /** `gn-sbx-*` namespaces this root's state does not know (another root's sandbox, or leftovers). */
  strangers: string[]
  /** Commands to use the sandbox. */
  hints: string[]
}

/** Creates whatever of the sandbox is missing; returns its status. */
export async function sandboxUp(ctx: SandboxContext): Promise<SandboxStatus> {
  const { paths, x, log } = ctx
  await mkdir(paths.dir, { recursive: true, mode: 0o755 })
  const state = (await readState(paths)) ?? emptyState(paths.root, (ctx.now ?? (() => new Date()))())
  const existing = new Set(await listNamespaces(x))
  for (const ns of [SBX_HOST, SBX_INET]) {
    if (existing.has(ns)) {
      if (!state.namespaces.includes(ns)) {
        throw new SandboxError(
          `network namespace ${ns} exists but the sandbox under ${paths.root} did not make it`,
          `if another sandbox made it, run 'guestnet --root THAT_ROOT sandbox down'; otherwise remove it with 'ip netns del ${ns}'`
        )
      }
      continue
    }
    await addNamespace(x, ns)
    if (!state.namespaces.includes(ns)) state.namespaces.push(ns)
    await writeState(paths, state)
    log(`created namespace ${ns}`)
  }
  if (!(await linkExists(x, SBX_HOST, SBX_UPLINK))) {
    await x.ip(SBX_INET, ['link', 'del', SBX_INET_IF], { allowFail: true })
    await connectUplink(x, { hostNs: SBX_HOST, inetNs: SBX_INET, hostIf: SBX_UPLINK, inetIf: SBX_INET_IF, ...SBX_ADDR })
    state.uplink = true
    await writeState(paths, state)
    log(
      `connected ${SBX_HOST}/${SBX_UPLINK} (${SBX_ADDR.host4}, ${SBX_ADDR.host6}) to ${SBX_INET}/${SBX_INET_IF} (${SBX_ADDR.inet4}, ${SBX_ADDR.inet6})`
    )
  }
  await writeUdhcpcScript(paths.udhcpcScript)
  if (!state.httpd || !aliveIn(state.httpd, SBX_INET)) {
    await writeInternetDocroot(paths.docroot)
    state.httpd = startDetached(x, httpdArgv(SBX_INET, paths.docroot), 'busybox httpd')
    await writeState(paths, state)
    log(`started busybox httpd in ${SBX_INET} (pid ${state.httpd.pid})`)
  }
  const inet4 = addressOf(SBX_ADDR.inet4)
  if (!state.dns || !aliveIn(state.dns, SBX_INET)) {
    state.dns = startDetached(
      x,
      internetDnsArgv(SBX_INET, inet4, addressOf(SBX_ADDR.inet6)),
      'dnsmasq (the internet DNS)'
    )
    await writeState(paths, state)
    log(`started the internet's DNS server in ${SBX_INET} (${INTERNET_NAME}, pid ${state.dns.pid})`)
  }
  // The laptop's resolver is the internet's DNS, so guestnet's dnsmasq forwards there, not to the machine's.
  const etc = await writeNsResolvConf(SBX_HOST, [inet4])
  if (!(state.etcNetns ?? []).includes(etc)) {
    state.etcNetns = [...(state.etcNetns ?? []), etc]
    await writeState(paths, state)
  }
  const url = `http://${inet4}/`
  await waitFor(() => fetchFrom(x, SBX_HOST, url, 1), { timeoutMs: 5000, what: `${url} from ${SBX_HOST}` })
  await waitFor(async () => (await resolveFrom(x, SBX_HOST, INTERNET_NAME, inet4)).includes(inet4), {
    timeoutMs: 5000,
    what: `${INTERNET_NAME} from ${SBX_HOST}`
  })
  return sandboxStatus(ctx)
}

async function linkExists(x: NsExec, ns: string, ifname: string): Promise<boolean> {
  return (await x.ip(ns, ['link', 'show', 'dev', ifname], { allowFail: true })).code === 0
}

/** The recorded process still runs (same PID and start time) inside namespace `ns`. */
function aliveIn(id: ProcessIdentity, ns: string): boolean {
  return isSameProcess(id) && processNetns(id.pid) === namedNetnsId(ns)
}

/** Starts a program detached (it outlives this command); remembered by PID and start time. */
function startDetached(x: NsExec, argv: string[], what: string): ProcessIdentity {
  const child = x.spawn(argv, { detached: true, stdio: 'ignore', cwd: '/' })
  child.on('error', () => undefined) // no pid then: reported below
  child.unref()
  const id = child.pid ? processIdentity(child.pid) : null
  if (!id) throw new SandboxError(`could not start ${what} in ${SBX_INET}`, `check that it is installed (${argv[4]})`)
  return id
}

/** Removes what the state records: networks running inside, guests, httpd, namespaces, the state. */
export async function sandboxDown(ctx: SandboxContext): Promise<{ removed: string[]; warnings: string[] }> {
  const { paths, x, log } = ctx
  const state = await readState(paths)
  const removed: string[] = []
  const warnings: string[] = []
  if (!state) {
    const strangers = (await listNamespaces(x)).filter(isSandboxNamespace)
    if (strangers.length > 0)
      warnings.push(`no sandbox state under ${paths.root}, but ${strangers.join(', ')} exist (another root's sandbox?)`)
    return { removed, warnings }
  }
  if (state.namespaces.includes(SBX_HOST)) {
    for (const net of await runningNetworks(paths)) {
      const result = await ctx.guestnet(['net-destroy', net.name])
      if (result.code === 0) log(`stopped network ${net.name}`)
      else
        warnings.push(
          `net-destroy ${net.name} failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`
        )
    }
  }
  for (const guest of [...state.guests].reverse()) {
    await removeGuestNamespace(x, guest)
    removed.push(guest.ns)
    log(`removed guest ${guest.name} (${guest.ns})`)
  }
  state.guests = []
  for (const id of [state.httpd, state.dns]) if (id && aliveIn(id, SBX_INET)) await endProcess(id)
  state.httpd = null
  state.dns = null
  for (const dir of state.etcNetns ?? []) await rm(dir, { recursive: true, force: true })
  for (const ns of [...state.namespaces].reverse()) {
    // Anything still running in a sandbox namespace was started by the sandbox or its networks.
    for (const pid of await namespacePids(x, ns)) {
      const id = processIdentity(pid)
      if (id && processNetns(pid) === namedNetnsId(ns)) {
        await endProcess(id)
        warnings.push(`ended pid ${pid} left running in ${ns}`)
      }
    }
    await deleteNamespace(x, ns)
    removed.push(ns)
    log(`deleted namespace ${ns}`)
  }
  await rm(paths.dir, { recursive: true, force: true })
  return { removed, warnings }
}

export async function removeGuestNamespace(x: NsExec, guest: SandboxGuest): Promise<void> {
  for (const pid of await namespacePids(x, guest.ns)) {
    const id = processIdentity(pid)
    if (id && processNetns(pid) === namedNetnsId(guest.ns)) await endProcess(id)
  }
  await deleteNamespace(x, guest.ns)
  if (guest.etcNetns) await rm(guest.etcNetns, { recursive: true, force: true })
}

export async function sandboxStatus(ctx: Pick<SandboxContext, 'paths' | 'x'>): Promise<SandboxStatus> {
  const { paths, x } = ctx
  const state: SandboxState | null = await readState(paths)
  const existing = new Set(await listNamespaces(x))
  const known = new Set([...(state?.namespaces ?? []), ...(state?.guests ?? []).map((g) => g.ns)])
  const namespaces = (state?.namespaces ?? []).map((name) => ({ name, exists: existing.has(name) }))
  const uplinkExists = existing.has(SBX_HOST) && known.has(SBX_HOST) && (await linkExists(x, SBX_HOST, SBX_UPLINK))
  const httpdRunning = state?.httpd ? aliveIn(state.httpd, SBX_INET) : false
  const dnsRunning = state?.dns ? aliveIn(state.dns, SBX_INET) : false
  const up =
    state !== null &&
    namespaces.length === 2 &&
    namespaces.every((n) => n.exists) &&
    uplinkExists &&
    httpdRunning &&
    dnsRunning
  const cli = `guestnet --root ${paths.root}`
  const networks = up ? await runningNetworks(paths) : []
  return {
    root: paths.root,
    up,
    namespaces,
    uplink: { exists: uplinkExists, ...SBX_ADDR },
    httpd: { pid: state?.httpd?.pid ?? null, running: httpdRunning },
    dns: { pid: state?.dns?.pid ?? null, running: dnsRunning },
    guests: (state?.guests ?? []).map((g) => ({ ...g, exists: existing.has(g.ns) })),
    networks,
    strangers: [...existing].filter((ns) => ns.startsWith(SBX_PREFIX) && !known.has(ns)).sort(),
    hints: up ? hintsFor(cli, networks) : [`${cli} sandbox up`]
  }
}

function hintsFor(cli: string, networks: { name: string }[]): string[] {
  const net = networks[0]?.name ?? 'default'
  return [
    ...(networks.length === 0 ? [`${cli} --netns ${SBX_HOST} net-start default`] : []),
    `${cli} sandbox guest add guest1 --network ${net}`,
    `${cli} --netns ${SBX_HOST} net-dhcp-leases ${net}`,
    `ip netns exec ${SBX_HOST} nft list ruleset`,
    `${cli} sandbox down`
  ]
}

/** The status as readable lines. */
export function formatStatus(s: SandboxStatus): string {
  const mark = (ok: boolean): string => (ok ? '✔' : '✘')
  const lines = [`sandbox under ${s.root}: ${s.up ? 'up' : 'down'}`]
  for (const ns of s.namespaces) lines.push(`  ${mark(ns.exists)} namespace ${ns.name}`)
  if (s.namespaces.length > 0) {
    lines.push(
      `  ${mark(s.uplink.exists)} uplink ${SBX_HOST}/${SBX_UPLINK} ${s.uplink.host4} ${s.uplink.host6} → ${SBX_INET} ${s.uplink.inet4} ${s.uplink.inet6}`
    )
    lines.push(
      `  ${mark(s.httpd.running)} HTTP on ${addressOf(s.uplink.inet4)} (busybox httpd${s.httpd.pid ? `, pid ${s.httpd.pid}` : ''})`
    )
    lines.push(
      `  ${mark(s.dns.running)} DNS on ${addressOf(s.uplink.inet4)}: ${INTERNET_NAME}, the laptop's upstream (dnsmasq${s.dns.pid ? `, pid ${s.dns.pid}` : ''})`
    )
  }
  for (const n of s.networks) lines.push(`  ✔ network ${n.name} running on bridge ${n.bridge}`)
  for (const g of s.guests) {
    const addrs = [g.ipv4, g.ipv6].filter(Boolean).join(', ')
    lines.push(`  ${mark(g.exists)} guest ${g.name} (${g.ns}) on ${g.network}/${g.bridge}${addrs ? `: ${addrs}` : ''}`)
  }
  if (s.strangers.length > 0) lines.push(`  ! namespaces not made by this sandbox: ${s.strangers.join(', ')}`)
  lines.push('', 'try:', ...s.hints.map((h) => `  ${h}`))
  return lines.join('\n')
}
