/**
 * `guestnet-helper --serve`: the helper kept warm, as libvirt keeps virtnetworkd. It listens on a
 * unix socket in the runtime directory (`.helper.sock`, made with mode 0600) or on the socket systemd
 * passes it (socket activation). Every connection's peer is identified by the kernel's socket table
 * and its process's credentials (peer-creds.ts), not by the file's mode alone: a root peer is a root
 * caller, any other peer may only read (caller.ts). It takes the very same requests as the one-shot
 * helper, checks and runs them with the same code, one at a time, and answers with the same events. What it saves a command is
 * node loading the helper's code and the start of `ip` and `nft` (kept ready, warm-pool.ts). While
 * it runs, the guardian (../guardian/) keeps the store's running networks as they were started. It
 * exits after `--idle-timeout` seconds without a request (default 120; 0: never) once no network of
 * its store runs, and on SIGTERM (a request in progress is rolled back, as the one-shot helper does).
 */
import { lstatSync, unlinkSync } from 'node:fs'
import type { Server, Socket } from 'node:net'
import { createConnection, createServer } from 'node:net'

import { ownNetnsIdentity } from '../../host/ns-identity'
import { parseRequest, tooLargeError } from '../parse-request'
import { checkNetworkName } from '../policy'
import type {
  GuardianFrame,
  HelperErrorBody,
  HelperRequest,
  ServiceHello,
  StepEvent
} from '../../contract/helper-protocol'
import {
  errorBody,
  HelperError,
  isReadOnly,
  MAX_REQUEST_BYTES,
  serviceClientSchema
} from '../../contract/helper-protocol'
import { FrameLog } from '../guardian/frame-log'
import { Guardian } from '../guardian/guardian'
import { ensureOwnDirs } from '../../store/safe-fs'
import type { Caller } from '../caller'
import { resolveTestRoot } from '../test-root'
import { peerSocket, verifyPeer } from './peer-creds'
import { runRequest } from '../run-request'
import type { HelperPaths } from '../../core/store/helper-paths'
import { helperPaths } from '../../core/store/helper-paths'
import { mark, printMarks } from '../../diagnostics/timing'
import { errnoCode } from '../../store/safe-fs'
import { LineReader } from './read-line'
import { helloFrame, serviceRefusal } from './service-frames'
import type { ServeArgs } from './serve-args'
import { WarmPool } from './warm-pool'

/** Does the client's line ask to watch the guardian rather than send a request? */
function wantsWatch(line: string): boolean {
  try {
    const r = serviceClientSchema.check(JSON.parse(line), '')
    return r.ok && r.value.watch === true
  } catch {
    return false
  }
}

/** The caller behind a connection: the client's pid line, checked against the kernel (peer-creds.ts). */
async function identify(line: string, pair: { ino: number; peer: number } | null): Promise<Caller> {
  let pid: number | null = null
  try {
    const r = serviceClientSchema.check(JSON.parse(line), '')
    if (r.ok) pid = r.value.pid
  } catch {
    pid = null
  }
  const peer = pair !== null && pid !== null ? verifyPeer(pair.peer, pid) : null
  if (peer === null) {
    throw new HelperError(
      'NOT_AUTHORISED',
      'the guestnet service cannot tell which process is on the other end of this connection',
      {
        fix: 'connect with guestnet itself (it names its pid first), or run the helper directly'
      }
    )
  }
  return peer.root ? { kind: 'root' } : { kind: 'peer', uid: peer.uid, pid: peer.pid }
}

/** A connection that sends no request line in this time is dropped. */
const REQUEST_TIMEOUT_MS = 10_000

export interface ServeOptions extends ServeArgs {
  log(line: string): void
  /** Called once listening (tests and the CLI wait for it). */
  onListening?(where: string): void
}

function send(
  sock: Socket,
  event:
    StepEvent | ServiceHello | GuardianFrame | { type: 'result'; ok: boolean; value?: unknown; error?: HelperErrorBody }
): void {
  if (!sock.destroyed && sock.writable) sock.write(`${JSON.stringify(event)}\n`)
}

/** Does something accept connections on `path`? */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection(path)
    const done = (v: boolean): void => {
      c.destroy()
      resolve(v)
    }
    c.once('connect', () => done(true))
    c.once('error', () => done(false))
    c.setTimeout(1000, () => done(false))
  })
}

/** Removes a dead service's socket; refuses a live one or anything that is not a socket. */
export async function prepareSocketPath(path: string): Promise<void> {
  let isSocket: boolean
  try {
    isSocket = lstatSync(path).isSocket()
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return
    throw e
  }
  if (!isSocket)
    throw new HelperError('INTERNAL', `${path} exists and is not a socket`, {
      fix: 'it is not guestnet’s: look at it, remove it, then start the service again'
    })
  if (await answers(path)) {
    throw new HelperError('INTERNAL', `a guestnet service already listens on ${path}`, {
      fix: 'use it, or stop it first (systemctl stop guestnet-helper.service)'
    })
  }
  unlinkSync(path)
}

function listen(server: Server, opts: ServeOptions, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    if (opts.listenFd !== null) {
      server.listen({ fd: opts.listenFd }, () => resolve(`fd ${opts.listenFd} (socket activation)`))
      return
    }
    // Made with mode 0600 from the start (no chmod by path afterwards, which a swapped link could redirect).
    const old = process.umask(0o177)
    server.listen(path, () => {
      process.umask(old)
      resolve(path)
    })
  })
}

export async function serve(opts: ServeOptions): Promise<number> {
  let root: string | undefined
  let paths: HelperPaths
  try {
    root = opts.root === undefined ? undefined : resolveTestRoot(opts.root)
    paths = helperPaths(root, undefined)
    ensureOwnDirs(root ?? '/', paths.plan.runtimeDir)
  } catch (e) {
    opts.log(`guestnet-helper service: ${errorBody(e).message}`)
    return 2
  }
  const nsId = ownNetnsIdentity()
  const pool = new WarmPool()
  pool.refill()
  // The code a start or stop needs, loaded now rather than at the first request.
  const preloaded = Promise.all([
    import('../verbs/start'),
    import('../verbs/stop'),
    import('../../host/read-host-facts'),
    import('../../core/host/parse-host-facts')
  ])
  preloaded.catch(() => undefined)

  let active = 0
  let stopping = false
  /** Connections still sending their request: dropped at once on a signal. */
  const reading = new Set<Socket>()
  /** Clients following the guardian (a `watch` client line): they get its frames, and count as no work. */
  const watchers = new Set<Socket>()
  /** Networks a queued or running request may change ('*': every network): the guardian leaves them be. */
  const busy = new Map<string, number>()
  const frameLog = new FrameLog(paths.guardianLog, opts.log)
  const guardian = new Guardian({
    paths,
    root,
    log: opts.log,
    onFrame: (f) => {
      frameLog.add(f)
      for (const w of watchers) send(w, f)
    },
    busy: (network) => busy.has(network) || busy.has('*')
  })
  let queue: Promise<void> = Promise.resolve()
  let idleTimer: NodeJS.Timeout | null = null
  let finish: (code: number) => void = () => undefined
  const ended = new Promise<number>((resolve) => {
    finish = resolve
  })

  const server = createServer((sock) => void onConnection(sock))
  const shutdown = (): void => {
    if (idleTimer) clearTimeout(idleTimer)
    guardian.stop()
    for (const w of watchers) w.destroy()
    server.close()
    pool.dispose()
    if (opts.listenFd === null) {
      try {
        if (lstatSync(paths.serviceSocket).isSocket()) unlinkSync(paths.serviceSocket)
      } catch {
        // already gone
      }
    }
    finish(0)
  }
  const armIdle = (): void => {
    if (idleTimer) clearTimeout(idleTimer)
    if (opts.idleTimeoutMs <= 0) return
    idleTimer = setTimeout(() => {
      if (active > 0) return
      // The guardian keeps the networks of this store as they were started: it stays while any runs.
      const running = guardian.running()
      if (running.length > 0) {
        armIdle()
        return
      }
      opts.log(`guestnet-helper service: idle for ${opts.idleTimeoutMs / 1000} s, exiting`)
      shutdown()
    }, opts.idleTimeoutMs)
  }
  const onSignal = (sig: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    opts.log(`guestnet-helper service: ${sig}${active > 0 ? ', rolling back the request in progress' : ''}`)
    server.close()
    for (const sock of reading) sock.destroy()
    if (active === 0) shutdown()
  }
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, onSignal)

  /** What a request may change, for the guardian: its network, every network, or nothing (a read). */
  function claims(req: HelperRequest): string | null {
    if (isReadOnly(req)) return null
    return (req.args as { name?: string }).name ?? '*'
  }
  function claim(key: string | null, by: 1 | -1): void {
    if (key === null) return
    const n = (busy.get(key) ?? 0) + by
    if (n > 0) busy.set(key, n)
    else busy.delete(key)
  }

  async function runOne(req: HelperRequest, caller: Caller, sock: Socket): Promise<void> {
    let gone = false
    sock.once('close', () => {
      gone = true
    })
    const t0 = performance.now()
    mark('service-request')
    await preloaded.catch(() => undefined)
    const result = await runRequest(req, {
      caller,
      switches: [],
      emit: (e) => send(sock, e),
      shouldStop: () => gone || stopping,
      warm: pool
    })
    if (result.ok) send(sock, { type: 'result', ok: true, value: result.value })
    else send(sock, { type: 'result', ok: false, error: result.error })
    sock.end()
    const named = (req.args as { name?: string }).name
    const what = `${req.verb}${named ? ` ${named}` : ''}${caller.kind === 'peer' ? ` (uid ${caller.uid})` : ''}`
    opts.log(
      `guestnet-helper service: ${what}: ${result.ok ? 'ok' : `${result.error.code}: ${result.error.message}`} (${(performance.now() - t0).toFixed(1)} ms)`
    )
    printMarks((line) => opts.log(`guestnet-helper service: ${line.trimEnd()}`))
    // The next request's ip and nft start after this one's answer went out (starting a program
    // blocks this process for milliseconds; the answer's last bytes leave first).
    setTimeout(() => {
      if (!stopping) pool.refill()
    }, 5)
  }

  async function onConnection(sock: Socket): Promise<void> {
    mark('service-connected')
    active++
    if (idleTimer) clearTimeout(idleTimer)
    sock.on('error', () => undefined)
    try {
      if (stopping) return void sock.destroy()
      send(sock, helloFrame(nsId, root, process.pid))
      // Who is on the other end, from the kernel's socket table: asked now, while the client answers.
      const pair = peerSocket(sock).catch(() => null)
      reading.add(sock)
      const lines = new LineReader(sock)
      const first = await lines.next(256, REQUEST_TIMEOUT_MS)
      if (first.kind === 'line' && wantsWatch(first.text)) {
        reading.delete(sock)
        lines.stop()
        // Who it is is checked as for a request; any peer may follow what the guardian does.
        await identify(first.text, await pair)
        watchers.add(sock)
        sock.once('close', () => watchers.delete(sock))
        return
      }
      const read =
        first.kind === 'line'
          ? await lines.next(MAX_REQUEST_BYTES, REQUEST_TIMEOUT_MS).finally(() => {
              reading.delete(sock)
              lines.stop()
            })
          : (reading.delete(sock), first)
      let req: HelperRequest
      let caller: Caller
      try {
        if (first.kind !== 'line' || read.kind === 'eof' || stopping) return void sock.destroy()
        if (read.kind === 'too-large') throw tooLargeError()
        caller = await identify(first.text, await pair)
        req = parseRequest(read.text, checkNetworkName)
      } catch (e) {
        const error: HelperErrorBody = errorBody(e)
        send(sock, { type: 'result', ok: false, error })
        return void sock.end()
      }
      const refusal = serviceRefusal(req, root)
      if (refusal) {
        send(sock, { type: 'result', ok: false, error: refusal })
        return void sock.end()
      }
      // One request at a time, in arrival order (the runtime directory's lock covers other helpers).
      const claimed = claims(req)
      claim(claimed, 1)
      const mine = queue.then(() => runOne(req, caller, sock))
      queue = mine.catch(() => undefined)
      try {
        await mine
      } finally {
        claim(claimed, -1)
        guardian.invalidate()
      }
    } catch (e) {
      send(sock, { type: 'result', ok: false, error: errorBody(e) })
      sock.end()
    } finally {
      active--
      if (stopping && active === 0) shutdown()
      else if (active === 0) armIdle()
    }
  }

  try {
    if (opts.listenFd === null) await prepareSocketPath(paths.serviceSocket)
    const where = await listen(server, opts, paths.serviceSocket)
    opts.log(
      `guestnet-helper service: listening on ${where} (pid ${process.pid}${opts.idleTimeoutMs > 0 ? `, exits after ${opts.idleTimeoutMs / 1000} s idle` : ''})`
    )
    opts.onListening?.(where)
    guardian.start()
  } catch (e) {
    pool.dispose()
    opts.log(
      `guestnet-helper service: ${e instanceof HelperError ? `${e.message}${e.fix ? ` — ${e.fix}` : ''}` : errorBody(e).message}`
    )
    return 1
  }
  armIdle()
  return ended
}
