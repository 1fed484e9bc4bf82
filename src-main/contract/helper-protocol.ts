/**
 * The privileged helper's protocol, written once: for every verb the schema of its arguments and of
 * the value it answers with, whether it only reads, and what it does. A request is one JSON object
 * `{verb, args}` (on the helper's stdin, or one line on the warm service's socket); the helper answers
 * with newline-delimited events and exactly one `result`. Types are inferred from these schemas
 * (`HelperArgs<'start'>`, `HelperValue<'start'>`); the helper checks every request with them and every
 * client checks every answer with them. A request carries names, flags and, for define/apply, XML:
 * never paths, never commands. `root` and `netns` are for root callers in tests (docs/security.md).
 */
import { UPDATE_COMMANDS, UPDATE_SECTIONS } from '../core/model/net-update'
import { FORWARD_FAMILIES, FORWARD_PROTOS } from '../core/model/port-forward'
import { doctorReportSchema, doctorSelector } from './doctor-schema'
import type { Infer, Schema } from './schema'
import { array, boolean, byFlag, literal, nullable, number, object, oneOf, optional, string, tagged } from './schema'

/** The most a request may weigh; anything larger is refused before it is parsed. */
export const MAX_REQUEST_BYTES = 1024 * 1024

/** The core's name rules (helper/policy.ts) say why a name is refused; the schema only bounds it. */
const name = string({ max: 256 })
/** `--root DIR`: a root-owned directory tree standing in for /etc, /var/lib and /run (root callers only). */
const root = optional(string({ min: 1, max: 1024 }))
/** `--netns NAME`: act inside that existing network namespace (root callers only). */
const netns = optional(string({ min: 1, max: 64 }))
const common = { root, netns }
const text = string()
const message = string()

export const helperErrorCodes = [
  'NO_REQUEST',
  'TOO_LARGE',
  'BAD_JSON',
  'BAD_REQUEST',
  'UNKNOWN_VERB',
  'INVALID_NAME',
  'INVALID_DEFINITION',
  'BAD_ROOT',
  'NOT_FOUND',
  'ACTIVE',
  'NOT_ACTIVE',
  'BRIDGE_TAKEN',
  'FOREIGN_OBJECT',
  'NOT_ROOT',
  'NOT_AUTHORISED',
  'MISSING_PROGRAM',
  'NETNS',
  'STEP_FAILED',
  'STOP_INCOMPLETE',
  'FOREIGN_NAMESPACE',
  'INTERRUPTED',
  'STORE',
  'INTERNAL'
] as const
export type HelperErrorCode = (typeof helperErrorCodes)[number]

export const helperErrorBodySchema = object({
  code: oneOf(helperErrorCodes),
  message: string(),
  /** The request field at fault (`args.name`, `args.xml`, `ip[0].address`, …). */
  field: optional(string()),
  fix: optional(string()),
  /** Rollback commands that failed too (the original error is `message`). */
  rollbackErrors: optional(array(string()))
})
export type HelperErrorBody = Infer<typeof helperErrorBodySchema>

/** What the host keeps as it is and why ('net.ipv4.ip_forward stays 1: network lab still needs it'). */
const notes = optional(array(text))

const resolvedOutcomeSchema = object({ registered: boolean(), message, notable: boolean() })

const startValueSchema = object({
  network: text,
  bridge: text,
  state: literal('active'),
  alreadyActive: boolean(),
  dnsmasqPid: nullable(number({ int: true })),
  message,
  /** Repairs done first (leftovers of an earlier crash). */
  repaired: array(text),
  /** It runs, but something will not work as defined. */
  warnings: optional(array(text)),
  resolved: optional(nullable(resolvedOutcomeSchema)),
  notes
})

const stopValueSchema = object({
  network: text,
  state: literal('inactive'),
  /** Undo commands that failed on pieces that turned out to be gone already. */
  warnings: array(text),
  message,
  notes
})

const defineValueSchema = object({
  network: text,
  uuid: nullable(text),
  bridge: nullable(text),
  created: boolean(),
  changed: boolean(),
  autostart: boolean(),
  message
})

/** The MTU a running network's guests are told (DHCP option 26, RA MTU), and why (core/host/uplink-mtu.ts). */
export const guestMtuSchema = object({
  value: number({ int: true }),
  source: oneOf(['definition', 'uplink', 'default'])
})

/** What a running `ipv6='lan'` network's journal says (helper/ops/lan-follow.ts). */
export const uplinkStatusSchema = object({
  ipv6: oneOf(['lan']),
  dev: nullable(text),
  prefix: nullable(text),
  /** Guest addresses the host answers for on the uplink. */
  proxies: number({ int: true, min: 0 }),
  note: text
})

export const networkStatusSchema = object({
  name: text,
  state: oneOf(['active', 'inactive', 'broken']),
  /** Why `broken`, or notes. */
  problems: array(text),
  defined: boolean(),
  autostart: boolean(),
  uuid: nullable(text),
  bridge: nullable(text),
  bridgePresent: boolean(),
  dnsmasqPid: nullable(number({ int: true })),
  dnsmasqAlive: nullable(boolean()),
  /** Tables of the running network: `inet guestnet_x` → present (null: could not be listed). */
  tables: array(object({ table: text, present: nullable(boolean()) })),
  startedAt: nullable(text),
  netns: nullable(text),
  /** A running network's guest MTU, from its dnsmasq configuration; absent when it runs no dnsmasq. */
  mtu: optional(guestMtuSchema),
  /** A running ipv6='lan' network: the uplink and prefix its guests use (null: none, the ULA only). */
  uplink: optional(uplinkStatusSchema),
  /** A running spanning network's peers: whether VXLAN arrived from each lately, the guest MACs learned behind it. */
  span: optional(
    object({
      vni: number({ int: true }),
      underlay: text,
      peers: array(object({ address: text, seen: boolean(), guests: number({ int: true, min: 0 }) }))
    })
  )
})

const statusValueSchema = object({
  networks: array(networkStatusSchema),
  /** Problems of the store itself (a corrupt sysctl ledger, say), each with what to run. */
  storeProblems: array(text)
})

export const dhcpLeaseSchema = object({
  family: oneOf(['ipv4', 'ipv6']),
  /** Unix seconds; null for an infinite lease. */
  expiry: nullable(number({ int: true })),
  mac: nullable(text),
  iaid: nullable(text),
  ip: text,
  hostname: nullable(text),
  clientId: nullable(text),
  prefix: nullable(number({ int: true }))
})

/** One entry of the running bridge's neighbour table (`ip -j neigh show dev BRIDGE`). */
export const neighbourSchema = object({ family: oneOf(['ipv4', 'ipv6']), ip: text, mac: text, state: text })

const leasesValueSchema = object({
  network: text,
  leases: array(dhcpLeaseSchema),
  problems: array(text),
  /** Asked for with `neighbours`: the running bridge's neighbour table (empty when it does not run). */
  neighbours: optional(array(neighbourSchema))
})

const reconcileValueSchema = object({
  steps: array(object({ kind: text, network: nullable(text), what: text, ok: boolean(), error: optional(text) })),
  /** Networks found active and consistent. */
  active: array(text),
  repaired: array(text),
  failed: array(text),
  /** Found and deliberately left alone (not this store's, or another namespace's). */
  left: array(text),
  message
})

const autostartAllValueSchema = object({
  defaultNetwork: text,
  results: array(
    byFlag(
      'ok',
      object({ network: text, ok: literal(true), message }),
      object({ network: text, ok: literal(false), error: helperErrorBodySchema })
    )
  ),
  started: number({ int: true }),
  failed: number({ int: true })
})

const renumberValueSchema = object({
  network: text,
  from: text,
  to: text,
  changed: boolean(),
  live: boolean(),
  bridge: nullable(text),
  changes: array(object({ field: text, from: text, to: text })),
  staleGuests: array(object({ mac: nullable(text), ip: text, hostname: nullable(text) })),
  dnsmasqPid: nullable(number({ int: true })),
  resolved: nullable(resolvedOutcomeSchema),
  message
})

const applyValueSchema = object({
  network: text,
  /** What the definition step did; null when the request carried no XML. */
  defined: nullable(defineValueSchema),
  autostart: boolean(),
  /** The network's state afterwards. */
  state: oneOf(['active', 'inactive', 'deleted']),
  /** The start it did (new or restarted), or null. */
  started: nullable(startValueSchema),
  /** It stopped the running network first (to restart it with the new definition, or to delete it). */
  stopped: boolean(),
  message,
  notes
})

const updateValueSchema = object({
  network: text,
  command: text,
  section: text,
  /** What changed, as libvirt would say it (`added <host mac='…' ip='…'/>`). */
  summary: text,
  /** The running dnsmasq was told (SIGHUP: same pid, leases kept). */
  live: boolean(),
  /** The stored definition was changed (comments kept). */
  config: boolean(),
  dnsmasqPid: nullable(number({ int: true })),
  message
})

const forwardPort = number({ int: true, min: 1, max: 65535 })

const forwardValueSchema = object({
  network: text,
  op: oneOf(['add', 'del']),
  /** `tcp/2222` or `tcp/2222@203.0.113.5`. */
  forward: text,
  /** The running network's table was replaced (one nft transaction, connections kept). */
  live: boolean(),
  message
})

const forwardEntrySchema = object({
  proto: oneOf(FORWARD_PROTOS),
  port: forwardPort,
  to: text,
  toPort: forwardPort,
  family: oneOf(FORWARD_FAMILIES),
  address: nullable(text),
  /** The guest's address it goes to now, per family asked for (null: not known yet). */
  ipv4: nullable(text),
  ipv6: nullable(text),
  /** active: rules in place; waiting: the guest has no known address yet; stopped: the network is not running. */
  state: oneOf(['active', 'waiting', 'stopped'])
})

const spanValueSchema = object({
  network: text,
  op: oneOf(['add', 'del']),
  peer: text,
  /** The running network's VXLAN flood list and firewall were changed too. */
  live: boolean(),
  message
})

const forwardsValueSchema = object({ network: text, running: boolean(), forwards: array(forwardEntrySchema) })

const followUplinkValueSchema = object({
  /** The path MTU through the uplink (core/host/uplink-mtu.ts); null: no default route. */
  uplink: nullable(object({ mtu: number({ int: true }), dev: text, table: text })),
  networks: array(
    object({
      network: text,
      /** The MTU its guests are told now; null: none (Ethernet's 1500). */
      announced: nullable(number({ int: true })),
      previous: nullable(number({ int: true })),
      source: oneOf(['definition', 'uplink', 'default']),
      /** dnsmasq was restarted with the new MTU. */
      changed: boolean(),
      dnsmasqPid: nullable(number({ int: true })),
      message
    })
  ),
  /** ipv6='lan' networks (helper/ops/lan-follow.ts): the uplink prefix their guests use now. */
  lan: array(
    object({
      network: text,
      uplink: nullable(text),
      prefix: nullable(text),
      moved: boolean(),
      proxies: number({ int: true }),
      message
    })
  ),
  message
})

interface VerbSpec<A, V> {
  args: Schema<A>
  value: Schema<V>
  /** Reads only: runs without the lock and, for a normal user, with that user's own rights. */
  readOnly: boolean
  doc: string
}

function verb<A, V>(args: Schema<A>, value: Schema<V>, readOnly: boolean, doc: string): VerbSpec<A, V> {
  return { args, value, readOnly, doc }
}

export const helperVerbs = {
  define: verb(
    object({ ...common, xml: string({ min: 1, max: MAX_REQUEST_BYTES }) }),
    defineValueSchema,
    false,
    'store a network from libvirt XML'
  ),
  undefine: verb(
    object({ ...common, name }),
    object({ network: text, message }),
    false,
    "remove a network's definition"
  ),
  start: verb(object({ ...common, name }), startValueSchema, false, 'start a network as one transaction'),
  stop: verb(object({ ...common, name }), stopValueSchema, false, 'stop a network and remove all it made'),
  autostart: verb(
    object({ ...common, name, enable: boolean() }),
    object({ network: text, autostart: boolean(), message }),
    false,
    'mark or unmark a network to start at boot'
  ),
  'autostart-all': verb(
    object({ ...common }),
    autostartAllValueSchema,
    false,
    'the boot path: create the default once, start every autostart network'
  ),
  apply: verb(
    object({
      ...common,
      name,
      /** The new definition (its <name> must be `name`); absent: the definition stays. */
      xml: optional(string({ min: 1, max: MAX_REQUEST_BYTES })),
      autostart: optional(boolean()),
      /** `active`: running afterwards (restarted when it ran with another definition); `inactive`: stopped. */
      state: optional(oneOf(['active', 'inactive'])),
      /** Stop it if it runs, then remove its definition. */
      delete: optional(boolean())
    }),
    applyValueSchema,
    false,
    'one user action as one transaction: define or update, autostart, start/restart/stop, or delete'
  ),
  status: verb(object({ ...common, name: optional(name) }), statusValueSchema, true, 'what runs, and what is broken'),
  leases: verb(
    object({ ...common, name, neighbours: optional(boolean()) }),
    leasesValueSchema,
    true,
    "a network's DHCP leases, and with `neighbours` its bridge's neighbour table"
  ),
  reconcile: verb(object({ ...common, name: optional(name) }), reconcileValueSchema, false, 'repair what a crash left'),
  'restore-default': verb(
    object({ ...common }),
    object({ network: text, uuid: nullable(text), bridge: nullable(text), message }),
    false,
    'bring back the deleted default network with its old UUID'
  ),
  doctor: verb(
    object({ ...common, fix: optional(doctorSelector), undo: optional(doctorSelector) }),
    doctorReportSchema,
    true,
    'find what breaks guest networking; with fix/undo (root) apply or undo a narrow fix'
  ),
  renumber: verb(
    object({ ...common, name, to: optional(string({ min: 1, max: 64 })) }),
    renumberValueSchema,
    false,
    'move a network to another subnet, live'
  ),
  update: verb(
    object({
      ...common,
      name,
      command: oneOf(UPDATE_COMMANDS),
      section: oneOf(UPDATE_SECTIONS),
      /** The one element, as virsh net-update takes it: `<host mac=… ip=… name=…/>`. */
      xml: string({ min: 1, max: 64 * 1024 }),
      /** Neither: a running network gets both, a stopped one config only (virsh's rule). */
      live: optional(boolean()),
      config: optional(boolean()),
      parentIndex: optional(number({ int: true, min: 0, max: 255 }))
    }),
    updateValueSchema,
    false,
    'change one reservation, range or DNS host, live (dnsmasq re-reads it on SIGHUP) and in the stored file'
  ),
  forward: verb(
    object({
      ...common,
      name,
      op: oneOf(['add', 'del']),
      proto: oneOf(FORWARD_PROTOS),
      port: forwardPort,
      /** add: an address in the network, a MAC or a reservation's name. */
      to: optional(string({ min: 1, max: 253 })),
      toPort: optional(forwardPort),
      family: optional(oneOf(FORWARD_FAMILIES)),
      address: optional(string({ min: 1, max: 64 }))
    }),
    forwardValueSchema,
    false,
    'add or delete a port forward: stored, and live on a running network (one nft transaction)'
  ),
  span: verb(
    object({ ...common, name, op: oneOf(['add', 'del']), peer: string({ min: 1, max: 64 }) }),
    spanValueSchema,
    false,
    'add or delete a peer host of a spanning network: stored, and live on a running one (its VXLAN flood list and firewall)'
  ),
  'forward-refresh': verb(
    object({ ...common, name }),
    object({ network: text, changed: boolean(), message }),
    false,
    "re-resolve a running network's port forwards to its guests' current addresses (one nft transaction)"
  ),
  forwards: verb(
    object({ ...common, name }),
    forwardsValueSchema,
    true,
    "a network's port forwards with where each goes now (re-resolved on a running network)"
  ),
  'follow-uplink': verb(
    object({ ...common, name: optional(name) }),
    followUplinkValueSchema,
    false,
    "announce the uplink's MTU to the guests of running networks (dnsmasq restarted when it changed)"
  )
} as const

export type HelperVerbs = typeof helperVerbs
export type HelperVerb = keyof HelperVerbs
export type HelperArgs<V extends HelperVerb> = Infer<HelperVerbs[V]['args']>
export type HelperValue<V extends HelperVerb> = Infer<HelperVerbs[V]['value']>
export type CommonArgs = { root?: string; netns?: string }

export const HELPER_VERBS = Object.keys(helperVerbs) as HelperVerb[]

/** One request: the verb and its arguments, told apart by `verb`. */
export type HelperRequest = { [V in HelperVerb]: { verb: V; args: HelperArgs<V> } }[HelperVerb]
export type RequestOf<V extends HelperVerb> = Extract<HelperRequest, { verb: V }>

export function isHelperVerb(v: unknown): v is HelperVerb {
  return typeof v === 'string' && Object.hasOwn(helperVerbs, v)
}

export function isReadOnly(req: HelperRequest): boolean {
  if (req.verb === 'doctor') return req.args.fix === undefined && req.args.undo === undefined
  return helperVerbs[req.verb].readOnly
}

export const stepEventSchema = tagged('type', {
  'step-started': object({ type: literal('step-started'), network: text, step: text, title: text }),
  'step-done': object({ type: literal('step-done'), network: text, step: text }),
  'step-failed': object({ type: literal('step-failed'), network: text, step: text, error: text }),
  'rolled-back': object({ type: literal('rolled-back'), network: text, step: text, errors: array(text) })
})
export type StepEvent = Infer<typeof stepEventSchema>

/** The result line, before its value is checked against the verb's schema. */
export const resultFrameSchema = byFlag(
  'ok',
  object({ type: literal('result'), ok: literal(true), value: anyJson() }),
  object({ type: literal('result'), ok: literal(false), error: helperErrorBodySchema })
)

/** What a request ends with, typed by its verb. */
export type HelperResult<V extends HelperVerb> =
  { ok: true; value: HelperValue<V> } | { ok: false; error: HelperErrorBody }

/** Any JSON value; the verb's own schema checks it afterwards. */
function anyJson(): Schema<unknown> {
  return { expected: 'a JSON value', optional: false, check: (input) => ({ ok: true, value: input }) }
}

/** The helper process's exit codes; the CLI uses the same numbers for 0–3. */
export const HELPER_EXIT = {
  ok: 0,
  /** The operation failed (and was rolled back). */
  failed: 1,
  /** The request was refused: malformed, too large, bad name or definition. Nothing changed. */
  invalid: 2,
  /** The environment is wrong: not root, not authorised, a program missing, no such namespace. Nothing changed. */
  environment: 3,
  /** SIGTERM/SIGINT: the step in progress was finished and everything rolled back. */
  interrupted: 4,
  /** A bug: an exception the helper did not expect. */
  internal: 70
} as const

export type HelperExitCode = (typeof HELPER_EXIT)[keyof typeof HELPER_EXIT]

const INVALID_CODES: ReadonlySet<HelperErrorCode> = new Set([
  'NO_REQUEST',
  'TOO_LARGE',
  'BAD_JSON',
  'BAD_REQUEST',
  'UNKNOWN_VERB',
  'INVALID_NAME',
  'INVALID_DEFINITION',
  'BAD_ROOT'
])
const ENVIRONMENT_CODES: ReadonlySet<HelperErrorCode> = new Set([
  'NOT_ROOT',
  'NOT_AUTHORISED',
  'MISSING_PROGRAM',
  'NETNS',
  'FOREIGN_NAMESPACE'
])

export function exitCodeFor(code: HelperErrorCode): HelperExitCode {
  if (INVALID_CODES.has(code)) return HELPER_EXIT.invalid
  if (ENVIRONMENT_CODES.has(code)) return HELPER_EXIT.environment
  if (code === 'INTERRUPTED') return HELPER_EXIT.interrupted
  if (code === 'INTERNAL') return HELPER_EXIT.internal
  return HELPER_EXIT.failed
}

/** An error the helper reports as a `result` with `ok: false`. */
export class HelperError extends Error {
  readonly code: HelperErrorCode
  readonly field?: string
  readonly fix?: string
  readonly rollbackErrors?: string[]

  constructor(
    code: HelperErrorCode,
    message: string,
    extra: { field?: string; fix?: string; rollbackErrors?: string[] } = {}
  ) {
    super(message)
    this.name = 'HelperError'
    this.code = code
    if (extra.field !== undefined) this.field = extra.field
    if (extra.fix !== undefined) this.fix = extra.fix
    if (extra.rollbackErrors !== undefined && extra.rollbackErrors.length > 0)
      this.rollbackErrors = extra.rollbackErrors
  }

  toBody(): HelperErrorBody {
    const body: HelperErrorBody = { code: this.code, message: this.message }
    if (this.field !== undefined) body.field = this.field
    if (this.fix !== undefined) body.fix = this.fix
    if (this.rollbackErrors !== undefined) body.rollbackErrors = this.rollbackErrors
    return body
  }
}

export function errorBody(error: unknown): HelperErrorBody {
  if (error instanceof HelperError) return error.toBody()
  const text = error instanceof Error ? error.message : String(error)
  return { code: 'INTERNAL', message: `internal error: ${text}` }
}

/** A verb that ran but reports failures inside its value (autostart-all, reconcile). */
export function partialFailure(value: unknown): boolean {
  const failed = (value as { failed?: unknown } | null)?.failed
  return (typeof failed === 'number' && failed > 0) || (Array.isArray(failed) && failed.length > 0)
}

/** The warm service's first frame on a connection: who it is and where it acts. */
export const SERVICE_PROTOCOL = 2
export const serviceHelloSchema = object({
  type: literal('hello'),
  service: literal('guestnet-helper'),
  protocol: literal(SERVICE_PROTOCOL),
  /** `dev:ino` of the service's network namespace (/proc/self/ns/net). */
  nsId: nullable(string()),
  /** The store root it serves (resolved `--root`), null for the system's own directories. */
  root: nullable(string()),
  pid: number({ int: true })
})
export type ServiceHello = Infer<typeof serviceHelloSchema>

/** Checks a verb's answer against its schema: the typed value, or the field that is wrong. */
export function checkValue<V extends HelperVerb>(verb: V, value: unknown): HelperResult<V> {
  const checked = helperVerbs[verb].value.check(value, 'value')
  if (checked.ok) return { ok: true, value: checked.value } as HelperResult<V>
  return {
    ok: false,
    error: {
      code: 'INTERNAL',
      message: `the helper's answer to '${verb}' does not match the protocol: ${checked.issue.field}: ${checked.issue.message}`
    }
  }
}

/** The client's first line on the service's socket, before its request: which process it is (checked, peer-creds.ts). */
export const serviceClientSchema = object({
  type: literal('client'),
  pid: number({ int: true, min: 1 }),
  /** Instead of one request: stay connected and get the guardian's frames (guardianFrameSchema). */
  watch: optional(boolean())
})

/** What the guardian (helper/guardian/) did about a running network's object that another tool undid. */
export const GUARDIAN_EVENTS = ['restored', 'gave-up', 'failed', 'not-guarded'] as const
export const GUARDED_OBJECTS = [
  'firewall',
  'sysctl',
  'bridge',
  'address',
  'dnsmasq',
  'ports',
  'zone',
  'definition'
] as const
export const guardianFrameSchema = object({
  type: literal('guardian'),
  event: oneOf(GUARDIAN_EVENTS),
  network: string(),
  what: oneOf(GUARDED_OBJECTS),
  /** What was found, in words: `nft table inet guestnet_default was deleted`. */
  detail: string(),
  /** restored: from seeing it to done, in milliseconds; else null. */
  ms: nullable(number()),
  at: string()
})
export type GuardianFrame = Infer<typeof guardianFrameSchema>
