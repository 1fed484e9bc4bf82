/**
 * Finding and stopping the dnsmasq a network started, by its pid file, without ever signalling a
 * process that is not that dnsmasq: the pid must belong to a `dnsmasq` whose command line names the
 * network's runtime directory, in the helper's own network namespace.
 */
import { readFileSync, readlinkSync } from 'node:fs'
import { dirname } from 'node:path'

import { readTextNoFollow, removePathSync } from '../../store/safe-fs'

export function parsePid(text: string | null): number | null {
  if (text === null) return null
  const t = text.trim()
  if (!/^[1-9][0-9]{0,9}$/.test(t)) return null
  const pid = Number(t)
  return pid <= 0x3fffffff ? pid : null
}

export function readPidfile(path: string): number | null {
  return parsePid(readTextNoFollow(path))
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

function netnsOf(pid: number | 'self'): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`)
  } catch {
    return null
  }
}

/** Pure: does this argv look like the dnsmasq started for the runtime directory `dir`? */
export function isDnsmasqFor(argv: readonly string[], dir: string): boolean {
  const prog = argv[0]?.split('/').pop()
  if (prog !== 'dnsmasq') return false
  return argv.slice(1).some((a) => a.includes(`${dir}/`))
}

export type PidfileProcess =
  | { state: 'none' }
  | { state: 'dead'; pid: number }
  | { state: 'ours'; pid: number }
  | { state: 'foreign'; pid: number; why: string }

export function inspectPidfile(pidfile: string): PidfileProcess {
  const pid = readPidfile(pidfile)
  if (pid === null) return { state: 'none' }
  const argv = processArgv(pid)
  if (argv === null) return { state: 'dead', pid }
  const dir = dirname(pidfile)
  if (!isDnsmasqFor(argv, dir))
    return { state: 'foreign', pid, why: `pid ${pid} is '${argv.join(' ').slice(0, 120)}', not the dnsmasq of ${dir}` }
  const mine = netnsOf('self')
  const theirs = netnsOf(pid)
  if (mine !== null && theirs !== null && mine !== theirs) {
    return { state: 'foreign', pid, why: `pid ${pid} runs in another network namespace (${theirs})` }
  }
  return { state: 'ours', pid }
}

function alive(pid: number): boolean {
  // A zombie has an empty cmdline: gone for our purposes.
  return processArgv(pid) !== null
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
export async function killPidfile(pidfile: string): Promise<void> {
  const p = inspectPidfile(pidfile)
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
