/**
 * The runtime shape of `NetworkDef` (core/model/network.ts) as it crosses IPC. Structure only:
 * the meaning (valid names, addresses inside the subnet, …) is `validateNetwork`'s job. The type
 * assertions at the bottom fail to compile if the schema and the model type drift apart.
 */
import { UPLINK_IPV4_MODES, UPLINK_IPV6_MODES } from '../core/model/uplink-mode'
import type { NetworkDef } from '../core/model/network'
import { FORWARD_FAMILIES, FORWARD_PROTOS, MAX_PORT_FORWARDS } from '../core/model/port-forward'
import { MAX_SPAN_PEERS } from '../core/model/span'
import type { Infer } from './schema'
import { array, boolean, number, object, oneOf, optional, string } from './schema'

const text = (max = 1024): ReturnType<typeof string> => string({ max })
const port = (): ReturnType<typeof number> => number({ int: true, min: 0, max: 65535 })

export const leaseSchema = object({
  expiry: number({ int: true, min: 0 }),
  unit: oneOf(['seconds', 'minutes', 'hours'])
})

export const ipConfigSchema = object({
  family: oneOf(['ipv4', 'ipv6']),
  address: text(64),
  prefix: number({ int: true, min: 0, max: 128 }),
  fromNetmask: optional(boolean()),
  localPtr: optional(boolean()),
  tftp: optional(object({ root: text() })),
  dhcp: optional(
    object({
      ranges: array(object({ start: text(64), end: text(64), lease: optional(leaseSchema) }), { max: 64 }),
      hosts: array(
        object({
          mac: optional(text(64)),
          id: optional(text(256)),
          name: optional(text(253)),
          ip: optional(text(64)),
          lease: optional(leaseSchema)
        }),
        { max: 4096 }
      ),
      bootp: optional(object({ file: text(), server: optional(text(64)) }))
    })
  )
})

export const dnsSchema = object({
  enable: optional(boolean()),
  forwardPlainNames: optional(boolean()),
  forwarders: array(object({ addr: optional(text(64)), domain: optional(text(253)) }), { max: 256 }),
  hosts: array(object({ ip: text(64), hostnames: array(text(253), { max: 64 }) }), { max: 4096 }),
  srvs: array(
    object({
      service: text(63),
      protocol: text(16),
      domain: optional(text(253)),
      target: optional(text(253)),
      port: optional(port()),
      priority: optional(port()),
      weight: optional(port())
    }),
    { max: 256 }
  ),
  txts: array(object({ name: text(253), value: text(4096) }), { max: 256 })
})

const portForwardSchema = object({
  proto: oneOf(FORWARD_PROTOS),
  port: port(),
  to: text(253),
  toPort: optional(port()),
  family: optional(oneOf(FORWARD_FAMILIES)),
  address: optional(text(64))
})

const spanSchema = object({
  vni: number({ int: true, min: 0 }),
  port: optional(port()),
  underlay: text(64),
  slice: optional(
    object({ part: number({ int: true, min: 0, max: 9999 }), of: number({ int: true, min: 0, max: 9999 }) })
  ),
  peers: array(object({ address: text(64) }), { max: MAX_SPAN_PEERS })
})

const guestnetSettingsSchema = object({
  portForwards: optional(array(portForwardSchema, { max: MAX_PORT_FORWARDS })),
  uplink: optional(object({ ipv6: optional(oneOf(UPLINK_IPV6_MODES)), ipv4: optional(oneOf(UPLINK_IPV4_MODES)) })),
  span: optional(spanSchema)
})

export const networkDefSchema = object({
  name: string({ min: 1, max: 200 }),
  uuid: optional(text(64)),
  title: optional(text()),
  description: optional(text(16384)),
  ipv6: optional(boolean()),
  forward: object({
    mode: oneOf(['nat', 'route', 'open', 'none', 'bridge']),
    dev: optional(text(64)),
    nat: optional(
      object({
        addressStart: optional(text(64)),
        addressEnd: optional(text(64)),
        portStart: optional(port()),
        portEnd: optional(port()),
        ipv6: optional(boolean())
      })
    )
  }),
  bridge: optional(
    object({
      name: optional(text(64)),
      stp: optional(boolean()),
      delay: optional(number({ int: true, min: 0 })),
      zone: optional(text(64)),
      macTableManager: optional(oneOf(['kernel']))
    })
  ),
  mtu: optional(number({ int: true, min: 0, max: 65535 })),
  mac: optional(text(64)),
  domain: optional(object({ name: text(253), localOnly: optional(boolean()) })),
  dns: optional(dnsSchema),
  port: optional(object({ isolated: boolean() })),
  ips: array(ipConfigSchema, { max: 32 }),
  routes: optional(
    array(
      object({
        family: oneOf(['ipv4', 'ipv6']),
        familyGiven: optional(boolean()),
        address: text(64),
        prefix: number({ int: true, min: 0, max: 128 }),
        fromNetmask: optional(boolean()),
        gateway: text(64),
        metric: optional(number({ int: true, min: 0 }))
      }),
      { max: 256 }
    )
  ),
  /** guestnet's own settings (core/model/guestnet-settings.ts); each feature adds its key. */
  guestnet: optional(guestnetSettingsSchema)
})

type SchemaDef = Infer<typeof networkDefSchema>
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
type Assert<T extends true> = T
// A field added to, removed from or retyped in NetworkDef (at any depth) breaks the build here.
/** @public a compile-time check, used by nothing */
export type NetworkDefMatchesModel = Assert<Equals<SchemaDef, NetworkDef>>
