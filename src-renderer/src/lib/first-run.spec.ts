import { describe, expect, it } from 'vitest'

import type { DefaultState } from './first-run'
import { emptyStateOf, opensFirstRunWizard } from './first-run'

const fresh: DefaultState = { exists: false, created: false, defaultDeleted: false, deletedUuid: null }
const deleted: DefaultState = {
  exists: false,
  created: true,
  defaultDeleted: true,
  deletedUuid: '0f2c3b8e-1d1a-4c52-9a43-6c6f1b0e7d21'
}

describe('opensFirstRunWizard', () => {
  it('opens on a true first run: no network, the default never created nor deleted', () => {
    expect(opensFirstRunWizard([], fresh)).toBe(true)
  })
  it('does not open after the default was deleted on purpose', () => {
    expect(opensFirstRunWizard([], deleted)).toBe(false)
    // A deleted-default record whose created marker was lost still counts.
    expect(opensFirstRunWizard([], { ...fresh, defaultDeleted: true })).toBe(false)
  })
  it('does not open once the default was created, nor while any network exists', () => {
    expect(opensFirstRunWizard([], { ...fresh, created: true })).toBe(false)
    expect(opensFirstRunWizard([{ name: 'lab' }], fresh)).toBe(false)
  })
  it('does not open when the list or the state could not be read', () => {
    expect(opensFirstRunWizard(null, fresh)).toBe(false)
    expect(opensFirstRunWizard([], null)).toBe(false)
  })
})

describe('emptyStateOf', () => {
  it('names a deliberate delete, and nothing else', () => {
    expect(emptyStateOf(deleted)).toBe('default-deleted')
    expect(emptyStateOf(fresh)).toBe('none')
    expect(emptyStateOf(null)).toBe('none')
  })
})
