import { describe, expect, it } from 'vitest'

import { isBridgeTemplate, nextFreeBridgeName } from './bridge-name'

describe('nextFreeBridgeName', () => {
  it('picks the lowest free virbrN from the start number', () => {
    expect(nextFreeBridgeName([])).toBe('virbr0')
    expect(nextFreeBridgeName(['virbr0', 'virbr1', 'virbr3'])).toBe('virbr2')
    expect(nextFreeBridgeName(['virbr1'], { start: 1 })).toBe('virbr2')
    expect(nextFreeBridgeName(['eth0'], { start: 1 })).toBe('virbr1')
  })
  it('fills other templates', () => {
    expect(nextFreeBridgeName(['lab0'], { template: 'lab%d' })).toBe('lab1')
    expect(nextFreeBridgeName([], { template: 'br%d-x' })).toBe('br0-x')
    expect(isBridgeTemplate('virbr%d')).toBe(true)
    expect(isBridgeTemplate('virbr0')).toBe(false)
  })
  it('refuses malformed templates and names past 15 characters', () => {
    expect(() => nextFreeBridgeName([], { template: 'virbr' })).toThrow(/exactly once/)
    expect(() => nextFreeBridgeName([], { template: 'a%db%d' })).toThrow(/exactly once/)
    expect(() => nextFreeBridgeName([], { template: 'averylongbridge%d' })).toThrow(/15 characters/)
  })
})
