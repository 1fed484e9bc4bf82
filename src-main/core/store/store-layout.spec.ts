import { describe, expect, it } from 'vitest'

import { autostartFile, leasesFile, networkFile, storeLayout, StoreRootError } from './store-layout'

describe('storeLayout', () => {
  it('uses the system paths without a root', () => {
    const l = storeLayout()
    expect(l).toMatchObject({
      configDir: '/etc/guestnet',
      networksDir: '/etc/guestnet/networks',
      autostartDir: '/etc/guestnet/autostart',
      hostConfigFile: '/etc/guestnet/host.json',
      stateDir: '/var/lib/guestnet',
      runtimeDir: '/run/guestnet',
      leasesDir: '/var/lib/guestnet/dnsmasq',
      defaultCreatedFile: '/var/lib/guestnet/default-created',
      defaultDeletedFile: '/var/lib/guestnet/default-deleted.json'
    })
    expect(networkFile(l, 'web')).toBe('/etc/guestnet/networks/web.xml')
    expect(autostartFile(l, 'web')).toBe('/etc/guestnet/autostart/web')
    expect(leasesFile(l, 'web')).toBe('/var/lib/guestnet/dnsmasq/web.leases')
  })

  it('moves all three trees under --root, normalising the root', () => {
    const l = storeLayout('/tmp/r//x/../y/')
    expect(l.configDir).toBe('/tmp/r/y/etc/guestnet')
    expect(l.stateDir).toBe('/tmp/r/y/var/lib/guestnet')
    expect(l.runtimeDir).toBe('/tmp/r/y/run/guestnet')
    expect(storeLayout('/').configDir).toBe('/etc/guestnet')
  })

  it('refuses a relative or empty root with a message naming the fix', () => {
    expect(() => storeLayout('tmp/root')).toThrow(StoreRootError)
    expect(() => storeLayout('tmp/root')).toThrow(/relative path: give an absolute directory/)
    expect(() => storeLayout('./x')).toThrow(/relative/)
    expect(() => storeLayout('')).toThrow(/empty/)
  })
})
