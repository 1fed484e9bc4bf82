/**
 * `@proxy-ndp UPLINK ADDR` / `@unproxy-ndp UPLINK ADDR` (core/plan/lan-proxy.ts): a guest's LAN
 * address routed to the network's own bridge and answered for on the uplink, and both taken away.
 * ADDR must be a global unicast IPv6 address (re-formatted from its parsed value), UPLINK an
 * interface name other than the bridge; the route only ever names the network's bridge.
 */
import type { Argv } from '../../core/model/plan'
import { isInterfaceName } from '../../core/net/ifname'
import { formatIp, parseIp } from '../../core/net/ip'
import type { BuiltinEnv } from './builtins'
import { BuiltinError, ForeignObjectError } from './builtins'
import { CommandError } from './exec-program'

const GLOBAL_UNICAST = (v: bigint): boolean => v >> 125n === 1n || v >> 121n === 0x7en // 2000::/3, fc00::/7

function checked(argv: Argv, env: BuiltinEnv): { uplink: string; addr: string; bridge: string } {
  if (argv.length !== 3) throw new BuiltinError(`${argv[0]} takes 2 argument(s), got ${argv.length - 1}`)
  const [, uplink, text] = argv
  const ip = parseIp(text)
  if (!ip || ip.family !== 6 || !GLOBAL_UNICAST(ip.value))
    throw new BuiltinError(`${argv[0]}: '${text.slice(0, 60)}' is not a global IPv6 address`)
  if (env.bridge === null) throw new ForeignObjectError(`${argv[0]}: network ${env.network} has no bridge of its own`)
  if (!isInterfaceName(uplink) || uplink === env.bridge)
    throw new BuiltinError(`${argv[0]}: '${uplink.slice(0, 20)}' is not an uplink interface name`)
  return { uplink, addr: formatIp(ip), bridge: env.bridge }
}

async function tolerating(env: BuiltinEnv, argv: Argv, gone: RegExp): Promise<void> {
  try {
    await env.programs.run(argv)
  } catch (e) {
    if (e instanceof CommandError && gone.test(e.stderr)) return
    throw e
  }
}

export async function proxyNdp(argv: Argv, env: BuiltinEnv): Promise<void> {
  const { uplink, addr, bridge } = checked(argv, env)
  if (argv[0] === '@proxy-ndp') {
    await env.programs.run(['ip', '-6', 'route', 'replace', `${addr}/128`, 'dev', bridge])
    await env.programs.run(['ip', '-6', 'neigh', 'replace', 'proxy', addr, 'dev', uplink])
    return
  }
  await tolerating(env, ['ip', '-6', 'neigh', 'del', 'proxy', addr, 'dev', uplink], /No such|Cannot find device/)
  await tolerating(env, ['ip', '-6', 'route', 'del', `${addr}/128`, 'dev', bridge], /No such|Cannot find device/)
}
