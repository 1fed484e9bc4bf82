/**
 * The doctor's data: what it observed on the host (plain JSON, so diagnosis runs the same on
 * recorded observations), what it found, and the fixes it can apply and undo. The report's shape
 * (`DoctorReport`, version 1) is the stable `guestnet doctor --json` output described in README.md.
 */

import type { FixFact } from './fix/fix-facts'

export type Argv = readonly string[]

export const CHECK_IDS = [
  'programs',
  'forwarding',
  'iptables-drop',
  'nft-drop',
  'firewalld',
  'port-holder',
  'libvirt',
  'br-netfilter',
  'accept-ra',
  'vpn',
  'underlay'
] as const
export type CheckId = (typeof CHECK_IDS)[number]

export type Severity = 'error' | 'warning' | 'info'

/** One guestnet network as the checks need it (from its stored definition). */
export interface ObservedNetwork {
  name: string
  bridge: string
  /** A journal says it runs. */
  running: boolean
  /** `nat`, `route`, `open`, `none` (isolated). */
  mode: string
  isolated: boolean
  /** Gateway addresses with prefix: `192.168.122.1/24`. */
  ipv4: string[]
  ipv6: string[]
  /** Subnets, host bits cleared: `192.168.122.0/24`. */
  subnets: string[]
  dhcp4: boolean
  dhcp6: boolean
  /** dnsmasq answers DNS on the bridge. */
  dns: boolean
  /** `<gn:span>`: the network spans hosts over VXLAN (docs/several-hosts.md). */
  span?: ObservedSpan
}

export interface ObservedSpan {
  vni: number
  port: number
  /** This host's underlay address. */
  underlay: string
  peers: string[]
  /** The definition's `<mtu>`; null: the plan gives bridge and guests the VXLAN's. */
  mtu: number | null
}

/** `ip -j route get PEER from UNDERLAY`: how this host would reach a span's peer. */
export interface ObservedUnderlayRoute {
  peer: string
  from: string
  /** The route's device, or null when there is none (the error says why). */
  dev: string | null
  error: string | null
}

export interface ObservedLink {
  ifname: string
  /** `ip`'s group: `default` or a number as text. */
  group: string
  /** `bridge`, `veth`, … (null for a plain device). */
  kind: string | null
  addresses: string[]
  /** From `ip -j addr` (absent in older recorded observations). */
  mtu?: number
  /** Administratively up (`UP` among its flags). */
  up?: boolean
}

export interface ObservedRoute {
  family: 4 | 6
  dst: string
  dev: string | null
  protocol: string | null
  table: string
}

/** `iptables -S` output of one family and backend (the filter table). */
export interface ObservedIptables {
  family: 4 | 6
  backend: 'nft' | 'legacy'
  /** The program that lists and changes it: `iptables-nft`, `ip6tables-legacy`, … */
  program: string
  rules: string
}

export interface ObservedFirewalld {
  state: 'absent' | 'not-running' | 'running' | 'unknown' | 'skipped'
  /** Why `unknown` or `skipped`. */
  note: string | null
  defaultZone: string | null
  zones: string[]
  /** Bridge → its zone (null: none, so the default zone applies). */
  interfaceZones: Record<string, string | null>
  /** Zone → `firewall-cmd --info-zone` facts. */
  zoneInfo: Record<string, { target: string; services: string[] }>
  /** Policy → `firewall-cmd --info-policy` facts (firewalld 0.9+; absent: not looked at). */
  policies?: Record<string, { target: string; ingress: string[]; egress: string[] }>
  /** `StrictForwardPorts` of firewalld.conf (firewalld 2.3+): null when unset or unreadable. */
  strictForwardPorts?: boolean | null
}

export interface ObservedSocket {
  proto: 'udp' | 'tcp'
  family: 4 | 6
  address: string
  port: number
  inode: number
  /** The process holding it; null when it could not be found (not root). */
  pid: number | null
  program: string | null
  cmdline: string | null
  /** Our own dnsmasq (its command line names guestnet's runtime directory). */
  ours: boolean
}

export interface DoctorObservation {
  /** `--netns` the doctor looked into (null: where it runs). */
  netns: string | null
  /** Looked as root: firewall rules and socket owners are complete. */
  asRoot: boolean
  networks: ObservedNetwork[]
  /** `/proc/sys` keys (dotted) → value, null when absent. */
  sysctls: Record<string, string | null>
  links: ObservedLink[]
  routes: ObservedRoute[]
  /** One per peer of each spanning network (absent: none looked up). */
  underlayRoutes?: ObservedUnderlayRoute[]
  /** `nft -j list ruleset` (null: could not be listed). */
  nftRuleset: unknown
  iptables: ObservedIptables[]
  firewalld: ObservedFirewalld
  sockets: ObservedSocket[]
  /** Program → absolute path, or null when missing. */
  programs: Record<string, string | null>
  /** `/etc/libvirt/qemu/networks/default.xml` exists: libvirt defines its default network here. */
  libvirtDefaultDefined: boolean
  /** What could not be looked at, and why. */
  unavailable: string[]
}

/** One command of a fix, and how to take it back. */
export interface FixCommand {
  argv: Argv
  /** Runs to undo it; null when nothing needs undoing. */
  undo: Argv | null
  /** An `nft -j --echo --handle` insert: the undo deletes the handles nft answers with. */
  undoFromEcho?: boolean
}

export interface FixPlan {
  /** One sentence: what the fix changes. */
  summary: string
  commands: FixCommand[]
}

export interface Finding {
  /** Stable: `CHECK` or `CHECK/SUBJECT`, e.g. `iptables-drop/ipv4-nft-forward`. */
  id: string
  check: CheckId
  severity: Severity
  title: string
  explanation: string
  evidence: string[]
  fix: FixPlan | null
  /** What to do by hand when there is no automatic fix (or instead of it). */
  advice: string | null
}

export interface CheckStatus {
  check: CheckId
  title: string
  status: 'ok' | 'problem' | 'skipped'
  note: string | null
}

/** What the doctor did for one finding, recorded under the runtime directory so it can be undone. */
export interface FixRecord {
  id: string
  check: CheckId
  title: string
  appliedAt: string
  /** The commands that ran. */
  commands: string[][]
  /** What they made, in order (fix/fix-facts.ts): undo is derived from these, last first. */
  facts: FixFact[]
}

export interface DoctorAction {
  kind: 'fix' | 'undo'
  id: string
  ok: boolean
  message: string
  commands: string[][]
  errors: string[]
}

/** `guestnet doctor --json` (version 1). */
export interface DoctorReport {
  version: 1
  netns: string | null
  complete: boolean
  unavailable: string[]
  checks: CheckStatus[]
  findings: Array<Omit<Finding, 'fix'> & { fix: { summary: string; commands: string[][]; undo: string[][] } | null }>
  applied: Array<Pick<FixRecord, 'id' | 'check' | 'title' | 'appliedAt'> & { undo: string[][] }>
  actions: DoctorAction[]
}

export const DOCTOR_COMMENT = 'guestnet-doctor'
