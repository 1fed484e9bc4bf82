/** `<forward>` → ForwardConfig, with libvirt's rules for `dev` and its `<interface>` mirror. */
import type { ForwardConfig, ForwardMode, NatConfig } from '../model/network'
import type { ReadContext } from './read-context'
import type { XmlElement } from './xml-tree'
import { attr } from './xml-tree'

/** libvirt forward modes guestnet does not manage (they hand guests to host devices or switches). */
const OTHER_LIBVIRT_MODES = ['private', 'vepa', 'passthrough', 'hostdev']
const MANAGED_MODES: readonly ForwardMode[] = ['nat', 'route', 'open', 'bridge']

function readMode(el: XmlElement, ctx: ReadContext): ForwardMode | undefined {
  const mode = attr(el, 'mode')
  // A bare <forward/> means NAT (libvirt's default).
  if (mode === undefined) return 'nat'
  if ((MANAGED_MODES as readonly string[]).includes(mode)) return mode as ForwardMode
  if (OTHER_LIBVIRT_MODES.includes(mode)) {
    ctx.problem(
      'forward.mode',
      `unsupported: <forward mode='${mode}'>`,
      "guestnet manages mode='nat', 'route', 'open', 'bridge' (an existing host bridge) and isolated networks (no <forward>); leave this network to libvirt",
      el.line
    )
  } else {
    ctx.problem(
      'forward.mode',
      `unknown forward mode '${mode}'`,
      "use mode='nat', 'route', 'open' or 'bridge', or remove <forward> for an isolated network",
      el.line
    )
  }
  return undefined
}

function readNat(el: XmlElement, ctx: ReadContext): NatConfig {
  const path = 'forward.nat'
  ctx.checkAttrs(el, path, ['ipv6'])
  const nat: NatConfig = {}
  const ipv6 = ctx.yesNo(el, 'ipv6', path)
  if (ipv6 !== undefined) nat.ipv6 = ipv6
  const groups = ctx.children(el, path, ['address', 'port'])
  const address = ctx.single(groups, 'address', path)
  if (address) {
    ctx.checkAttrs(address, `${path}.address`, ['start', 'end'])
    nat.addressStart = ctx.required(address, 'start', `${path}.address`, '203.0.113.10')
    nat.addressEnd = ctx.required(address, 'end', `${path}.address`, '203.0.113.20')
  }
  const port = ctx.single(groups, 'port', path)
  if (port) {
    ctx.checkAttrs(port, `${path}.port`, ['start', 'end'])
    if (ctx.required(port, 'start', `${path}.port`, '1024') !== undefined)
      nat.portStart = ctx.uint(port, 'start', `${path}.port`, '1024')
    if (ctx.required(port, 'end', `${path}.port`, '65535') !== undefined)
      nat.portEnd = ctx.uint(port, 'end', `${path}.port`, '65535')
  }
  for (const key of Object.keys(nat) as (keyof NatConfig)[]) if (nat[key] === undefined) delete nat[key]
  return nat
}

/** The uplink: `dev=`, or the single `<interface dev>` libvirt writes as its mirror. */
function readDev(el: XmlElement, interfaces: XmlElement[], ctx: ReadContext): string | undefined {
  let dev = attr(el, 'dev')
  interfaces.forEach((iface, i) => {
    const path = `forward.interface[${i}]`
    ctx.checkAttrs(iface, path, ['dev'], ['connections'])
    ctx.children(iface, path, [])
    if (i > 0) {
      ctx.problem(
        path,
        'unsupported: <interface> (a pool of several forward devices)',
        'keep one <interface> equal to forward dev=, or none: guestnet forwards through a single uplink',
        iface.line
      )
      return
    }
    const ifDev = ctx.required(iface, 'dev', path, 'eth0')
    if (ifDev === undefined) return
    if (dev === undefined) dev = ifDev
    else if (ifDev !== dev) {
      ctx.problem(
        `${path}.dev`,
        `<interface dev='${ifDev}'> does not match forward dev='${dev}'`,
        `make both '${dev}', or remove the <interface>`,
        iface.line
      )
    }
  })
  return dev
}

export function readForward(el: XmlElement, ctx: ReadContext): ForwardConfig {
  ctx.checkAttrs(el, 'forward', ['mode', 'dev'])
  const mode = readMode(el, ctx)
  const groups = ctx.children(el, 'forward', ['nat', 'interface'])
  const dev = readDev(el, groups.get('interface') ?? [], ctx)
  const forward: ForwardConfig = { mode: mode ?? 'nat' }
  if (mode === 'bridge' && (dev !== undefined || (groups.get('interface') ?? []).length > 0)) {
    // libvirt's other bridge form: a macvtap device per guest on one of the host's interfaces.
    ctx.problem(
      'forward.interface',
      "unsupported: <forward mode='bridge'> with <interface> (macvtap)",
      "name the host bridge the guests join instead: <forward mode='bridge'/> and <bridge name='br0'/>",
      el.line
    )
    return forward
  }
  if (dev !== undefined) {
    if (mode === 'open') {
      ctx.problem(
        'forward.dev',
        "forward dev is not allowed with mode='open'",
        "remove dev= (and any <interface>): an open network adds no firewall rules, so it cannot pin an uplink; use mode='route' to pin one",
        el.line
      )
    }
    forward.dev = dev
  }
  const natEl = ctx.single(groups, 'nat', 'forward')
  if (natEl) {
    if (mode !== undefined && mode !== 'nat') {
      ctx.problem(
        'forward.nat',
        `<nat> is only allowed with mode='nat', not mode='${mode}'`,
        "remove <nat> or set mode='nat'",
        natEl.line
      )
    }
    const nat = readNat(natEl, ctx)
    if (Object.keys(nat).length > 0) forward.nat = nat
  }
  return forward
}
