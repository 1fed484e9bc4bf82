/** Pure: `net-forward-add` / `net-forward-del` options, checked, each refusal naming what to give. */
import type { ForwardFamily, ForwardProto } from '../../core/model/port-forward'
import { FORWARD_FAMILIES, FORWARD_PROTOS } from '../../core/model/port-forward'
import type { CliArgs } from '../args'
import { UsageError } from '../args'

export interface NetForwardArgs {
  name: string
  proto: ForwardProto
  port: number
  to?: string
  toPort?: number
  family?: ForwardFamily
  address?: string
}

function isOneOf<T extends string>(list: readonly T[], v: string): v is T {
  return (list as readonly string[]).includes(v)
}

function portOption(args: CliArgs, option: string, verb: string): number | undefined {
  const text = args.options.get(option)
  if (text === undefined) return undefined
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535)
    throw new UsageError(`${verb}: --${option} takes a port from 1 to 65535, not '${text}'`)
  return Number(text)
}

export function parseNetForwardArgs(args: CliArgs, verb: 'net-forward-add' | 'net-forward-del'): NetForwardArgs {
  const [name, ...extra] = args.positionals
  const example =
    verb === 'net-forward-add'
      ? 'net-forward-add default --proto tcp --port 2222 --to 192.168.122.10 --to-port 22'
      : 'net-forward-del default --proto tcp --port 2222'
  if (name === undefined || extra.length > 0) throw new UsageError(`${verb} takes one network NAME, e.g. ${example}`)
  const proto = args.options.get('proto')
  if (proto === undefined || !isOneOf(FORWARD_PROTOS, proto))
    throw new UsageError(`${verb}: give --proto ${FORWARD_PROTOS.join('|')}, e.g. ${example}`)
  const port = portOption(args, 'port', verb)
  if (port === undefined) throw new UsageError(`${verb}: give --port N, the host's port, e.g. ${example}`)
  const out: NetForwardArgs = { name, proto, port }
  const address = args.options.get('address')
  if (address !== undefined) out.address = address
  if (verb === 'net-forward-del') {
    for (const o of ['to', 'to-port', 'family'])
      if (args.options.has(o))
        throw new UsageError(`${verb}: a forward is named by --proto, --port and --address; leave out --${o}`)
    return out
  }
  const to = args.options.get('to')
  if (to === undefined) throw new UsageError(`${verb}: give --to: the guest's address, MAC or DHCP reservation name`)
  out.to = to
  const toPort = portOption(args, 'to-port', verb)
  if (toPort !== undefined) out.toPort = toPort
  const family = args.options.get('family')
  if (family !== undefined) {
    if (!isOneOf(FORWARD_FAMILIES, family))
      throw new UsageError(`${verb}: --family takes ${FORWARD_FAMILIES.join(', ')}, not '${family}'`)
    out.family = family
  }
  return out
}
