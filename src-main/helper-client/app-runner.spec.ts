import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, describe, expect, it } from 'vitest'

import type { StepEvent } from '../contract/helper-protocol'
import { createHelperRunner } from './app-runner'
import type { LaunchConfig } from './launch'
import { helperLaunch } from './launch'
import { outcomeWithoutResult } from './spawn-helper'

const base: LaunchConfig = {
  elevation: 'pkexec',
  helperScript: '/opt/guestnet/out/main/helper.js',
  installedHelper: '/usr/lib/guestnet/guestnet-helper',
  execPath: '/opt/guestnet/guestnet',
  isElectron: true
}

describe('helperLaunch', () => {
  it('runs the installed helper through pkexec, as an argv array, with a clean environment', () => {
    expect(helperLaunch(base, true)).toEqual({
      argv: ['/usr/bin/pkexec', '--disable-internal-agent', '/usr/lib/guestnet/guestnet-helper'],
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' },
      via: 'pkexec'
    })
  })

  it('reads as root through the read-only helper when it is installed (its own polkit action)', () => {
    const cfg = { ...base, installedInspector: '/usr/lib/guestnet/guestnet-inspect' }
    expect(helperLaunch(cfg, true, true).argv).toEqual([
      '/usr/bin/pkexec',
      '--disable-internal-agent',
      '/usr/lib/guestnet/guestnet-inspect'
    ])
    // A change never goes through it.
    expect(helperLaunch(cfg, true, false).argv.at(-1)).toBe('/usr/lib/guestnet/guestnet-helper')
  })

  it('reads without privileges: no pkexec', () => {
    expect(helperLaunch(base, false)).toMatchObject({ argv: ['/usr/lib/guestnet/guestnet-helper'], via: 'direct' })
  })

  it('a development build runs Electron as node, through env(1) under pkexec', () => {
    const dev = { ...base, installedHelper: null }
    expect(helperLaunch(dev, true).argv).toEqual([
      '/usr/bin/pkexec',
      '--disable-internal-agent',
      '/usr/bin/env',
      'ELECTRON_RUN_AS_NODE=1',
      '/opt/guestnet/guestnet',
      '/opt/guestnet/out/main/helper.js'
    ])
    expect(helperLaunch(dev, false)).toMatchObject({
      argv: ['/opt/guestnet/guestnet', '/opt/guestnet/out/main/helper.js'],
      env: { ELECTRON_RUN_AS_NODE: '1' }
    })
  })

  it('runs directly when root or sandboxed, passing the extra environment', () => {
    const direct = {
      ...base,
      elevation: 'direct' as const,
      installedHelper: null,
      isElectron: false,
      execPath: '/usr/bin/node',
      extraEnv: { GUESTNET_HELPER_FAULT: 'fail:nft' }
    }
    expect(helperLaunch(direct, true)).toEqual({
      argv: ['/usr/bin/node', '/opt/guestnet/out/main/helper.js'],
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', GUESTNET_HELPER_FAULT: 'fail:nft' },
      via: 'direct'
    })
  })
})

it('starts a sandboxed helper inside its namespace with ip netns exec', () => {
  const sbx = { ...base, elevation: 'direct' as const, installedHelper: null, netns: 'gn-sbx-host' }
  expect(helperLaunch(sbx, true)).toMatchObject({
    argv: ['ip', 'netns', 'exec', 'gn-sbx-host', '/opt/guestnet/guestnet', '/opt/guestnet/out/main/helper.js'],
    env: { ELECTRON_RUN_AS_NODE: '1' }
  })
})

describe('outcomeWithoutResult', () => {
  it('maps pkexec 126 to a calm CANCELLED and 127 to NOT_AUTHORISED', () => {
    expect(outcomeWithoutResult('pkexec', 126, '')).toMatchObject({ ok: false, error: { code: 'CANCELLED' } })
    expect(
      outcomeWithoutResult('pkexec', 127, 'Error executing command as another user: Not authorized')
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_AUTHORISED' }
    })
    expect(outcomeWithoutResult('direct', 126, 'boom')).toMatchObject({
      ok: false,
      error: { code: 'HELPER_FAILED', message: expect.stringContaining('boom') }
    })
  })
})

describe('createHelperRunner (a stand-in helper process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gn-helper-client-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const script = join(dir, 'fake-helper.js')
  writeFileSync(
    script,
    `let input = ''
process.stdin.on('data', (d) => (input += d))
process.stdin.on('end', () => {
  const req = JSON.parse(input)
  if (req.verb === 'crash') { process.stderr.write('something broke\\n'); process.exit(70) }
  const out = (e) => process.stdout.write(JSON.stringify(e) + '\\n')
  out({ type: 'step-started', network: 'n', step: 's1', title: 'First' })
  process.stdout.write('not json\\n')
  out({ type: 'step-done', network: 'n', step: 's1' })
  if (req.verb === 'status' && req.args.name === 'wrong') { out({ type: 'result', ok: true, value: { nope: 1 } }); return }
  const message = JSON.stringify({ got: req, env: process.env.GUESTNET_HELPER_FAULT ?? null })
  out({ type: 'result', ok: true, value: { network: 'n', state: 'inactive', warnings: [], message } })
})
`
  )
  const cfg: LaunchConfig = {
    elevation: 'direct',
    helperScript: script,
    installedHelper: null,
    execPath: process.execPath,
    isElectron: false,
    extraEnv: { GUESTNET_HELPER_FAULT: 'fail:x' }
  }

  it('sends the request on stdin and forwards events until the result', async () => {
    const events: StepEvent[] = []
    const run = createHelperRunner(cfg)
    const r = await run(
      { verb: 'stop', args: { name: 'n', root: '/tmp/x' } },
      { privileged: true, onEvent: (e) => events.push(e) }
    )
    expect(r.ok && JSON.parse(r.value.message)).toEqual({
      got: { verb: 'stop', args: { name: 'n', root: '/tmp/x' } },
      env: 'fail:x'
    })
    expect(events.map((e) => e.type)).toEqual(['step-started', 'step-done'])
  })

  it('a helper that dies without a result is a HELPER_FAILED with its last words', async () => {
    const run = createHelperRunner(cfg)
    const r = await run({ verb: 'crash' as 'status', args: {} }, { privileged: true })
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'HELPER_FAILED', message: expect.stringContaining('something broke') }
    })
  })

  it('refuses an answer that does not match the verb schema, naming the field', async () => {
    const r = await createHelperRunner(cfg)({ verb: 'status', args: { name: 'wrong' } }, { privileged: false })
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('value.nope') } })
  })

  it('a helper that cannot be started is reported', async () => {
    const run = createHelperRunner({ ...cfg, execPath: join(dir, 'no-such-node') })
    const r = await run({ verb: 'status', args: {} }, { privileged: false })
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'HELPER_FAILED', message: expect.stringContaining('cannot run') }
    })
  })
})
