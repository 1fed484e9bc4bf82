/**
 * The warm service's framing on its unix socket (service/serve.ts): on connect the service says
 * hello (which namespace and root it acts in), the client checks that and sends one request line
 * (the helper's own request JSON), then reads the same NDJSON events and result the one-shot helper
 * prints. Pure: what a hello says and which requests the service takes.
 */
import type { HelperErrorBody, HelperRequest } from '../protocol'

export const SERVICE_PROTOCOL = 1

export interface ServiceHello {
  type: 'hello'
  service: 'guestnet-helper'
  protocol: number
  /** `dev:ino` of the service's network namespace (/proc/self/ns/net). */
  nsId: string | null
  /** The store root it serves (`--root`), null for the system's own directories. */
  root: string | null
  pid: number
}

export function helloFrame(nsId: string | null, root: string | undefined, pid: number): ServiceHello {
  return { type: 'hello', service: 'guestnet-helper', protocol: SERVICE_PROTOCOL, nsId, root: root ?? null, pid }
}

/** Pure: the hello line parsed, or null when it is not one (an old or foreign listener). */
export function parseHello(line: string): ServiceHello | null {
  let v: unknown
  try {
    v = JSON.parse(line)
  } catch {
    return null
  }
  if (typeof v !== 'object' || v === null) return null
  const h = v as Partial<ServiceHello>
  if (
    h.type !== 'hello' ||
    h.service !== 'guestnet-helper' ||
    h.protocol !== SERVICE_PROTOCOL ||
    typeof h.pid !== 'number'
  )
    return null
  if (!(h.nsId === null || typeof h.nsId === 'string') || !(h.root === null || typeof h.root === 'string')) return null
  return {
    type: 'hello',
    service: 'guestnet-helper',
    protocol: SERVICE_PROTOCOL,
    nsId: h.nsId,
    root: h.root,
    pid: h.pid
  }
}

/**
 * Pure: may a client in namespace `clientNs`, asking for `root`, use the service that said `hello`?
 * Only the very same namespace and root: anything else runs as before (in the caller's process).
 */
export function helloMatches(hello: ServiceHello, clientNs: string | null, root: string | undefined): boolean {
  return hello.nsId !== null && hello.nsId === clientNs && hello.root === (root ?? null)
}

/**
 * Pure: why the service refuses a (parsed, valid) request, or null. The service acts only in its own
 * namespace and on its own root; a caller wanting another runs the helper itself.
 */
export function serviceRefusal(req: HelperRequest, serviceRoot: string | undefined): HelperErrorBody | null {
  if (req.args.netns !== undefined) {
    return {
      code: 'NETNS',
      field: 'args.netns',
      message: 'the guestnet service acts only in its own network namespace',
      fix: 'run the helper itself for --netns (guestnet does so when no service answers)'
    }
  }
  if ((req.args.root ?? null) !== (serviceRoot ?? null)) {
    return {
      code: 'BAD_ROOT',
      field: 'args.root',
      message: `this guestnet service serves ${serviceRoot === undefined ? 'the system directories' : `--root ${serviceRoot}`}, not ${req.args.root === undefined ? 'the system directories' : `--root ${req.args.root}`}`,
      fix: 'use the service of that root, or run the helper itself'
    }
  }
  return null
}
