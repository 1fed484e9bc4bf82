import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { inspectPidfile, isDnsmasqFor, killPidfile, parsePid, parseProcessState } from './dnsmasq-process'

describe('pid files', () => {
  it('parses only a plain positive pid', () => {
    expect(parsePid('1234\n')).toBe(1234)
    for (const bad of [null, '', '0', '-1', '12a', '1e3', '99999999999', ' \n']) expect(parsePid(bad)).toBeNull()
  })

  it('recognises the dnsmasq of a network by its command line', () => {
    const dir = '/run/guestnet/default'
    expect(isDnsmasqFor(['/usr/sbin/dnsmasq', `--conf-file=${dir}/dnsmasq.conf`], dir)).toBe(true)
    expect(isDnsmasqFor(['dnsmasq', `--conf-file=${dir}/dnsmasq.conf`], dir)).toBe(true)
    expect(isDnsmasqFor(['/usr/sbin/dnsmasq', '--conf-file=/run/guestnet/default2/dnsmasq.conf'], dir)).toBe(false)
    expect(isDnsmasqFor(['/usr/bin/sleep', `${dir}/x`], dir)).toBe(false)
    expect(isDnsmasqFor(['/usr/sbin/dnsmasq', '--conf-file=/etc/dnsmasq.conf'], dir)).toBe(false)
  })

  it('never signals a process that is not our dnsmasq (a reused pid)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gn-pid-'))
    const child = spawn('sleep', ['30'], { stdio: 'ignore' })
    try {
      const pidfile = join(dir, 'dnsmasq.pid')
      writeFileSync(pidfile, `${child.pid}\n`)
      expect(inspectPidfile(pidfile).state).toBe('foreign')
      await expect(killPidfile(pidfile)).rejects.toThrow(/not stopping it/)
      expect(child.exitCode).toBeNull()
      expect(child.signalCode).toBeNull()
    } finally {
      child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('treats a missing pid file or a dead pid as nothing to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gn-pid-'))
    try {
      const pidfile = join(dir, 'dnsmasq.pid')
      expect(inspectPidfile(pidfile).state).toBe('none')
      await killPidfile(pidfile)
      writeFileSync(pidfile, '999999999\n')
      expect(inspectPidfile(pidfile).state).toBe('dead')
      await killPidfile(pidfile)
      expect(existsSync(pidfile)).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('process state', () => {
  it('reads the state letter after the command name, whatever the name holds', () => {
    expect(parseProcessState('4242 (dnsmasq) S 1 4242 4242 0 -1')).toBe('S')
    expect(parseProcessState('4242 (a) Z b) R 1')).toBe('R')
    expect(parseProcessState('4242 (dnsmasq) Z 1')).toBe('Z')
    expect(parseProcessState('garbage')).toBeNull()
  })
})
