/**
 * Reading `ip monitor` output. iproute2 6.1 (Debian 12) prints text even with `-j` (its monitor
 * has no JSON mode), so we run `ip -o monitor label route address rule`: one event per line,
 * prefixed `[ROUTE]`, `[ADDR]` or `[RULE]`, deletions starting `Deleted `. Unlabelled lines,
 * `Timestamp:` lines and continuation lines (without `-o`) are read too, so another iproute2's
 * output does not break the watcher: a line we cannot place becomes `other`, which still counts as
 * "something changed". Pure.
 *
 *   [ROUTE]10.50.0.0/16 dev wg0 table 51820 scope link
 *   [ROUTE]Deleted default via 10.9.0.1 dev wlan0
 *   [ADDR]3: wlan0    inet 10.9.0.2/24 scope global wlan0\       valid_lft forever …
 */

export type MonitorObject = 'route' | 'address' | 'rule' | 'link' | 'other'

export interface MonitorEvent {
  object: MonitorObject
  deleted: boolean
  family: 4 | 6 | null
  dev: string | null
  /** Routes: the destination (`default`, `10.0.0.0/8`, `10.9.0.2`); addresses: `10.9.0.2/24`. */
  dst: string | null
  /** Routes: the table (`main` when ip printed none). */
  table: string | null
  /** Routes: `unicast`, `local`, `broadcast`, `multicast`, `blackhole`, …. */
  routeType: string | null
  /** The line as read (trimmed, without the label). */
  text: string
}

const LABELS: Record<string, MonitorObject> = {
  ROUTE: 'route',
  ADDR: 'address',
  RULE: 'rule',
  LINK: 'link',
  NEIGH: 'other',
  NETCONF: 'other',
  NSID: 'other',
  PREFIX: 'other',
  NEXTHOP: 'other'
}

const ROUTE_TYPES = new Set([
  'unicast',
  'local',
  'broadcast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
  'anycast'
])

const ADDRESS_LINE = /^\d+:\s+(\S+)\s+(inet6?)\s+(\S+)/
const RULE_LINE = /^\d+:\s+(not\s+)?from\s/
const LINK_LINE = /^\d+:\s+\S+?(@\S+)?:\s+</

function familyOf(text: string | null): 4 | 6 | null {
  if (text === null || text === 'default') return null
  return text.includes(':') ? 6 : /^\d+\.\d+\.\d+\.\d+/.test(text) ? 4 : null
}

/** The value after `key` among `words`, or null. */
function after(words: readonly string[], key: string): string | null {
  const i = words.indexOf(key)
  return i >= 0 && i + 1 < words.length ? words[i + 1] : null
}

function parseRoute(text: string, deleted: boolean): MonitorEvent {
  const words = text.split(/\s+/).filter(Boolean)
  let i = 0
  let routeType = 'unicast'
  if (ROUTE_TYPES.has(words[i])) routeType = words[i++]
  const dst = words[i] ?? null
  const via = after(words, 'via')
  // `via inet6 fe80::1` (a gateway of the other family) names its family first.
  const gateway = via === 'inet' || via === 'inet6' ? after(words.slice(words.indexOf('via') + 1), via) : via
  const family = familyOf(dst) ?? familyOf(gateway) ?? familyOf(after(words, 'src'))
  const table = after(words, 'table') ?? (routeType === 'local' || routeType === 'broadcast' ? 'local' : 'main')
  return { object: 'route', deleted, family, dev: after(words, 'dev'), dst, table, routeType, text }
}

function parseAddress(text: string, deleted: boolean): MonitorEvent | null {
  const m = ADDRESS_LINE.exec(text)
  if (!m) return null
  const dev = m[1].replace(/@.*$/, '')
  return {
    object: 'address',
    deleted,
    family: m[2] === 'inet6' ? 6 : 4,
    dev,
    dst: m[3],
    table: null,
    routeType: null,
    text
  }
}

/** `3: wg0: <…> mtu 1420 …` or `5: gv1@if2: <…>` → the interface name. */
function linkDev(text: string): string | null {
  const m = /^\d+:\s+([^:@\s]+)(?:@\S+?)?:/.exec(text)
  return m ? m[1] : null
}

function bare(object: MonitorObject, text: string, deleted: boolean): MonitorEvent {
  return { object, deleted, family: null, dev: null, dst: null, table: null, routeType: null, text }
}

/** One `ip monitor` line as an event, or null for lines that carry none (blank, timestamps, continuations). */
export function parseMonitorLine(raw: string): MonitorEvent | null {
  if (raw.trim() === '' || /^\s/.test(raw) || raw.startsWith('Timestamp:')) return null
  let text = raw.trim()
  let labelled: MonitorObject | null = null
  const label = /^\[([A-Z]+)\]/.exec(text)
  if (label) {
    labelled = LABELS[label[1]] ?? 'other'
    text = text.slice(label[0].length).trim()
  }
  // `-o` joins continuation lines with a backslash: keep the first line's words only.
  text = text.split('\\')[0].trim()
  let deleted = false
  if (text.startsWith('Deleted ')) {
    deleted = true
    text = text.slice('Deleted '.length).trim()
  }
  if (text === '') return null
  const object =
    labelled ??
    (ADDRESS_LINE.test(text) ? 'address' : RULE_LINE.test(text) ? 'rule' : LINK_LINE.test(text) ? 'link' : 'route')
  if (object === 'address') return parseAddress(text, deleted) ?? bare('address', text, deleted)
  if (object === 'route') return parseRoute(text, deleted)
  if (object === 'link') return { ...bare('link', text, deleted), dev: linkDev(text) }
  return bare(object, text, deleted)
}

/**
 * Events that say nothing about the host's networks: IPv6 link-local and multicast, the kernel's
 * broadcast entries, and anything on our own bridges (starting or renumbering a network of ours is
 * not a change of the host's networks). Everything else, rules and unknown lines included, counts.
 */
export function isNoise(e: MonitorEvent, ignoreDevs: ReadonlySet<string>): boolean {
  if (e.dev !== null && ignoreDevs.has(e.dev)) return true
  if (e.object === 'route' && (e.routeType === 'multicast' || e.routeType === 'broadcast')) return true
  const dst = e.dst?.toLowerCase() ?? ''
  if ((e.object === 'route' || e.object === 'address') && e.family === 6 && /^fe[89ab][0-9a-f]:/.test(dst)) return true
  return false
}
