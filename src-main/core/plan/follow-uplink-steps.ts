/**
 * A running network follows a new uplink MTU: its dnsmasq configuration gets the new announcement
 * (DHCP option 26, the RA MTU option; dnsmasq-conf.ts) and dnsmasq is restarted, since SIGHUP
 * re-reads only the hosts files, not the configuration. The lease file is kept, so guests keep
 * their addresses and get the new MTU at their next renewal; RAs carry it from the first one. The
 * nft table needs nothing: its MSS clamp reads the route at each packet. Pure.
 *   dnsmasq-stop  stop the journal's dnsmasq (pid and start time)   start it again (old config)
 *   files         write the new dnsmasq.conf                        write the old one back
 *   dnsmasq       start dnsmasq with it                             stop it
 */
import type { GuestMtuSource } from '../host/uplink-mtu'
import { ETHERNET_MTU } from '../host/uplink-mtu'
import type { PlanStep } from '../model/plan'
import { undoDnsmasq } from './build-plan'
import { UPLINK_MTU_OPTION } from './dnsmasq-conf'
import type { NetworkPaths } from './network-paths'

/** The MTU guests are told by a dnsmasq configuration (guestnet's line or libvirt's `<mtu>` line); null: none. */
export function announcedMtu(conf: string): number | null {
  const m = /^dhcp-option=(?:26|option:mtu),(\d+)$/m.exec(conf) ?? /^ra-param=[^,\n]+,mtu:(\d+),/m.exec(conf)
  return m ? Number(m[1]) : null
}

/** What a running network's guests are told, from its dnsmasq configuration: the value and why. */
export function runningGuestMtu(conf: string, def: { mtu?: number } | null): { value: number; source: GuestMtuSource } {
  const announced = announcedMtu(conf)
  if (def?.mtu !== undefined && announced === def.mtu) return { value: announced, source: 'definition' }
  return announced === null ? { value: ETHERNET_MTU, source: 'default' } : { value: announced, source: 'uplink' }
}

/** The configuration with guestnet's uplink MTU lines taken out: two that differ only there differ only in MTU. */
export function withoutUplinkMtu(conf: string): string {
  return conf
    .split('\n')
    .filter((l) => !l.startsWith(UPLINK_MTU_OPTION))
    .map((l) => (l.startsWith('ra-param=') ? l.replace(/^(ra-param=[^,]+,)mtu:\d+,/, '$1') : l))
    .join('\n')
}

export interface FollowUplinkInput {
  paths: NetworkPaths
  oldConf: string
  newConf: string
  /** The running dnsmasq's start time, from the journal: only that process is stopped. */
  dnsmasqStartTime: number
}

export interface FollowUplinkSteps {
  steps: PlanStep[]
  /** For the runner's `@write`: the new configuration and `old:dnsmasq.conf`. */
  artifacts: Record<string, string>
}

export function followUplinkSteps(i: FollowUplinkInput): FollowUplinkSteps {
  const conf = `--conf-file=${i.paths.dnsmasqConf}`
  const [stopRunning] = undoDnsmasq(i.paths.pidfile, i.dnsmasqStartTime)
  const [stopNew] = undoDnsmasq(i.paths.pidfile)
  return {
    artifacts: { 'dnsmasq.conf': i.newConf, 'old:dnsmasq.conf': i.oldConf },
    steps: [
      {
        id: 'dnsmasq-stop',
        title: 'Stop dnsmasq (it restarts with the new MTU; the lease file stays)',
        apply: [stopRunning],
        rollback: [['dnsmasq', conf]]
      },
      {
        id: 'files',
        title: `Write the new MTU to ${i.paths.dnsmasqConf}`,
        apply: [['@write', i.paths.dnsmasqConf, 'dnsmasq.conf']],
        rollback: [['@write', i.paths.dnsmasqConf, 'old:dnsmasq.conf']]
      },
      {
        id: 'dnsmasq',
        title: 'Start dnsmasq: new leases and router advertisements carry the new MTU',
        apply: [['dnsmasq', conf]],
        rollback: [stopNew]
      }
    ]
  }
}
