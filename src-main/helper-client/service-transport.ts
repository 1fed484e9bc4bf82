/**
 * The warm service's client side (helper/service/serve.ts): connect to the store's socket, check the
 * hello (same network namespace, same store root), send the request line, pass the events on and
 * return the result. No usable service (no socket, nobody listening, another namespace or root, an
 * unknown hello): null, and the caller runs the request another way. A connection that drops after
 * the request went out is an error, never a silent retry: the request may have run.
 */
import { createConnection } from 'node:net'

import type { HelperVerb, RequestOf, ServiceHello } from '../contract/helper-protocol'
import { serviceHelloSchema } from '../contract/helper-protocol'
import { mark } from '../diagnostics/timing'
import type { CallOptions } from './call-options'
import type { ClientResult } from './client-result'
import { EventStream } from './event-stream'

const HELLO_TIMEOUT_MS = 2000

/** Pure: the hello line parsed, or null when it is not one (an old or foreign listener). */
export function parseHello(line: string): ServiceHello | null {
  try {
    const r = serviceHelloSchema.check(JSON.parse(line), '')
    return r.ok ? r.value : null
  } catch {
    return null
  }
}

/** Pure: only the very same namespace and root; anything else runs another way. */
export function helloMatches(hello: ServiceHello, clientNs: string | null, root: string | null): boolean {
  return hello.nsId !== null && hello.nsId === clientNs && hello.root === root
}

export interface ServiceTarget {
  socketPath: string
  /** This process's network namespace (`dev:ino`). */
  nsId: string | null
  /** The store root the service must serve (null: the system store). */
  root: string | null
}

export function callService<V extends HelperVerb>(
  target: ServiceTarget,
  req: RequestOf<V>,
  opts: CallOptions = {}
): Promise<ClientResult<V> | null> {
  return new Promise((resolve) => {
    const sock = createConnection(target.socketPath)
    const stream = new EventStream(req.verb as V, opts.onEvent)
    let buffer = ''
    let sent = false
    let settled = false
    const settle = (v: ClientResult<V> | null): void => {
      if (settled) return
      settled = true
      clearInterval(poll)
      clearTimeout(helloTimer)
      sock.destroy()
      resolve(v)
    }
    const helloTimer = setTimeout(() => {
      if (!sent) settle(null)
    }, HELLO_TIMEOUT_MS)
    const poll = setInterval(() => {
      if (sent && opts.shouldStop?.()) sock.destroy()
    }, 20)
    sock.setEncoding('utf8')
    sock.on('data', (chunk: string) => {
      if (sent) {
        stream.push(chunk)
        // The result is the last frame: done, without waiting for the service to close its end.
        if (stream.done) {
          mark('service-answered')
          settle(stream.end())
        }
        return
      }
      buffer += chunk
      const nl = buffer.indexOf('\n')
      if (nl < 0) return
      const hello = parseHello(buffer.slice(0, nl))
      if (!hello || !helloMatches(hello, target.nsId, target.root)) return settle(null)
      sent = true
      mark('service-hello')
      sock.write(`${JSON.stringify({ type: 'client', pid: process.pid })}\n${JSON.stringify(req)}\n`)
      const rest = buffer.slice(nl + 1)
      if (rest) stream.push(rest)
    })
    sock.on('error', () => {
      if (!sent) settle(null)
    })
    sock.on('close', () => {
      if (!sent) return settle(null)
      settle(
        stream.end() ?? {
          ok: false,
          error: {
            code: 'INTERRUPTED',
            message: 'the guestnet service closed the connection before answering: the request may have run in part',
            fix: 'guestnet net-list shows the state; guestnet reconcile repairs a half-done start'
          }
        }
      )
    })
  })
}
