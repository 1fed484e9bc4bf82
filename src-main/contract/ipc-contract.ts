/**
 * The one IPC contract between Electron main, the preload and the renderer: every channel
 * (`domain:verb`) with its input and output schema, and every event main pushes. Types are
 * inferred from these objects (`ChannelInput<'network:get'>`); nothing here is written twice.
 * Main validates inputs (and outputs) against it; the preload builds `window.guestnet` from it.
 */
import { FORWARD_FAMILIES, FORWARD_PROTOS } from '../core/model/port-forward'
import { doctorReportSchema, doctorSelector } from './doctor-schema'
import { networkDefSchema } from './network-def-schema'
import type { Infer, Schema } from './schema'
import { array, boolean, nullable, number, object, oneOf, optional, record, string } from './schema'

/** Network names as the store accepts them; the validator has the finer rules. */
const networkName = string({ min: 1, max: 200 })
/** Correlates an operation with its `apply:progress` events; chosen by the caller. */
const opId = optional(string({ min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/, patternText: 'letters, digits, - and _' }))
const noInput = object({})

export const problemSchema = object({
  field: string(),
  message: string(),
  fix: optional(string()),
  line: optional(number({ int: true }))
})

/** A host network that a proposed subnet overlaps, named so the user can recognise it. */
export const clashSchema = object({
  /** The host's route or address the subnet overlaps, e.g. `192.168.0.0/16`. */
  overlaps: string(),
  ifname: nullable(string()),
  table: nullable(string()),
  message: string()
})

export const networkStatusSchema = oneOf(['active', 'inactive', 'broken'])

/** A guestnet network that overlaps a host network now (found by the host watcher), with where to move it. */
export const networkClashSchema = object({
  network: string(),
  /** Our subnet that overlaps, e.g. `192.168.122.0/24`. */
  subnet: string(),
  active: boolean(),
  bridge: nullable(string()),
  /** A free IPv4 subnet to renumber to, or null when none is left. */
  suggestion: nullable(string()),
  clashes: array(clashSchema),
  message: string()
})

/** A guest whose lease is still in a network's old subnet after a renumber. */
export const staleGuestSchema = object({ mac: nullable(string()), ip: string(), hostname: nullable(string()) })

const forwardPort = number({ int: true, min: 1, max: 65535 })

/** One port forward as `network:forwards` lists it (the helper's `forwards` verb). */
export const portForwardInfoSchema = object({
  proto: oneOf(FORWARD_PROTOS),
  port: forwardPort,
  to: string(),
  toPort: forwardPort,
  family: oneOf(FORWARD_FAMILIES),
  address: nullable(string()),
  /** Where it goes now (null: the guest has no known address in that family yet). */
  ipv4: nullable(string()),
  ipv6: nullable(string()),
  state: oneOf(['active', 'waiting', 'stopped'])
})

const forwardResultSchema = object({
  name: string(),
  /** `tcp/2222` or `tcp/2222@203.0.113.5`. */
  forward: string(),
  live: boolean(),
  message: string()
})

export const networkSummarySchema = object({
  name: string(),
  status: networkStatusSchema,
  /** Why a broken network cannot be read, with the file to fix. */
  reason: nullable(string()),
  file: nullable(string()),
  uuid: nullable(string()),
  mode: nullable(oneOf(['nat', 'route', 'open', 'none', 'bridge'])),
  bridge: nullable(string()),
  /** `192.168.122.1/24` (gateway address and prefix). */
  ipv4: nullable(string()),
  dhcp4: nullable(object({ start: string(), end: string() })),
  ipv6: nullable(string()),
  domain: nullable(string()),
  autostart: boolean(),
  guests: number({ int: true, min: 0 }),
  isDefault: boolean(),
  /** A running network's guest MTU and why (`uplink`: follows a narrower uplink); absent when not known. */
  mtu: optional(object({ value: number({ int: true }), source: oneOf(['definition', 'uplink', 'default']) })),
  /** A running `ipv6='lan'` network: the uplink and prefix its guests use (null: none, the ULA only). */
  uplink: optional(object({ ipv6: oneOf(['lan']), dev: nullable(string()), prefix: nullable(string()) })),
  /**
   * A spanning network's peer hosts (its stored `<gn:span>`); while it runs, whether VXLAN arrived
   * from each lately and how many guests were learned behind it (null: not running, not known).
   */
  span: optional(
    object({
      vni: number({ int: true }),
      underlay: string(),
      peers: array(
        object({
          address: string(),
          seen: nullable(boolean()),
          guests: nullable(number({ int: true, min: 0 }))
        })
      )
    })
  )
})

export const planStepSchema = object({
  id: string(),
  title: string(),
  apply: array(array(string())),
  rollback: array(array(string()))
})

export const leaseInfoSchema = object({
  /** Null for a DHCPv6 lease (those are known by DUID and IAID). */
  mac: nullable(string()),
  ip: string(),
  hostname: nullable(string()),
  /** Seconds since the epoch; null for an infinite lease. */
  expiresAt: nullable(number({ int: true })),
  clientId: nullable(string())
})

export const reservationSchema = object({ mac: nullable(string()), ip: nullable(string()), name: nullable(string()) })

/** A guest of a network, one per MAC (core/leases/guests.ts). */
export const guestInfoSchema = object({
  mac: string(),
  hostname: nullable(string()),
  ipv4: nullable(
    object({
      ip: string(),
      /** Seconds since the epoch; null for an infinite lease or an address seen, not leased. */
      expiresAt: nullable(number({ int: true })),
      source: oneOf(['lease', 'neighbour'])
    })
  ),
  /** Global addresses first. */
  ipv6: array(object({ ip: string(), source: oneOf(['dhcpv6', 'neighbour']), linkLocal: boolean() })),
  reservation: nullable(object({ ip: nullable(string()), name: nullable(string()) })),
  /** Seconds since the epoch this app first saw the MAC on the network; null when unknown. */
  firstSeen: nullable(number({ int: true }))
})

const opResult = object({ name: string() })

function channel<I, O>(
  input: Schema<I>,
  output: Schema<O>,
  doc: string
): { input: Schema<I>; output: Schema<O>; doc: string } {
  return { input, output, doc }
}

export const channels = {
  'app:info': channel(
    noInput,
    object({
      version: string(),
      /** `sandbox`: everything runs inside the namespace sandbox, not on this machine's networks. */
      mode: oneOf(['system', 'sandbox']),
      /** How privileged steps run: `pkexec` asks for a password; `direct` when already root or sandboxed. */
      elevation: oneOf(['pkexec', 'direct']),
      storeRoot: nullable(string())
    }),
    'what kind of app this is'
  ),
  'network:list': channel(noInput, array(networkSummarySchema), 'every network, broken ones included'),
  'network:get': channel(
    object({ name: networkName }),
    object({ name: string(), def: networkDefSchema, xml: string(), autostart: boolean(), status: networkStatusSchema }),
    'one network: its definition and XML'
  ),
  'network:define': channel(
    object({
      def: networkDefSchema,
      /** Set when editing: the definition must keep this name. */
      editing: optional(networkName),
      autostart: optional(boolean()),
      /** Start it right away (the wizard's Apply). */
      start: optional(boolean()),
      opId
    }),
    object({ name: string(), xml: string(), status: networkStatusSchema }),
    'create or replace a network definition'
  ),
  'network:undefine': channel(object({ name: networkName, opId }), opResult, 'stop (if running) and delete a network'),
  'network:start': channel(object({ name: networkName, opId }), opResult, 'bring a network up'),
  'network:stop': channel(object({ name: networkName, opId }), opResult, 'take a network down'),
  'network:set-autostart': channel(
    object({ name: networkName, autostart: boolean() }),
    object({ name: string(), autostart: boolean() }),
    'start the network at boot, or not'
  ),
  'network:export-xml': channel(
    object({ name: networkName }),
    object({ name: string(), xml: string(), fileName: string() }),
    'the libvirt XML of a network'
  ),
  'network:import-xml': channel(
    object({ xml: string({ min: 1, max: 1_000_000 }), name: optional(networkName) }),
    object({ name: string(), xml: string() }),
    'define a network from libvirt network XML'
  ),
  'network:restore-default': channel(object({ opId }), opResult, "bring back the deleted 'default' network"),
  'network:default-state': channel(
    noInput,
    object({
      /** `networks/default.xml` exists (valid or broken). */
      exists: boolean(),
      /** guestnet created the default network once (`default-created`): it never creates it again by itself. */
      created: boolean(),
      /** The default was deleted on purpose and not restored: the app must not offer first-run setup again. */
      defaultDeleted: boolean(),
      /** The deleted default's UUID, which "Restore default network" gives back; null when none is recorded. */
      deletedUuid: nullable(string({ max: 64 }))
    }),
    "the default network's history: a true first run, or deleted on purpose"
  ),
  'network:validate': channel(
    object({ def: networkDefSchema, editing: optional(networkName) }),
    object({ problems: array(problemSchema), clashes: array(clashSchema) }),
    "live check: the core's rules and clashes with the host's networks"
  ),
  'network:plan': channel(
    object({ def: networkDefSchema }),
    object({
      xml: string(),
      steps: array(planStepSchema),
      nftRuleset: string(),
      dnsmasqConf: string(),
      sysctls: record(string())
    }),
    'what Apply will do: the XML, the privileged steps and the ruleset'
  ),
  'network:address-plan': channel(
    object({ ipv4: optional(string({ max: 64 })), ipv6: optional(string({ max: 64 })) }),
    object({
      ipv4: nullable(
        object({
          subnet: string(),
          gateway: string(),
          prefix: number({ int: true }),
          dhcpStart: string(),
          dhcpEnd: string()
        })
      ),
      ipv6: nullable(object({ subnet: string(), gateway: string(), prefix: number({ int: true }) })),
      /** Why a given subnet cannot be used (`field` is `ipv4` or `ipv6`). */
      problems: array(problemSchema)
    }),
    "the gateway and DHCP range of a subnet, from the core's address rules"
  ),
  'network:leases': channel(
    object({ name: networkName }),
    object({ name: string(), leases: array(leaseInfoSchema), reservations: array(reservationSchema) }),
    "a network's guests: live DHCP leases and static reservations"
  ),
  'network:guests': channel(
    object({ name: networkName }),
    object({
      name: string(),
      bridge: nullable(string()),
      active: boolean(),
      guests: array(guestInfoSchema),
      /** Every reservation, also of guests not seen now. */
      reservations: array(reservationSchema),
      /** The network's own addresses (`192.168.122.1/24`), for the picture. */
      addresses: array(string())
    }),
    "a network's guests: leases, IPv6 addresses from the neighbour table and DHCPv6, reservations, first seen"
  ),
  'network:keep-lease': channel(
    object({
      name: networkName,
      mac: string({
        min: 17,
        max: 17,
        pattern: /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/,
        patternText: 'a MAC address like 52:54:00:12:34:56'
      })
    }),
    object({ name: string(), mac: string(), ip: string(), hostname: nullable(string()), message: string() }),
    "turn a guest's live lease into a DHCP reservation (live on a running network)"
  ),
  'network:renumber': channel(
    object({
      name: networkName,
      /** Default: the first free range. */ to: optional(string({ min: 1, max: 64 })),
      opId
    }),
    object({
      name: string(),
      from: string(),
      to: string(),
      changed: boolean(),
      /** The network was running and moved live (bridge kept, guests stay attached). */
      live: boolean(),
      /** Guests still on an old address: refused at their next DHCP renewal, then given a new one. */
      staleGuests: array(staleGuestSchema),
      message: string()
    }),
    'move a network to another subnet, keeping its name, UUID, bridge, MAC and reservations'
  ),
  'network:forwards': channel(
    object({ name: networkName }),
    object({ name: string(), running: boolean(), forwards: array(portForwardInfoSchema) }),
    "a network's port forwards, each with the guest address it reaches now and its state"
  ),
  'network:forward-add': channel(
    object({
      name: networkName,
      proto: oneOf(FORWARD_PROTOS),
      port: forwardPort,
      /** An IPv4 address in the network, a guest's MAC or a DHCP reservation's name. */
      to: string({ min: 1, max: 253 }),
      toPort: optional(forwardPort),
      family: optional(oneOf(FORWARD_FAMILIES)),
      address: optional(string({ min: 1, max: 64 })),
      opId
    }),
    forwardResultSchema,
    'forward a host port to a guest: stored, and live on a running network'
  ),
  'network:forward-del': channel(
    object({
      name: networkName,
      proto: oneOf(FORWARD_PROTOS),
      port: forwardPort,
      address: optional(string({ min: 1, max: 64 })),
      opId
    }),
    forwardResultSchema,
    'remove a port forward (stored, and live on a running network)'
  ),
  'host:clashes': channel(
    noInput,
    array(networkClashSchema),
    'networks that overlap one of the host networks now, each with a free range'
  ),
  'host:suggest-range': channel(
    object({ purpose: oneOf(['default', 'other']) }),
    object({
      /** A free IPv4 subnet (`192.168.122.0/24`), or null when the pool is exhausted. */
      ipv4: nullable(string()),
      /** The next free bridge name (`virbr0` for the default). */
      bridge: string(),
      /** A free /64 of this host's ULA prefix. */
      ula64: nullable(string()),
      /** A free network name (`default`, `network1`…). */
      name: string()
    }),
    'a free range, bridge, IPv6 prefix and name for a new network'
  ),
  'host:facts-summary': channel(
    noInput,
    object({
      interfaces: array(object({ ifname: string(), addresses: array(string()) })),
      routes: array(object({ dst: string(), dev: nullable(string()), table: string() }))
    }),
    "the host's own networks, as the clash check sees them"
  ),
  'doctor:run': channel(
    object({
      /** Also the checks that need root (asks for a password unless already root). */ full: optional(boolean())
    }),
    doctorReportSchema,
    'find what keeps guest traffic from working on this host'
  ),
  'doctor:fix': channel(
    object({ id: doctorSelector }),
    doctorReportSchema,
    "apply the doctor's narrow fix for a finding (as root)"
  ),
  'doctor:undo': channel(object({ id: doctorSelector }), doctorReportSchema, 'undo a fix the doctor applied (as root)')
} as const

export const stepEventKinds = ['step-started', 'step-done', 'step-failed', 'rolled-back'] as const

export const events = {
  'apply:progress': object({
    opId: nullable(string()),
    network: string(),
    kind: oneOf(stepEventKinds),
    stepId: string(),
    title: string(),
    message: optional(string())
  }),
  'leases:changed': object({ network: string() }),
  'host:networks-changed': object({ at: number() }),
  'network:state-changed': object({ network: string(), status: networkStatusSchema }),
  /** The clashes changed: every clash now, and the networks whose clash is new. */
  'network:clash': object({ clashes: array(networkClashSchema), appeared: array(string()) })
} as const

export type Channels = typeof channels
export type Channel = keyof Channels
export type ChannelInput<C extends Channel> = Infer<Channels[C]['input']>
export type ChannelOutput<C extends Channel> = Infer<Channels[C]['output']>
export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = Infer<Events[E]>

export const errorCodes = [
  /** The input did not match the contract; `field` names it. */
  'INVALID_INPUT',
  /** The definition breaks a rule of the validator; `field` names it. */
  'INVALID_NETWORK',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  /** The subnet overlaps one of the host's networks. */
  'CLASH',
  /** The password prompt was dismissed: not an error, the user changed their mind. */
  'CANCELLED',
  /** polkit refused (or no authentication agent is running). */
  'NOT_AUTHORISED',
  /** A privileged step failed; what was done has been rolled back. */
  'APPLY_FAILED',
  'HELPER_FAILED',
  'FORBIDDEN_SENDER',
  'INTERNAL'
] as const
export type ErrorCode = (typeof errorCodes)[number]

export const ipcErrorSchema = object({
  code: oneOf(errorCodes),
  message: string(),
  field: optional(string()),
  /** Titles of the steps undone after a failed apply, in the order they were undone. */
  rolledBack: optional(array(string()))
})
export type IpcError = Infer<typeof ipcErrorSchema>

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError }

export function isChannel(name: string): name is Channel {
  return Object.hasOwn(channels, name)
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name)
}
