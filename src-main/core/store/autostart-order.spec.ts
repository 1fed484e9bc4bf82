import { describe, expect, it } from 'vitest'

import { autostartOrder, compareNames } from './autostart-order'

describe('autostartOrder', () => {
  it('sorts by code units: digits before capitals before lower case, no locale folding', () => {
    expect(autostartOrder(['web', 'default', '00default', 'Web', 'b', 'a10', 'a9', 'é'])).toEqual([
      '00default',
      'Web',
      'a10',
      'a9',
      'b',
      'default',
      'web',
      'é'
    ])
  })
  it('drops duplicates', () => {
    expect(autostartOrder(['b', 'a', 'b'])).toEqual(['a', 'b'])
  })
  it('differs from a locale compare where the locale folds case', () => {
    expect(compareNames('Web', 'apple')).toBeLessThan(0)
    expect('Web'.localeCompare('apple', 'en')).toBeGreaterThan(0)
    expect(compareNames('x', 'x')).toBe(0)
  })
})
