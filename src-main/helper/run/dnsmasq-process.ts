/**
 * Finding and stopping the dnsmasq a network started, by its pid file, without ever signalling a
 * process that is not that dnsmasq: the pid must be a process whose executable is the dnsmasq the
 * helper runs, whose command line is exactly that network's `--conf-file=…/dnsmasq.conf`, in the
 * helper's own network namespace, and (when the journal recorded it) started at the recorded time.
 */
import { readFileSync, readlinkSync, realpathSync } from 'node:fs'
import { dirname } from 'node:path'

import { readTextNoFollow, removePathSync } from '../../store/safe-fs'
import { resolveProgram } from './programs'

export function parsePid(text: string | null): number | null {
  if (text === null) return null
  const t = text.trim()
  if (!/^[1-9][0-9]{0,9}$/.test(t)) return null
  const pid = Number(t)
  return pid <= 0x3fffffff ? pid : null
}

export function readPidfile(path: string): number | null {
  try {
    return parsePid(readTextNoFollow(path, 64))
  } catch {
    return null
  }
}

/** The argv of a live process, or null when it is gone (or a zombie, whose cmdline is empty). */
export function processArgv(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'latin1')
    if (raw === '') return null
    return raw.replace(/\0$/, '').split('\0')
  } catch {
    return null
  }
}

/** Pure: field 22 of /proc/PID/stat (start time in clock ticks since boot), or null. */
export function parseStartTime(stat: string): number | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const t = Number(fields[19])
  return Number.isSafeInteger(t) && t > 0 ? t : null
}

export function processStartTime(pid: number): number | null {
  try {
    return parseStartTime(readFileSync(`/proc/${pid}/stat`, 'latin1'))
  } catch {
    return null
  }
}

function netnsOf(pid: number | 'self'): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`)
  } catch {
    return null
  }
}

/** The program behind a pid (/proc/PID/exe); null when it cannot be read (not root, or gone). */
function exeOf(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/exe`)
  } catch {
    return null
  }
}

let dnsmasqReal: string | null | undefined
function realDnsmasq(): string | null {
  if (dnsmasqReal === undefined) {
    try {
      dnsmasqReal = realpathSync(resolveProgram('dnsmasq'))
    } catch {
      dnsmasqReal = null
    }
  }
  return dnsmasqReal
}

/** Pure: is this the command line guestnet starts dnsmasq with for the files in `dir`? */
export function isDnsmasqFor(argv: readonly string[], dir: string): boolean {
  const prog = argv[0]?.split('/').pop()
  return prog === 'dnsmasq' && argv.length === 2 && argv[1] === `--conf-file=${dir}/dnsmasq.conf`
}

export type PidfileProcess =
  | { state: 'none' }
  | { state: 'dead'; pid: number }
  | { state: 'ours'; pid: number; startTime: number | null }
  | { state: 'foreign'; pid: number; why: string }

/** What runs behind a pid file; with `startTime`, only that very process counts as ours. */
export function inspectPidfile(pidfile: string, startTime: number | null = null): PidfileProcess {
  const pid = readPidfile(pidfile)
  if (pid === null) return { state: 'none' }
  const argv = processArgv(pid)
  if (argv === null) return { state: 'dead', pid }
  const dir = dirname(pidfile)
  if (!isDnsmasqFor(argv, dir)) {
    return { state: 'foreign', pid, why: `pid ${pid} is '${argv.join(' ').slice(0, 120)}', not the dnsmasq of ${dir}` }
  }
  const exe = exeOf(pid)
  const want = realDnsmasq()
  // Readable as root (the only caller that acts); a normal user's status read goes by the command line.
  if (exe !== null && want !== null && exe !== want) {
    return { state: 'foreign', pid, why: `pid ${pid} runs ${exe}, not ${want}` }
  }
  const started = processStartTime(pid)
  if (startTime !== null && started !== null && started !== startTime) {
    return {
      state: 'foreign',
      pid,
      why: `pid ${pid} started at another time than the recorded dnsmasq (the pid was reused)`
    }
  }
  const mine = netnsOf('self')
  const theirs = netnsOf(pid)
  if (mine !== null && theirs !== null && mine !== theirs) {
    return { state: 'foreign', pid, why: `pid ${pid} runs in another network namespace (${theirs})` }
  }
  return { state: 'ours', pid, startTime: started }
}

/** Pure: the state letter of /proc/PID/stat (`S`, `R`, `Z`, …), or null. */
export function parseProcessState(stat: string): string | null {
  const close = stat.lastIndexOf(')')
  return close < 0 ? null : stat.charAt(close + 2) || null
}

/**
 * Gone means a zombie or no process at all. The cmdline empties earlier, when the exiting process
 * drops its memory but still holds its files: a new dnsmasq started then finds the old one's
 * sockets bound (a live MTU change restarts dnsmasq at once and met exactly that).
 */
function alive(pid: number): boolean {
  try {
    const state = parseProcessState(readFileSync(`/proc/${pid}/stat`, 'latin1'))
    return state !== null && state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  // dnsmasq exits within a millisecond or two of SIGTERM; check often, but not for long.
  for (let delay = 1; Date.now() < deadline; delay = Math.min(delay * 2, 20)) {
    if (!alive(pid)) return true
    await sleep(delay)
  }
  return !alive(pid)
}

/**
 * SIGTERM the pid file's dnsmasq and wait for it to exit (SIGKILL after 2 s), then remove the pid
 * file. No pid file or a dead pid: nothing to do. A pid that is not our dnsmasq: an error, no signal.
 */
export async function killPidfile(pidfile: string, startTime: number | null = null): Promise<void> {
  const p = inspectPidfile(pidfile, startTime)
  if (p.state === 'foreign') throw new Error(`not stopping it: ${p.why}`)
  if (p.state === 'ours') {
    try {
      process.kill(p.pid, 'SIGTERM')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e
    }
    if (!(await waitGone(p.pid, 2000))) {
      try {
        process.kill(p.pid, 'SIGKILL')
      } catch {
        // gone meanwhile
      }
      if (!(await waitGone(p.pid, 1000)))
        throw new Error(`dnsmasq (pid ${p.pid}) did not exit after SIGTERM and SIGKILL`)
    }
  }
  removePathSync(pidfile)
}

/**
 * SIGHUP the pid file's dnsmasq so it re-reads its dhcp-hostsfile and addn-hosts (same process,
 * leases kept). Only the very process the journal recorded (`startTime`) and only if it is this
 * network's dnsmasq; anything else, or none, is an error and nothing is signalled.
 */
export function hupPidfile(pidfile: string, startTime: number): number {
  const p = inspectPidfile(pidfile, startTime)
  if (p.state === 'foreign') throw new Error(`not signalling it: ${p.why}`)
  if (p.state !== 'ours')
    throw new Error(
      `the network's dnsmasq does not run (${pidfile}: ${p.state === 'dead' ? `pid ${p.pid} is gone` : 'no pid'})`
    )
  if (p.startTime === null)
    throw new Error(`cannot read pid ${p.pid}'s start time, so it cannot be told from a reused pid`)
  process.kill(p.pid, 'SIGHUP')
  return p.pid
}
