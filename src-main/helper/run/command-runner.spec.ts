import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { createCommandRunner, isPlainCommand } from './command-runner'

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

/** An nft started early, fed at most once; records what it was fed. */
function fakeNft(format: (file: string, text: string) => string = (f, t) => `${f}: ${t.trim()}`) {
  const loads: string[] = []
  let used = false
  return {
    loads,
    canLoad: () => !used,
    async load(text: string, f: string): Promise<string> {
      used = true
      loads.push(format(f, text))
      return ''
    }
  }
}

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gn-runner-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const base = (): Parameters<typeof createCommandRunner>[0] => ({
  network: 'n',
  store: 'system',
  owner: 'guestnet:system:n',
  bridge: null,
  artifacts: {},
  allowedDirs: [dir],
  runtimeDir: dir,
  ledgerFile: join(dir, 'ledger')
})

describe('createCommandRunner with an ip session', () => {
  it('sends the lines of an ip -batch file under the plan directories through the session', async () => {
    const file = join(dir, 'ip.batch')
    writeFileSync(file, 'link add name gnbr9 type bridge\n')
    const session = fakeSession()
    const runner = createCommandRunner(base(), { ipSession: session })
    await runner.run(['ip', '-batch', file])
    expect(session.calls).toEqual([`batch ${file}: link add name gnbr9 type bridge`])
  })

  it('never sends a file outside the plan directories, and ends the session before any other ip command', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'gn-runner-out-'))
    try {
      const session = fakeSession()
      const runner = createCommandRunner(base(), { ipSession: session })
      // `ip -V` only prints the version: the stand-in for `ip link del` (which the session could not see).
      await runner.run(['ip', '-V'])
      expect(session.calls).toEqual(['close'])
      const later = fakeSession()
      const runner2 = createCommandRunner(base(), { ipSession: later })
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
    const nft = fakeNft()
    const runner = createCommandRunner(base(), { nft })
    await runner.run(['nft', '-f', file])
    expect(nft.loads).toEqual([`${file}: table inet guestnet_t {}`])
  })
})

describe('createCommandRunner: a stop’s undo through warm processes', () => {
  const env = base

  it('sends `ip link del X` to the session as one batch line, then ends the session (its interface cache is stale now)', async () => {
    const session = fakeSession()
    await createCommandRunner(env(), { ipSession: session }).run(['ip', 'link', 'del', 'gnbr9'])
    expect(session.calls).toEqual(['batch ip link del gnbr9: link del gnbr9', 'close'])
  })

  it('feeds `nft delete table F T` to the nft started early as one line of input', async () => {
    const nft = fakeNft((f, text) => `${f}|${text}`)
    await createCommandRunner(env(), { nft }).run(['nft', 'delete', 'table', 'inet', 'guestnet_t'])
    expect(nft.loads).toEqual(['nft delete table inet guestnet_t|delete table inet guestnet_t\n'])
  })

  it('never turns an argv with options, quotes, separators or comments into a line', () => {
    expect(isPlainCommand(['ip', 'link', 'del', 'gnbr9'])).toBe(true)
    expect(isPlainCommand(['nft', 'delete', 'table', 'inet', 'guestnet_t'])).toBe(true)
    for (const bad of [
      ['ip', '-force', 'link', 'del', 'x'],
      ['ip', 'link', 'del', 'x;', 'link', 'del', 'y'],
      ['nft', 'delete', 'table', 'inet', 'a', '#'],
      ['nft', 'delete', 'table', 'inet', 'a\nflush ruleset'],
      ['nft', 'delete', 'table', 'inet', "'a'"],
      ['ip', 'link', 'del', 'a b'],
      ['ip', 'link']
    ]) {
      expect(isPlainCommand(bad), bad.join(' ')).toBe(false)
    }
  })

  it('runs nft itself when the early one is used up or the command is not a delete', async () => {
    let calls = 0
    const nft = {
      canLoad: () => false,
      async load(): Promise<string> {
        calls++
        return ''
      }
    }
    // `nft --version`-like argv is not plain: nft itself would run; here `nft -v` is harmless and real.
    await createCommandRunner(env(), { nft })
      .run(['nft', '-v'])
      .catch(() => undefined)
    expect(calls).toBe(0)
  })
})
