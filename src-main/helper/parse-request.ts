/**
 * Reading and checking a request before anything happens: size, JSON, verb, and the verb's argument
 * schema from the one helper protocol (contract/helper-protocol.ts: a request carries names, flags or
 * XML, never paths of its own, never commands), then every name through the core's rules. Who may ask
 * for what is caller.ts's question. Pure.
 */
import type { HelperRequest } from '../contract/helper-protocol'
import { HELPER_VERBS, HelperError, helperVerbs, isHelperVerb, MAX_REQUEST_BYTES } from '../contract/helper-protocol'
import { netnsNameProblem } from '../core/net/netns-name'

/** Checks a network name; returns why it is refused (the core's name rules), or null. */
export type NameCheck = (name: string) => string | null

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

export function tooLargeError(): HelperError {
  return new HelperError(
    'TOO_LARGE',
    `the request is larger than ${MAX_REQUEST_BYTES} bytes: refused unread, nothing changed`,
    { fix: 'a network definition is a few kilobytes: send the XML of one network' }
  )
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Parses one request. Throws a HelperError (TOO_LARGE, BAD_JSON, BAD_REQUEST, UNKNOWN_VERB, INVALID_NAME, BAD_ROOT). */
export function parseRequest(text: string, checkName: NameCheck): HelperRequest {
  if (byteLength(text) > MAX_REQUEST_BYTES) throw tooLargeError()
  if (text.trim() === '') throw new HelperError('NO_REQUEST', 'no request: stdin closed before a JSON request arrived')
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    throw new HelperError('BAD_JSON', `the request is not valid JSON: ${(e as Error).message}`, {
      fix: 'send one JSON object such as {"verb":"start","args":{"name":"default"}} on one line'
    })
  }
  if (!isObject(raw)) throw new HelperError('BAD_REQUEST', 'the request must be a JSON object {"verb": …, "args": {…}}')
  for (const key of Object.keys(raw)) {
    if (key !== 'verb' && key !== 'args') {
      throw new HelperError('BAD_REQUEST', `unknown request field '${key}'`, {
        field: key,
        fix: 'a request has only "verb" and "args"'
      })
    }
  }
  if (!isHelperVerb(raw.verb)) {
    throw new HelperError('UNKNOWN_VERB', `unknown verb ${JSON.stringify(raw.verb)?.slice(0, 60)}`, {
      field: 'verb',
      fix: `one of ${HELPER_VERBS.join(', ')}`
    })
  }
  const verb = raw.verb
  const checked = helperVerbs[verb].args.check(raw.args ?? {}, 'args')
  if (!checked.ok) {
    const { field, message } = checked.issue
    throw new HelperError('BAD_REQUEST', `${field}: ${message}`, {
      field,
      fix: `'${verb}' takes ${argNames(verb)}; the helper derives every path and command itself`
    })
  }
  const req = { verb, args: checked.value } as HelperRequest
  checkNames(req, checkName)
  return req
}

function argNames(verb: keyof typeof helperVerbs): string {
  const probe = helperVerbs[verb].args.check({ '\u0000': 1 }, '')
  return probe.ok ? 'no arguments' : (/known fields: (.*)\)/.exec(probe.issue.message)?.[1] ?? 'its own arguments')
}

function checkNames(req: HelperRequest, checkName: NameCheck): void {
  const args: { name?: string; netns?: string; root?: string } = req.args
  if (args.name !== undefined) {
    const problem = checkName(args.name)
    if (problem) {
      throw new HelperError('INVALID_NAME', `network name ${JSON.stringify(args.name)} is refused: ${problem}`, {
        field: 'args.name',
        fix: "use a network name without '/' or control characters, e.g. lab-net"
      })
    }
  }
  if (args.netns !== undefined) {
    const problem = netnsNameProblem(args.netns)
    if (problem) throw new HelperError('INVALID_NAME', problem, { field: 'args.netns' })
  }
  if (args.root !== undefined && (!args.root.startsWith('/') || args.root.includes('\0'))) {
    throw new HelperError('BAD_ROOT', `--root '${args.root}' must be an absolute directory`, { field: 'args.root' })
  }
}
