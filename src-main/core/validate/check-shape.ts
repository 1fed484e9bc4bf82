/**
 * The validator's first pass: does the value even have the shape of a NetworkDef? The root helper
 * gets definitions from an unprivileged process, so nothing about the input is trusted: every
 * field must have its declared type, arrays and strings have size limits (no memory blow-ups),
 * and unknown fields are refused (fail closed: a field we do not check must not reach a plan).
 * Field paths use the XML names the parser uses (`ip[0].dhcp.range[1].start`, `mtu.size`).
 */
import { UPLINK_IPV4_MODES, UPLINK_IPV6_MODES } from '../model/uplink-mode'
import { FORWARD_FAMILIES, FORWARD_PROTOS, MAX_PORT_FORWARDS } from '../model/port-forward'
import { MAX_SPAN_PEERS } from '../model/span'
import type { Problems } from './problems'
import { printable } from './syntax'

type Check = (value: unknown, path: string, problems: Problems) => void

interface Field {
  check: Check
  required?: boolean
  /** Path segment for this field when it differs from the key (`mtu` → `mtu.size`, `ips` → `ip`). */
  as?: string
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`
}

function str(max = 1024): Check {
  return (v, path, p) => {
    if (typeof v !== 'string') p.add(path, `expected text, got ${describe(v)}`, 'give a string')
    else if (v.length > max)
      p.add(path, `the text is ${v.length} characters long; at most ${max} are allowed`, 'shorten it')
  }
}

const bool: Check = (v, path, p) => {
  if (typeof v !== 'boolean') p.add(path, `expected true or false, got ${describe(v)}`, 'give a boolean')
}

const int: Check = (v, path, p) => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    p.add(path, `expected a whole number, got ${typeof v === 'number' ? String(v) : describe(v)}`, 'give an integer')
  }
}

function oneOf(values: readonly string[]): Check {
  return (v, path, p) => {
    if (typeof v !== 'string' || !values.includes(v)) {
      const got = typeof v === 'string' ? `'${printable(v)}'` : describe(v)
      p.add(path, `${got} is not one of ${values.map((x) => `'${x}'`).join(', ')}`, `use one of ${values.join(', ')}`)
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function join(path: string, seg: string): string {
  return path ? `${path}.${seg}` : seg
}

function obj(fields: Record<string, Field>): Check {
  return (v, path, p) => {
    if (!isRecord(v)) {
      p.add(
        path || '(definition)',
        `expected an object, got ${describe(v)}`,
        'give an object with the documented fields'
      )
      return
    }
    for (const key of Object.keys(v)) {
      if (!Object.hasOwn(fields, key))
        p.add(join(path, printable(key, 40)), 'unknown field', 'remove it: guestnet does not know this field')
    }
    for (const [key, field] of Object.entries(fields)) {
      const value = Object.hasOwn(v, key) ? v[key] : undefined
      const at = join(path, field.as ?? key)
      if (value === undefined) {
        if (field.required) p.add(at, 'missing', 'add this field')
      } else {
        field.check(value, at, p)
      }
    }
  }
}

function arr(item: Check, max: number): Check {
  return (v, path, p) => {
    if (!Array.isArray(v)) {
      p.add(path, `expected a list, got ${describe(v)}`, 'give a list')
      return
    }
    if (v.length > max) {
      p.add(path, `${v.length} entries; at most ${max} are allowed`, 'remove entries')
      return
    }
    v.forEach((x, i) => item(x, `${path}[${i}]`, p))
  }
}

const lease = obj({
  expiry: { check: int, required: true },
  unit: { check: oneOf(['seconds', 'minutes', 'hours']), required: true }
})

const dhcp = obj({
  ranges: {
    as: 'range',
    required: true,
    check: arr(
      obj({ start: { check: str(), required: true }, end: { check: str(), required: true }, lease: { check: lease } }),
      256
    )
  },
  hosts: {
    as: 'host',
    required: true,
    check: arr(
      obj({
        mac: { check: str() },
        id: { check: str() },
        name: { check: str() },
        ip: { check: str() },
        lease: { check: lease }
      }),
      10_000
    )
  },
  bootp: { check: obj({ file: { check: str(), required: true }, server: { check: str() } }) }
})

const ip = obj({
  family: { check: oneOf(['ipv4', 'ipv6']), required: true },
  address: { check: str(), required: true },
  prefix: { check: int, required: true },
  fromNetmask: { check: bool },
  localPtr: { check: bool },
  tftp: { check: obj({ root: { check: str(), required: true } }) },
  dhcp: { check: dhcp }
})

const route = obj({
  family: { check: oneOf(['ipv4', 'ipv6']), required: true },
  familyGiven: { check: bool },
  address: { check: str(), required: true },
  prefix: { check: int, required: true },
  fromNetmask: { check: bool },
  gateway: { check: str(), required: true },
  metric: { check: int }
})

const dns = obj({
  enable: { check: bool },
  forwardPlainNames: { check: bool },
  forwarders: {
    as: 'forwarder',
    required: true,
    check: arr(obj({ addr: { check: str() }, domain: { check: str() } }), 64)
  },
  hosts: {
    as: 'host',
    required: true,
    check: arr(
      obj({
        ip: { check: str(), required: true },
        hostnames: { as: 'hostname', required: true, check: arr(str(), 64) }
      }),
      10_000
    )
  },
  srvs: {
    as: 'srv',
    required: true,
    check: arr(
      obj({
        service: { check: str(), required: true },
        protocol: { check: str(), required: true },
        domain: { check: str() },
        target: { check: str() },
        port: { check: int },
        priority: { check: int },
        weight: { check: int }
      }),
      1000
    )
  },
  txts: {
    as: 'txt',
    required: true,
    check: arr(obj({ name: { check: str(), required: true }, value: { check: str(), required: true } }), 1000)
  }
})

const portForward = obj({
  proto: { check: oneOf(FORWARD_PROTOS), required: true },
  port: { check: int, required: true },
  to: { check: str(253), required: true },
  toPort: { check: int },
  family: { check: oneOf(FORWARD_FAMILIES) },
  address: { check: str(64) }
})

const span = obj({
  vni: { check: int, required: true },
  port: { check: int },
  underlay: { check: str(64), required: true },
  slice: { check: obj({ part: { check: int, required: true }, of: { check: int, required: true } }) },
  peers: {
    as: 'peer',
    required: true,
    check: arr(obj({ address: { check: str(64), required: true } }), MAX_SPAN_PEERS)
  }
})

const guestnet = obj({
  portForwards: { as: 'portForwards.forward', check: arr(portForward, MAX_PORT_FORWARDS) },
  uplink: { check: obj({ ipv6: { check: oneOf(UPLINK_IPV6_MODES) }, ipv4: { check: oneOf(UPLINK_IPV4_MODES) } }) },
  span: { check: span }
})

const network = obj({
  name: { check: str(), required: true },
  uuid: { check: str() },
  title: { check: str() },
  description: { check: str(65_536) },
  ipv6: { check: bool },
  forward: {
    required: true,
    check: obj({
      mode: { check: oneOf(['nat', 'route', 'open', 'none', 'bridge']), required: true },
      dev: { check: str() },
      nat: {
        check: obj({
          addressStart: { as: 'address.start', check: str() },
          addressEnd: { as: 'address.end', check: str() },
          portStart: { as: 'port.start', check: int },
          portEnd: { as: 'port.end', check: int },
          ipv6: { check: bool }
        })
      }
    })
  },
  bridge: {
    check: obj({
      name: { check: str() },
      zone: { check: str() },
      stp: { check: bool },
      delay: { check: int },
      macTableManager: { check: oneOf(['kernel']) }
    })
  },
  mtu: { as: 'mtu.size', check: int },
  mac: { as: 'mac.address', check: str() },
  domain: { check: obj({ name: { check: str(), required: true }, localOnly: { check: bool } }) },
  dns: { check: dns },
  port: { check: obj({ isolated: { check: bool, required: true } }) },
  ips: { as: 'ip', required: true, check: arr(ip, 64) },
  routes: { as: 'route', check: arr(route, 256) },
  guestnet: { as: 'metadata', check: guestnet }
})

/** Shape problems of `def`; when there are any, the other rules must not run on it. */
export function checkShape(def: unknown, problems: Problems): void {
  network(def, '', problems)
}
