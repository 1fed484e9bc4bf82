/**
 * `guestnet-helper --serve [--root DIR] [--idle-timeout SECONDS]`, and systemd's socket activation
 * (LISTEN_PID naming this process, LISTEN_FDS=1: the socket is fd 3). Pure.
 */
/** libvirt's virtnetworkd exits after 120 s without work (its --timeout); so does the service. */
export const DEFAULT_IDLE_TIMEOUT_S = 120

export interface ServeArgs {
  root?: string
  idleTimeoutMs: number
  listenFd: number | null
}

/** null: not `--serve` (the one-shot helper); `{error}`: a usage error to print. */
export function parseServeArgs(
  argv: readonly string[],
  env: { pid?: string; fds?: string },
  pid = process.pid
): ServeArgs | { error: string } | null {
  if (!argv.includes('--serve')) return null
  const out: ServeArgs = { idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_S * 1000, listenFd: null }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--serve') continue
    const value = argv[i + 1]
    if (a === '--root' && value !== undefined) {
      if (!value.startsWith('/')) return { error: `--root takes an absolute directory, not '${value}'` }
      out.root = value
      i++
    } else if (a === '--idle-timeout' && value !== undefined) {
      if (!/^\d{1,6}$/.test(value)) return { error: `--idle-timeout takes whole seconds (0: never), not '${value}'` }
      out.idleTimeoutMs = Number(value) * 1000
      i++
    } else {
      return {
        error: `unknown or incomplete option '${a}' (usage: guestnet-helper --serve [--root DIR] [--idle-timeout SECONDS])`
      }
    }
  }
  if (env.pid !== undefined && env.pid === String(pid)) {
    if (env.fds !== '1')
      return {
        error: `socket activation passed ${env.fds ?? 'no'} sockets; the service takes exactly one (ListenStream= once)`
      }
    out.listenFd = 3
  }
  return out
}
