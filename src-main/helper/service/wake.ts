/**
 * After the one-shot helper (pkexec, the desktop app) started a network of the system store, it
 * knocks once on the warm service's socket: on a packaged system that socket is systemd's
 * (guestnet-helper.socket), so the knock starts guestnet-helper.service, whose guardian then keeps
 * the network as it was started (and which stays while networks run). Nothing is sent; no answer
 * is needed; no socket, nothing done.
 */
import { lstatSync } from 'node:fs'
import { createConnection } from 'node:net'

import type { HelperRequest } from '../../contract/helper-protocol'
import { helperPaths } from '../../core/store/helper-paths'

const STARTS: ReadonlySet<string> = new Set(['start', 'apply', 'autostart-all'])

/** Pure: may this request's success leave a network running that the service should guard? */
export function wakesService(req: HelperRequest): boolean {
  const args: { root?: string; netns?: string } = req.args
  return STARTS.has(req.verb) && args.root === undefined && args.netns === undefined
}

export function wakeService(req: HelperRequest, timeoutMs = 300): Promise<void> {
  if (!wakesService(req)) return Promise.resolve()
  const path = helperPaths(undefined, undefined).serviceSocket
  try {
    if (!lstatSync(path).isSocket()) return Promise.resolve()
  } catch {
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    const c = createConnection(path)
    const done = (): void => {
      c.destroy()
      resolve()
    }
    c.once('connect', done)
    c.once('error', done)
    c.setTimeout(timeoutMs, done)
  })
}
