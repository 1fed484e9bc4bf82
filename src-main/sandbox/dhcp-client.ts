/**
 * A real DHCP client for guest namespaces: busybox udhcpc with a small script that configures the
 * address and default route with `ip` (inside the guest's namespace) and writes what it got to a file.
 */
import { readFile, writeFile } from 'node:fs/promises'

import type { NsExec } from './ns-exec'

/** The udhcpc event script. It runs inside the guest namespace (udhcpc was started there). */
export const UDHCPC_SCRIPT = `#!/bin/sh
# guestnet sandbox / tests: configure the address udhcpc obtained; record it in $GN_LEASE_FILE.
case "$1" in
  deconfig)
    ip -4 addr flush dev "$interface" scope global
    ip link set "$interface" up
    ;;
  bound|renew)
    ip -4 addr flush dev "$interface" scope global
    ip addr add "$ip/\${mask:-24}" dev "$interface"
    set -- $router
    if [ -n "$1" ]; then ip route replace default via "$1" dev "$interface"; fi
    if [ -n "$GN_LEASE_FILE" ]; then
      printf 'ip=%s\\nmask=%s\\nrouter=%s\\ndns=%s\\ndomain=%s\\nlease=%s\\nserverid=%s\\nbootfile=%s\\nsiaddr=%s\\nmtu=%s\\n' \\
        "$ip" "\${mask:-24}" "$router" "$dns" "$domain" "$lease" "$serverid" "$boot_file" "$siaddr" "$mtu" > "$GN_LEASE_FILE.tmp"
      mv "$GN_LEASE_FILE.tmp" "$GN_LEASE_FILE"
    fi
    ;;
esac
exit 0
`

export interface GuestLease {
  ip: string
  prefix: number
  routers: string[]
  dns: string[]
  domain?: string
  /** Lease length in seconds, as the server gave it. */
  leaseSeconds?: number
  serverId?: string
  /** BOOTP boot file and next server (siaddr), when the network boots guests over the network. */
  bootFile?: string
  nextServer?: string
  /** DHCP option 26 (interface MTU), recorded only: the script leaves the guest's MTU as it is. */
  mtu?: number
}

/** Parses the `key=value` file the script writes. */
export function parseLeaseFile(text: string): GuestLease {
  const values = new Map<string, string>()
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1).trim())
  }
  const ip = values.get('ip')
  if (!ip) throw new Error('the DHCP client recorded no address')
  const words = (key: string): string[] => (values.get(key) ?? '').split(/\s+/).filter(Boolean)
  const lease = Number(values.get('lease'))
  return {
    ip,
    prefix: Number(values.get('mask') || 24),
    routers: words('router'),
    dns: words('dns'),
    domain: values.get('domain') || undefined,
    leaseSeconds: Number.isFinite(lease) && lease > 0 ? lease : undefined,
    serverId: values.get('serverid') || undefined,
    bootFile: values.get('bootfile') || undefined,
    nextServer: values.get('siaddr') && values.get('siaddr') !== '0.0.0.0' ? values.get('siaddr') : undefined,
    mtu: Number(values.get('mtu')) > 0 ? Number(values.get('mtu')) : undefined
  }
}

export async function writeUdhcpcScript(path: string): Promise<void> {
  await writeFile(path, UDHCPC_SCRIPT, { mode: 0o755 })
}

export interface LeaseRequest {
  ns: string
  ifname: string
  /** Sent as DHCP option 12, so dnsmasq registers the name in the network's DNS. */
  hostname: string
  scriptPath: string
  leaseFile: string
  /** Give up after about this long (udhcpc retries every second). */
  timeoutMs?: number
}

export interface LeaseResult {
  lease: GuestLease
  /** From starting the client to having the address configured. */
  ms: number
}

/** Runs udhcpc in the foreground until it has a lease (then it exits); throws if none came. */
export async function requestLease(x: NsExec, req: LeaseRequest): Promise<LeaseResult> {
  const tries = Math.max(2, Math.ceil((req.timeoutMs ?? 15_000) / 1000))
  const argv = [
    'busybox',
    'udhcpc',
    '-f',
    '-q',
    '-n',
    '-i',
    req.ifname,
    '-s',
    req.scriptPath,
    '-x',
    `hostname:${req.hostname}`,
    // Ask for the interface MTU (option 26) too, as systemd-networkd and NetworkManager do.
    '-O',
    'mtu',
    '-t',
    String(tries),
    '-T',
    '1',
    '-A',
    '1'
  ]
  const result = await x.inNs(req.ns, argv, {
    allowFail: true,
    timeoutMs: tries * 1000 + 5000,
    env: { ...process.env, GN_LEASE_FILE: req.leaseFile }
  })
  if (result.code !== 0) {
    const tail = (result.stderr + result.stdout).trim().split('\n').slice(-3).join('; ')
    throw new Error(`no DHCP lease for ${req.hostname} in ${req.ns} after ${(result.ms / 1000).toFixed(1)} s: ${tail}`)
  }
  return { lease: parseLeaseFile(await readFile(req.leaseFile, 'utf8')), ms: result.ms }
}
