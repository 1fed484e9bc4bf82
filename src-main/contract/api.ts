/**
 * The renderer's API (`window.guestnet`), built from the contract: one function per channel,
 * grouped by domain (`network:set-autostart` → `api.network.setAutostart(input)`), and one
 * subscribe function per event (`apply:progress` → `api.on.applyProgress(listener)`, returning
 * an unsubscribe function). The transport is injected: Electron IPC in the preload, HTTP in the
 * GUI test harness.
 */
import type { Channel, ChannelInput, ChannelOutput, EventName, EventPayload, IpcResult } from './ipc-contract'
import { channels, events } from './ipc-contract'

type Camel<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S
type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never
type VerbOf<C extends string> = C extends `${string}:${infer V}` ? V : never
type Domain = DomainOf<Channel>

/** No required field: the input may be left out (`api.network.list()`). */
type Args<I> = object extends I ? [input?: I] : [input: I]

export type ChannelFunction<C extends Channel> = (
  ...args: Args<ChannelInput<C>>
) => Promise<IpcResult<ChannelOutput<C>>>
export type Listener<E extends EventName> = (payload: EventPayload<E>) => void
export type Unsubscribe = () => void

export type GuestnetApi = {
  [D in Domain]: { [C in Channel as DomainOf<C> extends D ? Camel<VerbOf<C>> : never]: ChannelFunction<C> }
} & {
  on: { [E in EventName as Camel<`${DomainOf<E>}-${VerbOf<E>}`>]: (listener: Listener<E>) => Unsubscribe }
}

export type Invoke = (channel: Channel, input: unknown) => Promise<IpcResult<unknown>>
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => Unsubscribe

export function camel(text: string): string {
  return text.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase())
}

export interface ApiManifest {
  methods: { domain: string; method: string; channel: Channel }[]
  events: { method: string; event: EventName }[]
}

/** Where each channel and event lives on the API object. */
export function apiManifest(): ApiManifest {
  return {
    methods: (Object.keys(channels) as Channel[]).map((channel) => {
      const [domain, verb] = channel.split(':')
      return { domain, method: camel(verb), channel }
    }),
    events: (Object.keys(events) as EventName[]).map((event) => ({ method: camel(event.replace(':', '-')), event }))
  }
}

export function buildApi(invoke: Invoke, subscribe: Subscribe): GuestnetApi {
  const api: Record<string, Record<string, unknown>> = { on: {} }
  const manifest = apiManifest()
  for (const { domain, method, channel } of manifest.methods) {
    api[domain] ??= {}
    api[domain][method] = (input?: unknown) => invoke(channel, input ?? {})
  }
  for (const { method, event } of manifest.events) {
    api.on[method] = (listener: (payload: unknown) => void) => subscribe(event, listener)
  }
  return api as unknown as GuestnetApi
}
