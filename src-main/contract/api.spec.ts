import { describe, expect, it, vi } from 'vitest'

import { apiManifest, buildApi, camel } from './api'
import { channels, events, isChannel, isEventName } from './ipc-contract'

describe('api built from the contract', () => {
  it('turns kebab verbs into camel case', () => {
    expect(camel('set-autostart')).toBe('setAutostart')
    expect(camel('host-networks-changed')).toBe('hostNetworksChanged')
  })

  it('has one method per channel and one subscriber per event', () => {
    const m = apiManifest()
    expect(m.methods).toHaveLength(Object.keys(channels).length)
    expect(m.methods).toContainEqual({ domain: 'network', method: 'setAutostart', channel: 'network:set-autostart' })
    expect(m.events).toContainEqual({ method: 'hostNetworksChanged', event: 'host:networks-changed' })
    expect(m.events).toHaveLength(Object.keys(events).length)
  })

  it('forwards calls to the transport with the channel name', async () => {
    const invoke = vi.fn(async () => ({ ok: true as const, value: [] }))
    const unsubscribe = vi.fn()
    const subscribe = vi.fn(() => unsubscribe)
    const api = buildApi(invoke, subscribe)
    await api.network.list()
    await api.network.setAutostart({ name: 'default', autostart: true })
    expect(invoke.mock.calls).toEqual([
      ['network:list', {}],
      ['network:set-autostart', { name: 'default', autostart: true }]
    ])
    const listener = vi.fn()
    const off = api.on.applyProgress(listener)
    expect(subscribe).toHaveBeenCalledWith('apply:progress', listener)
    off()
    expect(unsubscribe).toHaveBeenCalledOnce()
  })

  it('knows its channel and event names', () => {
    expect(isChannel('network:list')).toBe(true)
    expect(isChannel('constructor')).toBe(false)
    expect(isEventName('leases:changed')).toBe(true)
    expect(isEventName('toString')).toBe(false)
  })

  it('names channels domain:verb in kebab case', () => {
    for (const name of [...Object.keys(channels), ...Object.keys(events)])
      expect(name).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/)
  })
})
