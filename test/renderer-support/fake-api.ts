/**
 * An in-memory GuestnetApi for component tests: each channel answers from a handler the test
 * gives (or a sensible default), every call is recorded, and events can be emitted by hand.
 */
import type { GuestnetApi } from '../../src-main/contract/api'
import { buildApi } from '../../src-main/contract/api'
import type {
  Channel,
  ChannelInput,
  ChannelOutput,
  EventName,
  EventPayload,
  IpcResult
} from '../../src-main/contract/ipc-contract'

export type Handlers = {
  [C in Channel]?: (input: ChannelInput<C>) => IpcResult<ChannelOutput<C>> | Promise<IpcResult<ChannelOutput<C>>>
}

export interface FakeApi {
  api: GuestnetApi
  calls: { channel: Channel; input: unknown }[]
  callsOf<C extends Channel>(channel: C): ChannelInput<C>[]
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
  set(handlers: Handlers): void
}

export const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value })

const defaults: Handlers = {
  'app:info': () => ok({ version: '0.1.0', mode: 'sandbox', elevation: 'direct', storeRoot: null }),
  'network:list': () => ok([]),
  'network:default-state': () => ok({ exists: false, created: false, defaultDeleted: false, deletedUuid: null }),
  'host:suggest-range': ({ purpose }) =>
    ok({
      name: purpose === 'default' ? 'default' : 'network1',
      bridge: purpose === 'default' ? 'virbr0' : 'virbr1',
      ipv4: purpose === 'default' ? '192.168.122.0/24' : '192.168.123.0/24',
      ula64: 'fd12:3456:789a::/64'
    }),
  'network:address-plan': ({ ipv4, ipv6 }) => {
    const m = ipv4 ? /^(\d+\.\d+\.\d+)\.\d+\/24$/.exec(ipv4) : null
    return ok({
      ipv4: m
        ? { subnet: `${m[1]}.0/24`, gateway: `${m[1]}.1`, prefix: 24, dhcpStart: `${m[1]}.2`, dhcpEnd: `${m[1]}.254` }
        : null,
      ipv6: ipv6 ? { subnet: ipv6, gateway: ipv6.replace(/::\/\d+$/, '::1'), prefix: 64 } : null,
      problems: ipv4 && !m ? [{ field: 'ipv4', message: `'${ipv4}' is not an IPv4 range like 192.168.123.0/24` }] : []
    })
  },
  'network:validate': () => ok({ problems: [], clashes: [] }),
  'network:plan': ({ def }) =>
    ok({
      xml: `<network>\n  <name>${def.name}</name>\n</network>\n`,
      steps: [
        {
          id: 'bridge',
          title: `Create bridge ${def.bridge?.name ?? ''}`,
          apply: [['ip', 'link', 'add', def.bridge?.name ?? 'br', 'type', 'bridge']],
          rollback: []
        },
        { id: 'nft', title: 'Load the firewall table', apply: [['nft', '-f', '/run/guestnet/x/nft']], rollback: [] }
      ],
      nftRuleset: 'table inet guestnet_default {}\n',
      dnsmasqConf: 'interface=virbr0\n',
      sysctls: {}
    }),
  'network:forwards': ({ name }) => ok({ name, running: true, forwards: [] }),
  'network:define': ({ def }) => ok({ name: def.name, xml: '<network/>', status: 'active' as const })
}

export function fakeApi(handlers: Handlers = {}): FakeApi {
  let current: Handlers = { ...defaults, ...handlers }
  const calls: { channel: Channel; input: unknown }[] = []
  const listeners = new Map<EventName, Set<(p: unknown) => void>>()
  const api = buildApi(
    async (channel, input) => {
      calls.push({ channel, input })
      const h = current[channel] as ((i: unknown) => IpcResult<unknown> | Promise<IpcResult<unknown>>) | undefined
      if (!h) return { ok: false, error: { code: 'INTERNAL', message: `fake api: no handler for ${channel}` } }
      return h(input)
    },
    (event, listener) => {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener)
      return () => set.delete(listener)
    }
  )
  return {
    api,
    calls,
    callsOf: <C extends Channel>(channel: C) =>
      calls.filter((c) => c.channel === channel).map((c) => c.input as ChannelInput<C>),
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload)),
    set: (h) => (current = { ...current, ...h })
  }
}
