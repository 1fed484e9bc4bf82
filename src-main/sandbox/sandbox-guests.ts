/**
 * `guestnet sandbox guest add|del`: a guest is a namespace `gn-sbx-g-NAME` whose eth0 is a veth with its
 * other end (`sbx-NAME`) a port of a running network's bridge in `gn-sbx-host`, like a VM's tap device.
 * It gets its IPv4 address from the network's dnsmasq with a real DHCP client (busybox udhcpc, sending
 * NAME as its hostname) and its IPv6 address by SLAAC.
 */
import { requestLease } from './dhcp-client'
import type { SandboxContext } from './sandbox'
import { removeGuestNamespace } from './sandbox'
import { guestHostIf, guestNameProblem, guestNamespace, SandboxError, SBX_HOST } from './sandbox-config'
import { networkAddresses, runningNetworks } from './sandbox-networks'
import type { SandboxGuest } from './sandbox-state'
import { readState, writeState } from './sandbox-state'
import { addNamespace, attachGuest, waitForSlaac, writeNsResolvConf } from './topology'

export interface GuestAddOptions {
  name: string
  network: string
  /** Run the DHCP client (default true). */
  dhcp?: boolean
  /** Wait for a SLAAC address when the network has IPv6 (default true). */
  slaac?: boolean
}

// Guests may be added concurrently (the demo does): each read-modify-write of the state file takes turns.
let stateTurn: Promise<unknown> = Promise.resolve()
function inTurn<T>(fn: () => Promise<T>): Promise<T> {
  const next = stateTurn.then(fn, fn)
  stateTurn = next.catch(() => undefined)
  return next
}

export async function sandboxGuestAdd(ctx: SandboxContext, opts: GuestAddOptions): Promise<SandboxGuest> {
  const problem = guestNameProblem(opts.name)
  if (problem) throw new SandboxError(problem)
  const guest = await inTurn(() => recordGuest(ctx, opts))
  return setUpGuest(ctx, guest, opts)
}

/** Checks the sandbox and the network, and records the guest before anything is made. */
async function recordGuest(ctx: SandboxContext, opts: GuestAddOptions): Promise<SandboxGuest> {
  const { paths } = ctx
  const state = await readState(paths)
  if (!state || !state.namespaces.includes(SBX_HOST)) {
    throw new SandboxError(
      `the sandbox under ${paths.root} is not up`,
      `run 'guestnet --root ${paths.root} sandbox up' first`
    )
  }
  if (state.guests.some((g) => g.name === opts.name)) {
    throw new SandboxError(
      `guest ${opts.name} already exists`,
      `remove it first: guestnet --root ${paths.root} sandbox guest del ${opts.name}`
    )
  }
  const net = (await runningNetworks(paths)).find((n) => n.name === opts.network)
  if (!net) {
    throw new SandboxError(
      `network ${opts.network} is not running in the sandbox`,
      `start it: guestnet --root ${paths.root} --netns ${SBX_HOST} net-start ${opts.network}`
    )
  }
  const guest: SandboxGuest = {
    name: opts.name,
    ns: guestNamespace(opts.name),
    hostIf: guestHostIf(opts.name),
    network: net.name,
    bridge: net.bridge
  }
  // Recorded before it is made, so `down` removes it even if the rest fails.
  state.guests.push(guest)
  await writeState(paths, state)
  return guest
}

async function setUpGuest(ctx: SandboxContext, guest: SandboxGuest, opts: GuestAddOptions): Promise<SandboxGuest> {
  const { paths, x, log } = ctx
  await addNamespace(x, guest.ns)
  await attachGuest(x, {
    hostNs: SBX_HOST,
    guestNs: guest.ns,
    hostIf: guest.hostIf,
    guestIf: 'eth0',
    bridge: guest.bridge
  })
  const attachedAt = performance.now()
  log(`attached ${guest.ns}/eth0 to ${guest.bridge} (port ${guest.hostIf})`)
  const addresses = await networkAddresses(paths, guest.network)
  const save = (): Promise<void> =>
    inTurn(async () => {
      const fresh = await readState(paths)
      if (!fresh) return
      fresh.guests = fresh.guests.map((g) => (g.name === guest.name ? guest : g))
      await writeState(paths, fresh)
    })
  if (opts.dhcp !== false && addresses.ipv4) {
    const { lease, ms } = await requestLease(x, {
      ns: guest.ns,
      ifname: 'eth0',
      hostname: guest.name,
      scriptPath: paths.udhcpcScript,
      leaseFile: paths.leaseFile(guest.name)
    })
    guest.ipv4 = `${lease.ip}/${lease.prefix}`
    guest.leaseMs = Math.round(ms)
    if (lease.dns.length > 0) guest.etcNetns = await writeNsResolvConf(guest.ns, lease.dns, lease.domain)
    await save()
    log(`${guest.name}: lease ${lease.ip} in ${(ms / 1000).toFixed(2)} s`)
  }
  if (opts.slaac !== false && addresses.ipv6) {
    const address = await waitForSlaac(x, guest.ns, 'eth0', { prefix: addresses.ipv6, timeoutMs: 10_000 })
    guest.ipv6 = address
    guest.slaacMs = Math.round(performance.now() - attachedAt)
    await save()
    log(`${guest.name}: SLAAC ${address} in ${(guest.slaacMs / 1000).toFixed(2)} s`)
  }
  return guest
}

export async function sandboxGuestDel(ctx: SandboxContext, name: string): Promise<boolean> {
  const { paths, x, log } = ctx
  const guest = (await readState(paths))?.guests.find((g) => g.name === name)
  if (!guest) return false
  await removeGuestNamespace(x, guest)
  await inTurn(async () => {
    const state = await readState(paths)
    if (!state) return
    state.guests = state.guests.filter((g) => g.name !== name)
    await writeState(paths, state)
  })
  log(`removed guest ${name} (${guest.ns})`)
  return true
}
