/**
 * The clashes the host watcher found, held for the app: the `host:clashes` channel reads them, the
 * `network:clash` event announces changes, and a new clash also goes to `notify` (a desktop
 * notification in Electron main). No electron import.
 */
import type { EventPayload } from '../../contract/ipc-contract'
import type { NetworkClash } from '../../watch/clash-report'
import type { WatchReport } from '../../watch/clash-watch'
import type { Emit } from '../network-service'

export type ClashView = EventPayload<'network:clash'>['clashes'][number]

/** The contract's view of one clash. */
export function toClashView(c: NetworkClash): ClashView {
  const what = c.clashes.map((x) => x.message.replace(`${c.subnet} overlaps `, '')).join('; ')
  return {
    network: c.network,
    subnet: c.subnet,
    active: c.active,
    bridge: c.bridge,
    suggestion: c.suggestion,
    clashes: c.clashes.map((x) => ({ overlaps: x.other, ifname: x.dev ?? null, table: x.table, message: x.message })),
    message: `Network ${c.network} (${c.subnet}) overlaps ${what}`
  }
}

/** Title and body of the desktop notification for a new clash. */
export function clashNotificationText(c: ClashView): { title: string; body: string } {
  const other = c.clashes[0]
  const where = other ? `${other.overlaps}${other.ifname ? ` on ${other.ifname}` : ''}` : 'a host network'
  const move = c.suggestion ? ` Click to move it to ${c.suggestion}.` : ' No free range is left to move it to.'
  return {
    title: `Network ${c.network} clashes with ${where}`,
    body: `${c.subnet} (guestnet${c.bridge ? `, ${c.bridge}` : ''}) overlaps ${where}: guests may lose the host's network.${move}`
  }
}

export class ClashBoard {
  private views: ClashView[] = []
  /** Set by the watcher once it runs: checks again after one of our networks changed. */
  recheck: () => Promise<void> = async () => undefined

  constructor(
    private readonly emit: Emit,
    private readonly notify: (c: ClashView) => void = () => undefined
  ) {}

  current(): ClashView[] {
    return this.views
  }

  update(report: WatchReport): void {
    this.views = report.clashes.map(toClashView)
    if (report.appeared.length === 0 && report.resolved.length === 0) return
    this.emit('network:clash', { clashes: this.views, appeared: report.appeared.map((c) => c.network) })
    for (const c of report.appeared) this.notify(toClashView(c))
  }
}
