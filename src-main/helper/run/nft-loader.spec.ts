import { describe, expect, it } from 'vitest'

import { MAX_PRESTARTED_RULESET, relabelStdin } from './nft-loader'

// The loader itself runs nft, so it is exercised by the namespace tests (test/netns), never here.
describe('nft loader helpers', () => {
  it("tells nft's /dev/stdin positions as the ruleset file", () => {
    const stderr = '/dev/stdin:12:3-9: Error: Could not process rule: Device or resource busy\n/dev/stdin:1:1: x\n'
    expect(relabelStdin(stderr, '/run/guestnet/n/ruleset.nft')).toBe(
      '/run/guestnet/n/ruleset.nft:12:3-9: Error: Could not process rule: Device or resource busy\n/run/guestnet/n/ruleset.nft:1:1: x\n'
    )
  })

  it('keeps a prestarted ruleset under a pipe buffer, so it arrives in one write', () => {
    expect(MAX_PRESTARTED_RULESET).toBeLessThan(64 * 1024)
  })
})
