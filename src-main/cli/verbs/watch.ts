/**
 * guestnet watch: follow the host's routes and addresses in every routing table (`ip monitor`),
 * print each change and, for every defined or running guestnet network that now overlaps a host
 * network, the clash (both sides) and a free range to move it to. Runs until Ctrl-C; `--once`
 * prints the current state and exits. `--json`: one JSON object per line.
 */
import { parseHostFacts } from '../../core/host/parse-host-facts'
import type { HostFacts } from '../../core/model/host-facts'
import type { HelperValue } from '../../contract/helper-protocol'
type NetworkStatus = HelperValue<'status'>['networks'][number]
import { readLiveHostFacts } from '../../host/read-host-facts'
import { readHostConfig } from '../../store/host-config-file'
import { NetworkStore } from '../../store/network-store'
import type { NetworkClash, WatchedNetwork } from '../../watch/clash-report'
import { describeNetworkClash } from '../../watch/clash-report'
import type { WatchReport } from '../../watch/clash-watch'
import { watchClashes } from '../../watch/clash-watch'
import { uplinkMtuChanged, uplinkPrefixMayHaveChanged, uplinksOf } from '../../watch/host-changes'
import type { MonitorEvent } from '../../watch/monitor-line'
import type { CliArgs } from '../args'
import { UsageError } from '../args'
import { offlineRoot } from '../offline-root'
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { globalArgs } from './net-call'

export type WatchLine =
  | { type: 'ready'; networks: string[]; uplinks: string[] }
  | { type: 'change'; at: string; added: string[]; removed: string[]; uplinks: string[] }
  | { type: 'event'; object: string; deleted: boolean; text: string }
  | {
      type: 'clash'
      network: string
      subnet: string
      active: boolean
      bridge: string | null
      suggestion: string | null
      clashes: { other: string; dev: string | null; table: string; kind: string; message: string }[]
      message: string
    }
  | { type: 'clash-resolved'; network: string; subnet: string; message: string }
  | { type: 'uplink-mtu'; changed: string[]; message: string }
  | { type: 'error'; message: string }

/** Pure: the lines one report prints. */
export function reportLines(r: WatchReport, now: Date): WatchLine[] {
  const out: WatchLine[] = []
  if (r.change?.initial) out.push({ type: 'ready', networks: r.change.lines, uplinks: uplinksOf(r.change.lines) })
  else if (r.change)
    out.push({
      type: 'change',
      at: now.toISOString(),
      added: r.change.diff.added,
      removed: r.change.diff.removed,
      uplinks: uplinksOf(r.change.lines)
    })
  for (const c of r.appeared) out.push(clashLine(c))
  for (const x of r.resolved)
    out.push({
      type: 'clash-resolved',
      ...x,
      message: `network ${x.network} (${x.subnet}) no longer overlaps a host network`
    })
  return out
}

function clashLine(c: NetworkClash): WatchLine {
  return {
    type: 'clash',
    network: c.network,
    subnet: c.subnet,
    active: c.active,
    bridge: c.bridge,
    suggestion: c.suggestion,
    clashes: c.clashes.map((x) => ({
      other: x.other,
      dev: x.dev ?? null,
      table: x.table,
      kind: x.kind,
      message: x.message
    })),
    message: describeNetworkClash(c)
  }
}

/** Pure: one line as text. */
export function formatWatchLine(l: WatchLine): string {
  switch (l.type) {
    case 'ready':
      return [
        `watching the host's networks (${l.networks.length}); uplink: ${l.uplinks.join(', ') || 'none (offline)'}`,
        ...l.networks.map((n) => `  ${n}`)
      ].join('\n')
    case 'change':
      return [
        `${l.at} host networks changed:`,
        ...l.added.map((a) => `  + ${a}`),
        ...l.removed.map((a) => `  - ${a}`)
      ].join('\n')
    case 'event':
      return `  event: ${l.deleted ? 'deleted ' : ''}${l.object} ${l.text}`
    case 'clash':
      return `CLASH: ${l.message}`
    case 'clash-resolved':
      return `resolved: ${l.message}`
    case 'uplink-mtu':
      return `MTU: ${l.message}`
    case 'error':
      return `guestnet watch: ${l.message}`
  }
}

/** Root: the running networks announce the uplink's MTU now (the helper's follow-uplink verb). */
async function followUplink(args: CliArgs): Promise<WatchLine> {
  const { sendRequest } = await import('../../helper-client/cli-transport')
  const r = await sendRequest({ verb: 'follow-uplink', args: globalArgs(args) })
  if (!r.ok) return { type: 'error', message: `following the uplink's MTU failed: ${r.error.message}` }
  const changed = r.value.networks.filter((n) => n.changed)
  return {
    type: 'uplink-mtu',
    changed: changed.map((n) => n.network),
    message: [r.value.message, ...changed.map((n) => n.message)].join('; ')
  }
}

async function networkStates(args: CliArgs): Promise<Map<string, NetworkStatus> | null> {
  const { sendRequest } = await import('../../helper-client/cli-transport')
  const r = await sendRequest({ verb: 'status', args: globalArgs(args) })
  if (!r.ok) return null
  return new Map(r.value.networks.map((n) => [n.name, n]))
}

export const verb: Verb = {
  usage: 'watch [--json] [--once] [--verbose] [--follow-uplink]',
  summary:
    "follow the host's routes and addresses (every table); report networks that now clash, with a free range; --follow-uplink (root): running networks announce the uplink's MTU as it changes, and ipv6='lan' ones follow its prefix",
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError('watch takes no positional arguments')
    const json = args.flags.has('json')
    const follow = args.flags.has('follow-uplink')
    if (follow && process.getuid?.() !== 0)
      throw new UsageError(
        'watch --follow-uplink changes running networks: run it as root (sudo guestnet watch --follow-uplink)'
      )
    const once = args.flags.has('once')
    const netns = args.options.get('netns')
    const root = offlineRoot(args)
    const store = new NetworkStore(root !== undefined ? { root } : {})
    const print = (l: WatchLine): void =>
      (l.type === 'error' ? io.err : io.out)(json ? JSON.stringify(l) : formatWatchLine(l))
    let failed = false

    const networks = async (): Promise<WatchedNetwork[]> => {
      const [entries, states] = await Promise.all([store.list(), networkStates(args)])
      return entries.flatMap((e) => {
        if (e.state !== 'ok') return []
        const s = states?.get(e.name)
        return [
          { def: e.def, active: s !== undefined && (s.state === 'active' || (s.state === 'broken' && s.bridgePresent)) }
        ]
      })
    }
    const readFacts = async (): Promise<HostFacts> =>
      parseHostFacts(await readLiveHostFacts(netns !== undefined ? { netns } : {}), "the host's 'ip -j' output")

    let done: () => void = () => undefined
    const finished = new Promise<void>((resolve) => (done = resolve))
    const watch = watchClashes({
      networks,
      pool: async () => (await readHostConfig(store.layout).catch(() => null))?.rangePool,
      readFacts,
      ...(netns !== undefined ? { netns } : {}),
      onReport: async (r) => {
        reportLines(r, new Date()).forEach(print)
        // At the first reading too: the uplink may have changed while nobody watched.
        if (
          follow &&
          r.change &&
          (r.change.initial || uplinkMtuChanged(r.change.diff) || uplinkPrefixMayHaveChanged(r.change.diff))
        )
          print(await followUplink(args))
      },
      onEvent: args.flags.has('verbose')
        ? (e: MonitorEvent) => print({ type: 'event', object: e.object, deleted: e.deleted, text: e.text })
        : undefined,
      onError: (message) => {
        failed = true
        print({ type: 'error', message })
      }
    })
    await watch.ready
    if (once) {
      watch.stop()
      return failed ? EXIT.environment : EXIT.ok
    }
    // Keeps the process alive between events (the watcher's own timers do not).
    const keepAlive = setInterval(() => undefined, 1 << 30)
    const stop = (): void => {
      clearInterval(keepAlive)
      watch.stop()
      done()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    await finished
    return EXIT.ok
  }
}
