/**
 * A system bus and polkitd for pkexec to talk to. Machines without systemd (this one, CI) run neither:
 * then this starts `dbus-daemon --system --fork` and/or `polkitd --no-debug` and registers their stop
 * (by PID) for the end. A bus or polkitd that already runs is used as it is and left alone.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs'

import { alive, runSync, sleepSync } from './exec'
import { recordDaemon } from './run-dir'
import { onUndo } from './undo'

export const POLKITD = '/usr/lib/polkit-1/polkitd'
const BUS_DIR = '/run/dbus'
const BUS_PID_FILE = `${BUS_DIR}/pid`
const BUS_SOCKET = `${BUS_DIR}/system_bus_socket`

export interface PolkitState {
  /** PIDs of what this process started (null: it was running already). */
  startedBus: number | null
  startedPolkitd: number | null
}

/** Asks the bus itself (never activates a service): does `name` have an owner? null when no bus answers. */
function nameHasOwner(name: string): boolean | null {
  const r = runSync(
    [
      'dbus-send',
      '--system',
      '--print-reply',
      '--reply-timeout=2000',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      `string:${name}`
    ],
    { allowFail: true, timeoutMs: 5000 }
  )
  if (r.code !== 0) return null
  return /boolean true/.test(r.stdout)
}

function waitSync(what: string, timeoutMs: number, probe: () => boolean): void {
  const deadline = Date.now() + timeoutMs
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    sleepSync(50)
  }
}

/** SIGTERM, then SIGKILL after 2 s: only ever a PID this process started. */
export function stopPid(pid: number): void {
  if (!alive(pid)) return
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + 2000
  while (alive(pid) && Date.now() < deadline) sleepSync(20)
  if (alive(pid)) process.kill(pid, 'SIGKILL')
}

function readPidFile(): number | null {
  try {
    const pid = Number(readFileSync(BUS_PID_FILE, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

function startBus(): number {
  const stale = readPidFile()
  if (stale !== null && alive(stale)) {
    throw new Error(`a dbus-daemon (pid ${stale}) holds ${BUS_PID_FILE} but the system bus does not answer`)
  }
  // A bus that died without cleaning up (dbus-daemon leaves both behind on SIGTERM) blocks a new one.
  if (stale !== null) for (const file of [BUS_PID_FILE, BUS_SOCKET]) rmSync(file, { force: true })
  if (!existsSync(BUS_DIR)) {
    mkdirSync(BUS_DIR, { mode: 0o755 })
    onUndo(`remove ${BUS_DIR}`, () => rmdirSync(BUS_DIR))
  }
  const pid = Number(runSync(['dbus-daemon', '--system', '--fork', '--print-pid']).stdout.trim().split('\n')[0])
  if (!Number.isInteger(pid) || pid <= 0) throw new Error('dbus-daemon --system --fork printed no pid')
  recordDaemon(pid)
  onUndo(`stop the system bus we started (pid ${pid})`, () => {
    stopPid(pid)
    if (readPidFile() === pid) for (const file of [BUS_PID_FILE, BUS_SOCKET]) rmSync(file, { force: true })
  })
  waitSync('the system bus to answer', 5000, () => nameHasOwner('org.freedesktop.DBus') === true)
  return pid
}

function startPolkitd(): number {
  const child = spawn(POLKITD, ['--no-debug'], { stdio: 'ignore', cwd: '/', env: { PATH: '/usr/bin:/bin' } })
  child.unref()
  const pid = child.pid
  if (pid === undefined) throw new Error(`cannot start ${POLKITD}`)
  recordDaemon(pid)
  onUndo(`stop the polkitd we started (pid ${pid})`, () => stopPid(pid))
  waitSync('polkitd to own org.freedesktop.PolicyKit1', 10_000, () => {
    if (!alive(pid))
      throw new Error(`${POLKITD} exited at once (run it in the foreground without --no-debug to see why)`)
    return nameHasOwner('org.freedesktop.PolicyKit1') === true
  })
  return pid
}

/** Makes sure a system bus and polkitd answer; `pkaction` works afterwards. */
export function ensurePolkit(): PolkitState {
  const startedBus = nameHasOwner('org.freedesktop.DBus') === null ? startBus() : null
  const startedPolkitd = nameHasOwner('org.freedesktop.PolicyKit1') ? null : startPolkitd()
  waitSync('pkaction to answer', 5000, () => runSync(['pkaction'], { allowFail: true }).code === 0)
  return { startedBus, startedPolkitd }
}
