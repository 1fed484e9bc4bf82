import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { createCommandRunner } from './command-runner'

/** Records what the runner asks of the session; never runs ip. */
function fakeSession() {
  const calls: string[] = []
  const s = {
    open: true,
    get alive(): boolean {
      return s.open
    },
    async runBatch(text: string, file: string): Promise<void> {
      calls.push(`batch ${file}: ${text.trim()}`)
    },
    close(): void {
      calls.push('close')
      s.open = false
    },
    calls
  }
  return s
}

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gn-runner-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('createCommandRunner with an ip session', () => {
  it('sends the lines of an ip -batch file under the plan directories through the session', async () => {
    const file = join(dir, 'ip.batch')
    writeFileSync(file, 'link add name gnbr9 type bridge\n')
    const session = fakeSession()
    const runner = createCommandRunner({ network: 'n', artifacts: {}, allowedDirs: [dir], ledgerFile: join(dir, 'ledger') }, { ipSession: session })
    await runner.run(['ip', '-batch', file])
    expect(session.calls).toEqual([`batch ${file}: link add name gnbr9 type bridge`])
  })

  it('never sends a file outside the plan directories, and ends the session before any other ip command', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'gn-runner-out-'))
    try {
      const session = fakeSession()
      const runner = createCommandRunner({ network: 'n', artifacts: {}, allowedDirs: [dir], ledgerFile: join(dir, 'ledger') }, { ipSession: session })
      // `ip -V` only prints the version: the stand-in for `ip link del` (which the session could not see).
      await runner.run(['ip', '-V'])
      expect(session.calls).toEqual(['close'])
      const later = fakeSession()
      const runner2 = createCommandRunner({ network: 'n', artifacts: {}, allowedDirs: [dir], ledgerFile: join(dir, 'ledger') }, { ipSession: later })
      const file = join(outside, 'ip.batch')
      writeFileSync(file, '\n')
      // outside the allowed directories: ip itself runs it (an empty batch), the session is closed first
      await runner2.run(['ip', '-batch', file])
      expect(later.calls).toEqual(['close'])
    } finally {
      rmSync(outside, { recursive: true, force: true })
    }
  })
})

describe('createCommandRunner with an nft started early', () => {
  it('feeds the first nft -f FILE to it, and runs nft itself once it is used or for files elsewhere', async () => {
    const file = join(dir, 'ruleset.nft')
    writeFileSync(file, 'table inet guestnet_t {}\n')
    const loads: string[] = []
    let used = false
    const nft = {
      canLoad: () => !used,
      async load(text: string, f: string): Promise<void> {
        used = true
        loads.push(`${f}: ${text.trim()}`)
      }
    }
    const runner = createCommandRunner({ network: 'n', artifacts: {}, allowedDirs: [dir], ledgerFile: join(dir, 'ledger') }, { nft })
    await runner.run(['nft', '-f', file])
    expect(loads).toEqual([`${file}: table inet guestnet_t {}`])
  })
})

