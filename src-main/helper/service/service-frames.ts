/**
 * The warm service's framing on its unix socket (serve.ts): on connect the service says hello (which
 * namespace and store root it acts in); the client checks that, sends a line naming its own pid, then
 * one request line (the helper's own request JSON), and reads the same NDJSON events and result the
 * one-shot helper prints. Pure: what a hello says and which requests the service takes.
 */
import type { GuardianFrame, HelperErrorBody, HelperRequest, ServiceHello } from '../../contract/helper-protocol'
import { SERVICE_PROTOCOL } from '../../contract/helper-protocol'

export function helloFrame(nsId: string | null, root: string | undefined, pid: number): ServiceHello {
  return { type: 'hello', service: 'guestnet-helper', protocol: SERVICE_PROTOCOL, nsId, root: root ?? null, pid }
}

/**
 * Pure: why the service refuses a (parsed, valid) request, or null. The service acts only in its own
 * namespace and on its own root; a caller wanting another runs the helper itself.
 */
export function serviceRefusal(req: HelperRequest, serviceRoot: string | undefined): HelperErrorBody | null {
  const args: { root?: string; netns?: string } = req.args
  if (args.netns !== undefined) {
    return {
      code: 'NETNS',
      field: 'args.netns',
      message: 'the guestnet service acts only in its own network namespace',
      fix: 'run the helper itself for --netns (guestnet does so when no service answers)'
    }
  }
  if ((args.root ?? null) !== (serviceRoot ?? null)) {
    return {
      code: 'BAD_ROOT',
      field: 'args.root',
      message: `this guestnet service serves ${serviceRoot === undefined ? 'the system directories' : `--root ${serviceRoot}`}, not ${args.root === undefined ? 'the system directories' : `--root ${args.root}`}`,
      fix: 'use the service of that root, or run the helper itself'
    }
  }
  return null
}

/** A guardian frame (helper/guardian/) for the service's watching clients and its log. */
export function guardianFrame(
  event: GuardianFrame['event'],
  network: string,
  what: GuardianFrame['what'],
  detail: string,
  ms: number | null,
  now: Date
): GuardianFrame {
  return {
    type: 'guardian',
    event,
    network,
    what,
    detail,
    ms: ms === null ? null : Math.round(ms),
    at: now.toISOString()
  }
}

/** The guardian's frame as one log line. */
export function guardianLogLine(f: GuardianFrame): string {
  const done =
    f.event === 'restored'
      ? `restored${f.ms === null ? '' : ` in ${f.ms} ms`}`
      : f.event === 'gave-up'
        ? 'something keeps undoing it: stopped restoring it for now'
        : f.event === 'failed'
          ? 'restoring it failed'
          : 'not guarded'
  return `guardian: ${f.network}: ${f.detail}; ${done}`
}
