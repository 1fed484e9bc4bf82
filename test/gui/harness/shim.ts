/**
 * The browser side of the harness: `window.guestnet` built from the contract's manifest, with every
 * call sent over HTTP to the harness (and from there to the real handlers) and events arriving by
 * Server-Sent Events. Passed to `page.addInitScript`, so it must not close over anything.
 */
import type { ApiManifest } from '../../../src-main/contract/api'

export function installGuestnetShim(manifest: ApiManifest): void {
  type Listener = (payload: unknown) => void
  const listeners = new Map<string, Set<Listener>>()
  let source: EventSource | null = null
  const connect = (): void => {
    if (source) return
    source = new EventSource('/__guestnet/events')
    for (const { event } of manifest.events) {
      source.addEventListener(event, (m) => {
        const payload: unknown = JSON.parse((m as MessageEvent<string>).data)
        listeners.get(event)?.forEach((l) => l(payload))
      })
    }
  }
  const call = async (channel: string, input: unknown): Promise<unknown> => {
    const r = await fetch(`/__guestnet/invoke/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {})
    })
    return r.json()
  }
  const api: Record<string, Record<string, unknown>> = { on: {} }
  for (const m of manifest.methods) {
    api[m.domain] ??= {}
    api[m.domain][m.method] = (input?: unknown) => call(m.channel, input)
  }
  for (const e of manifest.events) {
    api.on[e.method] = (listener: Listener) => {
      connect()
      const set = listeners.get(e.event) ?? new Set<Listener>()
      listeners.set(e.event, set)
      set.add(listener)
      return () => set.delete(listener)
    }
  }
  ;(window as unknown as { guestnet: unknown }).guestnet = api
  connect()
}
