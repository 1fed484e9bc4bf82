import { describe, expect, it } from 'vitest'

import { HelperError } from '../../contract/helper-protocol'
import { updateTargets } from './update'

describe("net-update's --live and --config, as virsh has them", () => {
  it('with neither: a running network gets both, a stopped one its file only', () => {
    expect(updateTargets({}, true, 'lab')).toEqual({ live: true, config: true })
    expect(updateTargets({}, false, 'lab')).toEqual({ live: false, config: true })
  })

  it('with one or both: exactly those', () => {
    expect(updateTargets({ live: true }, true, 'lab')).toEqual({ live: true, config: false })
    expect(updateTargets({ config: true }, true, 'lab')).toEqual({ live: false, config: true })
    expect(updateTargets({ live: true, config: true }, true, 'lab')).toEqual({ live: true, config: true })
  })

  it('refuses --live on a stopped network, naming the fix', () => {
    let error: unknown
    try {
      updateTargets({ live: true, config: true }, false, 'lab')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(HelperError)
    expect((error as HelperError).code).toBe('NOT_ACTIVE')
    expect((error as HelperError).field).toBe('args.live')
    expect((error as HelperError).fix).toMatch(/leave out --live/)
  })
})
