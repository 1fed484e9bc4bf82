/**
 * A real Linux guest: qemu-system-x86_64 (TCG) started inside a test namespace, its NIC a tap device
 * there, its serial console on the child's stdin/stdout. The guest's `/init` (guest-init.ts) reports
 * `GUESTNET-<TAG> …` lines and runs the shell commands sent to it. Every wait is bounded; a wait fails
 * at once, with the console's tail, when qemu exits.
 */
import type { ChildProcess } from 'node:child_process'

export interface QemuGuestOptions {
  /** The namespace qemu runs in (the tap is there). */
  ns: string
  tap: string
  mac: string
  hostname: string
  qemu: string
  vmlinuz: string
  initrd: string
  memoryMb?: number
}

export interface GuestLine {
  tag: string
  /** The text after the tag. */
  rest: string
  /** `key=value` words of `rest`. */
  fields: Record<string, string>
  /** ms since qemu was spawned (host clock). */
  atMs: number
}

export interface CommandResult {
  code: number
  out: string[]
}

export interface QemuGuest {
  readonly child: ChildProcess
  readonly lines: GuestLine[]
  /** The last `n` console lines and qemu's stderr, for failure messages. */
  tail(n?: number): string
  /** The first line with `tag` (and for which `match` holds). */
  waitFor(tag: string, timeoutMs: number, match?: (line: GuestLine) => boolean): Promise<GuestLine>
  /** Runs a sh script in the guest. */
  run(script: string, timeoutMs?: number): Promise<CommandResult>
  /** Asks the guest to power off; resolves with qemu's exit code (null: killed). */
  poweroff(timeoutMs?: number): Promise<number | null>
  exited(): boolean
}

const PREFIX = 'GUESTNET-'

/** Fails with the command's output unless it exited 0; returns the output. */
export function ok(result: CommandResult, what: string): string[] {
  if (result.code !== 0) throw new Error(`in the guest, '${what}' exited ${result.code}:\n${result.out.join('\n')}`)
  return result.out
}

export function qemuArgv(o: QemuGuestOptions): string[] {
  const append = ['console=ttyS0', 'quiet', 'loglevel=1', 'panic=-1', `gn.hostname=${o.hostname}`].join(' ')
  return [
    'ip',
    'netns',
    'exec',
    o.ns,
    o.qemu,
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-serial',
    'stdio',
    '-no-reboot',
    '-m',
    String(o.memoryMb ?? 256),
    '-smp',
    '1',
    '-kernel',
    o.vmlinuz,
    '-initrd',
    o.initrd,
    '-append',
    append,
    '-netdev',
    `tap,id=n0,ifname=${o.tap},script=no,downscript=no`,
    // romfile= : no iPXE option ROM (not needed to boot a kernel directly, and one package fewer).
    '-device',
    `virtio-net-pci,netdev=n0,mac=${o.mac},romfile=`
  ]
}

export function parseGuestLine(text: string, atMs: number): GuestLine | null {
  const at = text.indexOf(PREFIX)
  if (at < 0) return null
  const body = text.slice(at + PREFIX.length)
  const space = body.indexOf(' ')
  const tag = space < 0 ? body : body.slice(0, space)
  const rest = space < 0 ? '' : body.slice(space + 1)
  const fields: Record<string, string> = {}
  for (const word of rest.split(/\s+/)) {
    const eq = word.indexOf('=')
    if (eq > 0) fields[word.slice(0, eq)] = word.slice(eq + 1)
  }
  return { tag, rest, fields, atMs }
}

/** Starts qemu through `spawn` (the harness's guarded, tracked spawn) and follows its console. */
export function startQemuGuest(spawn: (argv: readonly string[]) => ChildProcess, opts: QemuGuestOptions): QemuGuest {
  const started = performance.now()
  const child = spawn(qemuArgv(opts))
  const lines: GuestLine[] = []
  const consoleLines: string[] = []
  let stderr = ''
  let buffer = ''
  let nextId = 0
  const watchers = new Set<() => void>()
  const notify = (): void => {
    for (const w of [...watchers]) w()
  }
  child.stdout?.setEncoding('utf8')
  child.stdout?.on('data', (chunk: string) => {
    buffer += chunk
    let nl: number
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, nl).replace(/\r/g, '')
      buffer = buffer.slice(nl + 1)
      consoleLines.push(text)
      if (consoleLines.length > 400) consoleLines.shift()
      const line = parseGuestLine(text, performance.now() - started)
      if (line) lines.push(line)
    }
    notify()
  })
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  child.once('exit', notify)
  child.once('error', notify)
  // Writing to a qemu that died must not crash the test process.
  child.stdin?.on('error', () => undefined)

  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null || child.pid === undefined
  const tail = (n = 40): string =>
    `--- guest console (last ${n} lines) ---\n${consoleLines.slice(-n).join('\n')}${stderr ? `\n--- qemu stderr ---\n${stderr}` : ''}`

  /** Resolves with the first value `check` returns (checked now and on every console chunk). */
  const until = <T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer)
        watchers.delete(watch)
      }
      const watch = (): void => {
        const value = check()
        if (value !== undefined) {
          done()
          resolve(value)
        } else if (exited()) {
          done()
          reject(
            new Error(
              `qemu exited (${String(child.exitCode ?? child.signalCode)}) while waiting for ${what}\n${tail()}`
            )
          )
        }
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${tail()}`))
      }, timeoutMs)
      watchers.add(watch)
      watch()
    })

  return {
    child,
    lines,
    tail,
    exited,
    waitFor: (tag, timeoutMs, match = () => true) =>
      until(`GUESTNET-${tag}`, timeoutMs, () => lines.find((l) => l.tag === tag && match(l))),
    async run(script, timeoutMs = 15_000) {
      const id = `run-${++nextId}`
      child.stdin?.write(`${id} ${Buffer.from(script, 'utf8').toString('base64')}\n`)
      const exit = await until(`'${script}' (${id})`, timeoutMs, () =>
        lines.find((l) => l.tag === 'EXIT' && l.rest.startsWith(`${id} `))
      )
      const out = lines
        .filter((l) => l.tag === 'OUT' && l.rest.startsWith(`${id} `))
        .map((l) => l.rest.slice(id.length + 1))
      return { code: Number(exit.rest.slice(id.length + 1)), out }
    },
    async poweroff(timeoutMs = 15_000) {
      child.stdin?.write('poweroff\n')
      await until('qemu to exit', timeoutMs, () => (exited() ? true : undefined)).catch((error: Error) => {
        // Exiting is what we wait for, so "qemu exited" is no error here.
        if (!exited()) throw error
      })
      return child.exitCode
    }
  }
}
