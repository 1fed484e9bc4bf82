/**
 * The caller's side of the warm service (serve.ts): connect to the runtime directory's socket,
 * check the hello (same network namespace, same root), send the request, pass the events on and
 * return the result. No service there (no socket, nobody listening, another namespace or root, an
 * unknown hello): null, and the caller runs the request itself as before. A connection that drops
 * after the request went out is an error, never a silent retry: the request may have run.
 */
import { createConnection } from 'node:net'

import type { HelperRequest, StepEvent } from '../protocol'
import type { RunResult } from '../run-request'
import { ownNetnsIdentity } from '../ns-identity'
import { parseEventLines } from '../parse-events'
import { helperPaths } from '../state/helper-paths'
import { mark } from '../timing'
import { helloMatches, parseHello } from './service-frames'

const HELLO_TIMEOUT_MS = 2000

export interface ServiceCall {
  onEvent?: (event: StepEvent) => void
  /** Polled while waiting: true closes the connection, and the service rolls the request back. */
  shouldStop?: () => boolean
  /** Effective uid; default process.getuid(). Only root may use the service. */
  uid?: number
}

export function callService(socketPath: string, req: HelperRequest, opts: ServiceCall = {}): Promise<RunResult | null> {
  return new Promise((resolve) => {
    const sock = createConnection(socketPath)
    let buffer = ''
    let greeted = false
    let sent = false
    let settled = false
    const settle = (v: RunResult | null): void => {
      if (settled) return
      settled = true
      clearInterval(poll)
      clearTimeout(helloTimer)
      sock.destroy()
      resolve(v)
    }
    const helloTimer = setTimeout(() => {
      if (!greeted) settle(null)
    }, HELLO_TIMEOUT_MS)
    const poll = setInterval(() => {
      if (sent && opts.shouldStop?.()) sock.destroy()
    }, 20)
    const take = (line: string): void => {
      if (!greeted) {
        const hello = parseHello(line)
        if (!hello || !helloMatches(hello, ownNetnsIdentity(), req.args.root)) return settle(null)
        greeted = true
        sent = true
        mark('service-hello')
        sock.write(`${JSON.stringify(req)}\n`)
        return
      }
      const parsed = parseEventLines(line)
      for (const e of parsed.events) if (e.type !== 'result') opts.onEvent?.(e)
      // The result is the last frame: done, without waiting for the service to close its end.
      if (parsed.result) {
        mark('service-answered')
        settle(parsed.result)
      }
    }
    sock.setEncoding('utf8')
    sock.on('data', (chunk: string) => {
      buffer += chunk
      let nl: number
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl)
        buffer = buffer.slice(nl + 1)
        take(line)
        if (settled) return
      }
    })
    sock.on('error', () => {
      if (!sent) settle(null)
    })
    sock.on('close', () => {
      if (!sent) return settle(null)
      if (buffer) take(buffer)
      settle({
        ok: false,
        error: {
          code: 'INTERRUPTED',
          message: 'the guestnet service closed the connection before answering: the request may have run in part',
          fix: 'guestnet net-list shows the state; guestnet reconcile repairs a half-done start'
        }
      })
    })
  })
}

/**
 * Whether to look for the service: as root, without --netns (the caller's own namespace), and not
 * when told not to (GUESTNET_SERVICE=off) or with the fault switch set, which only the caller's own
 * process would see.
 */
export function serviceWanted(req: HelperRequest, uid = process.getuid?.() ?? 0): boolean {
  return (
    uid === 0 &&
    req.args.netns === undefined &&
    process.env.GUESTNET_SERVICE !== 'off' &&
    process.env.GUESTNET_HELPER_FAULT === undefined
  )
}

/**
 * The request answered by the warm service when one runs for its root in this namespace; null when
 * there is none (the caller then runs it itself). Loads nothing of the helper's own code, so a
 * command the service answers pays only for this file.
 */
export function tryService(req: HelperRequest, opts: ServiceCall = {}): Promise<RunResult | null> {
  if (!serviceWanted(req, opts.uid)) return Promise.resolve(null)
  return callService(helperPaths(req.args.root, undefined).serviceSocket, req, opts)
}
