/**
 * The wizard as data: its steps, the draft the user fills in, how a draft becomes a NetworkDef
 * (and back, for editing), and which step a problem from the validator belongs to.
 * Pure: no Svelte, no API calls, so every rule here has a unit test.
 */
import type { IpConfig, NetworkDef } from '../../../../src-main/core/model/network'
import type { Problem } from '../../../../src-main/core/model/problem'

export type Purpose = 'nat' | 'isolated' | 'routed'
export type Ipv6Mode = 'off' | 'link-local' | 'ula' | 'own'
export type StepId = 'purpose' | 'ipv4' | 'ipv6' | 'dns' | 'review'

export const steps: readonly { id: StepId; title: string }[] = [
  { id: 'purpose', title: 'Purpose' },
  { id: 'ipv4', title: 'IPv4 range' },
  { id: 'ipv6', title: 'IPv6' },
  { id: 'dns', title: 'DNS and start' },
  { id: 'review', title: 'Review and apply' }
]

export const purposes: readonly { id: Purpose; label: string; help: string }[] = [
  {
    id: 'nat',
    label: 'Share my internet connection (NAT)',
    help: 'Guests reach the internet through this computer, whichever connection it uses right now. Nothing outside can connect in.'
  },
  {
    id: 'isolated',
    label: 'Isolated (guests and this computer only)',
    help: 'Guests talk to each other and to this computer, and to nothing else.'
  },
  {
    id: 'routed',
    label: 'Routed',
    help: 'Guests get addresses your other networks can route to, without NAT. Your router needs a route to this range via this computer.'
  }
]

export const ipv6Modes: readonly { id: Ipv6Mode; label: string; help: string }[] = [
  { id: 'off', label: 'Off', help: 'Guests get no IPv6 address from this network; they use IPv4 only.' },
  {
    id: 'link-local',
    label: 'Link-local only',
    help: 'Guests can reach each other and this computer over IPv6 link-local (fe80::) addresses, and nothing beyond this network.'
  },
  {
    id: 'ula',
    label: 'Private prefix',
    help: "Guests get stable private IPv6 addresses from this computer's own unique local prefix (SLAAC, by router advertisements). They reach each other and this computer by IPv6; inbound connections from outside are blocked."
  },
  {
    id: 'own',
    label: 'My own prefix',
    help: 'A /64 your router delegates or routes to this computer: guests get global addresses by SLAAC and can connect out over IPv6. Inbound connections to guests are blocked by the firewall.'
  }
]

export interface WizardDraft {
  purpose: Purpose
  name: string
  bridge: string
  /** The IPv4 subnet as typed, e.g. `192.168.122.0/24`. */
  subnet: string
  /** The bridge's address and the prefix length: derived from the subnet by the core (network:address-plan). */
  gateway: string
  prefix: number
  dhcp: boolean
  dhcpStart: string
  dhcpEnd: string
  ipv6Mode: Ipv6Mode
  /** This host's private /64 for the network (shown for the `ula` mode). */
  ula64: string | null
  /** The prefix typed for the `own` mode. */
  ownPrefix: string
  /** The bridge's IPv6 address in the chosen prefix, and the prefix length (derived). */
  ipv6Gateway: string
  ipv6Prefix: number
  domain: string
  autostart: boolean
}

export interface Suggested {
  name: string
  bridge: string
  ipv4: string | null
  ula64: string | null
}

export interface DerivedIpv4 {
  subnet: string
  gateway: string
  prefix: number
  dhcpStart: string
  dhcpEnd: string
}

/** A new draft from the main process's suggestion; the default network starts at boot. */
export function newDraft(s: Suggested, opts: { isDefault: boolean }): WizardDraft {
  return {
    purpose: 'nat',
    name: s.name,
    bridge: s.bridge,
    subnet: s.ipv4 ?? '',
    gateway: '',
    prefix: 0,
    dhcp: true,
    dhcpStart: '',
    dhcpEnd: '',
    ipv6Mode: s.ula64 ? 'ula' : 'off',
    ula64: s.ula64,
    ownPrefix: '',
    ipv6Gateway: '',
    ipv6Prefix: 64,
    domain: '',
    autostart: opts.isDefault
  }
}

/** Fills in what the core derived from the subnet: gateway, prefix and a DHCP range over the rest. */
export function applyDerivedIpv4(draft: WizardDraft, d: DerivedIpv4): WizardDraft {
  return {
    ...draft,
    subnet: d.subnet,
    gateway: d.gateway,
    prefix: d.prefix,
    dhcpStart: d.dhcpStart,
    dhcpEnd: d.dhcpEnd
  }
}

/** The IPv6 prefix the draft asks for (`null` when none is needed). */
export function chosenIpv6Prefix(draft: WizardDraft): string | null {
  if (draft.ipv6Mode === 'ula') return draft.ula64
  if (draft.ipv6Mode === 'own') return draft.ownPrefix.trim() || null
  return null
}

const forwardOf: Record<Purpose, NetworkDef['forward']['mode']> = { nat: 'nat', isolated: 'none', routed: 'route' }

/**
 * The definition the draft describes. When editing, `base` is the stored definition: whatever
 * the wizard does not show (UUID, MAC, DHCP reservations, DNS records, other addresses) is kept.
 */
export function draftToDef(draft: WizardDraft, base?: NetworkDef): NetworkDef {
  const old4 = base?.ips.find((ip) => ip.family === 'ipv4')
  const old6 = base?.ips.find((ip) => ip.family === 'ipv6')
  const ipv4: IpConfig = { family: 'ipv4', address: draft.gateway, prefix: draft.prefix }
  if (old4?.localPtr !== undefined) ipv4.localPtr = old4.localPtr
  // Netboot is not shown by the wizard: an edit keeps it.
  if (old4?.tftp) ipv4.tftp = old4.tftp
  if (draft.dhcp) {
    const oldRange = old4?.dhcp?.ranges[0]
    const range = {
      start: draft.dhcpStart.trim(),
      end: draft.dhcpEnd.trim(),
      ...(oldRange?.lease ? { lease: oldRange.lease } : {})
    }
    ipv4.dhcp = {
      ranges: [range],
      hosts: old4?.dhcp?.hosts ?? [],
      ...(old4?.dhcp?.bootp ? { bootp: old4.dhcp.bootp } : {})
    }
  }
  const ips: IpConfig[] = [ipv4]
  const v6prefix = chosenIpv6Prefix(draft)
  if (v6prefix !== null && draft.ipv6Gateway) {
    const ipv6: IpConfig = { family: 'ipv6', address: draft.ipv6Gateway, prefix: draft.ipv6Prefix }
    if (old6?.dhcp) ipv6.dhcp = old6.dhcp
    ips.push(ipv6)
  }
  const forward: NetworkDef['forward'] = { ...(base?.forward ?? {}), mode: forwardOf[draft.purpose] }
  if (draft.purpose === 'isolated') {
    delete forward.dev
    delete forward.nat
  }
  if (draft.purpose === 'routed') delete forward.nat
  const def: NetworkDef = {
    ...(base ?? {}),
    name: draft.name.trim(),
    forward,
    bridge: { stp: true, delay: 0, ...(base?.bridge ?? {}), name: draft.bridge.trim() },
    ips: [...ips, ...(base?.ips.filter((ip) => ip !== old4 && ip !== old6) ?? [])]
  }
  if (draft.ipv6Mode === 'link-local') def.ipv6 = true
  else delete def.ipv6
  const domain = draft.domain.trim()
  if (domain) def.domain = { ...(base?.domain ?? {}), name: domain, localOnly: base?.domain?.localOnly ?? true }
  else delete def.domain
  return def
}

/** A draft of a stored network, for "Edit". */
export function draftFromDef(def: NetworkDef, autostart: boolean, ula64: string | null): WizardDraft {
  const v4 = def.ips.find((ip) => ip.family === 'ipv4')
  const v6 = def.ips.find((ip) => ip.family === 'ipv6')
  const range = v4?.dhcp?.ranges[0]
  const purpose: Purpose = def.forward.mode === 'none' ? 'isolated' : def.forward.mode === 'route' ? 'routed' : 'nat'
  const v6prefix = v6 ? `${v6.address}/${v6.prefix}` : ''
  const isUla = v6 !== undefined && /^fd/i.test(v6.address)
  return {
    purpose,
    name: def.name,
    bridge: def.bridge?.name ?? '',
    // Host bits are fine here: the core clears them when it derives the plan.
    subnet: v4 ? `${v4.address}/${v4.prefix}` : '',
    gateway: v4?.address ?? '',
    prefix: v4?.prefix ?? 0,
    dhcp: range !== undefined,
    dhcpStart: range?.start ?? '',
    dhcpEnd: range?.end ?? '',
    ipv6Mode: v6 ? (isUla ? 'ula' : 'own') : def.ipv6 ? 'link-local' : 'off',
    ula64: isUla ? v6prefix : ula64,
    ownPrefix: v6 && !isUla ? v6prefix : '',
    ipv6Gateway: v6?.address ?? '',
    ipv6Prefix: v6?.prefix ?? 64,
    domain: def.domain?.name ?? '',
    autostart
  }
}

/**
 * Which step shows a problem, from its field path (`name`, `bridge.name`, `ip[0].dhcp.range[1].start`,
 * `ips[1].address`, `domain.name`…). Address fields go to the step of their family.
 */
export function stepOfField(field: string, def: NetworkDef): StepId {
  const ip = /^ips?\[(\d+)\]/.exec(field)
  if (ip) return def.ips[Number(ip[1])]?.family === 'ipv6' ? 'ipv6' : 'ipv4'
  if (/^(name|bridge|forward|uuid|title)\b/.test(field)) return 'purpose'
  if (/^ipv6\b/.test(field)) return 'ipv6'
  if (/^(domain|dns)\b/.test(field)) return 'dns'
  return 'review'
}

/** The input a problem belongs to, so the message can sit beside it (`null`: show it on the step). */
export type InputId = 'name' | 'bridge' | 'subnet' | 'dhcpStart' | 'dhcpEnd' | 'ipv6' | 'domain'

export function inputOfField(field: string, def: NetworkDef): InputId | null {
  if (/^name\b/.test(field)) return 'name'
  if (/^bridge\b/.test(field)) return 'bridge'
  if (/^domain\b/.test(field)) return 'domain'
  const ip = /^ips?\[(\d+)\](.*)$/.exec(field)
  if (!ip) return null
  if (def.ips[Number(ip[1])]?.family === 'ipv6') return 'ipv6'
  const rest = ip[2]
  if (/dhcp\.ranges?\[\d+\]\.start/.test(rest)) return 'dhcpStart'
  if (/dhcp\.ranges?\[\d+\]\.end/.test(rest)) return 'dhcpEnd'
  if (/dhcp/.test(rest)) return 'dhcpStart'
  return 'subnet'
}

/** What must be filled in before leaving a step (the validator judges the values themselves). */
export function missingOnStep(step: StepId, draft: WizardDraft): Problem[] {
  const out: Problem[] = []
  if (step === 'purpose') {
    if (!draft.name.trim())
      out.push({ field: 'name', message: 'Give the network a name', fix: 'for example lab or default' })
    if (!draft.bridge.trim())
      out.push({ field: 'bridge.name', message: 'Give the bridge a name', fix: 'for example virbr1' })
  }
  if (step === 'ipv4') {
    if (!draft.subnet.trim())
      out.push({ field: 'ips[0].address', message: 'Enter an IPv4 range', fix: 'for example 192.168.123.0/24' })
    else if (!draft.gateway) out.push({ field: 'ips[0].address', message: 'Enter a range like 192.168.123.0/24' })
    if (draft.dhcp && (!draft.dhcpStart.trim() || !draft.dhcpEnd.trim())) {
      out.push({ field: 'ips[0].dhcp.ranges[0].start', message: 'Enter the first and last address guests may lease' })
    }
  }
  if (step === 'ipv6' && draft.ipv6Mode === 'own' && !draft.ownPrefix.trim()) {
    out.push({
      field: 'ipv6',
      message: 'Enter your IPv6 prefix',
      fix: 'a /64 routed to this computer, e.g. 2001:db8:1:2::/64'
    })
  }
  return out
}
