import { describe, expect, it } from 'vitest'

import { isTrustedUrl } from './trusted-sender'

const t = { rendererIndex: '/opt/guestnet/resources/app.asar/out/renderer/index.html' }

describe('isTrustedUrl', () => {
  it('trusts our own renderer file, with or without a hash', () => {
    expect(isTrustedUrl('file:///opt/guestnet/resources/app.asar/out/renderer/index.html', t)).toBe(true)
    expect(isTrustedUrl('file:///opt/guestnet/resources/app.asar/out/renderer/index.html#/x', t)).toBe(true)
  })

  it('refuses other files, other origins, and nonsense', () => {
    expect(isTrustedUrl('file:///tmp/evil.html', t)).toBe(false)
    expect(isTrustedUrl('https://example.com/', t)).toBe(false)
    expect(isTrustedUrl('http://127.0.0.1:5173/', t)).toBe(false)
    expect(isTrustedUrl(undefined, t)).toBe(false)
    expect(isTrustedUrl('not a url', t)).toBe(false)
  })

  it('trusts the development server only when one is configured, by origin', () => {
    const dev = { ...t, devUrl: 'http://localhost:5173' }
    expect(isTrustedUrl('http://localhost:5173/index.html', dev)).toBe(true)
    expect(isTrustedUrl('http://localhost:5174/', dev)).toBe(false)
  })
})
