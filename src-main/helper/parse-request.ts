/**
 * Reading and checking a request before anything happens: size, JSON, verb, the exact set of
 * arguments the verb takes (a request carries names, a flag, or XML for define; never paths of its
 * own, never commands), and every name through the core's rules. Pure.
 */
import { netnsNameProblem } from './netns'
import type { HelperRequest, HelperVerb } from './protocol'
import { HELPER_VERBS, HelperError, MAX_REQUEST_BYTES } from './protocol'

type ArgSpec = Record<string, { type: 'string' | 'boolean'; required: boolean }>

const COMMON: ArgSpec = { root: { type: 'string', required: false }, netns: { type: 'string', required: false } }
const NAME_REQUIRED: ArgSpec = { ...COMMON, name: { type: 'string', required: true } }
const NAME_OPTIONAL: ArgSpec = { ...COMMON, name: { type: 'string', required: false } }

const ARGS: Record<HelperVerb, ArgSpec> = {
  define: { ...COMMON, xml: { type: 'string', required: true } },
  undefine: NAME_REQUIRED,
  start: NAME_REQUIRED,
  stop: NAME_REQUIRED,
  autostart: { ...NAME_REQUIRED, enable: { type: 'boolean', required: true } },
  'autostart-all': COMMON,
  status: NAME_OPTIONAL,
  leases: NAME_REQUIRED,
  reconcile: NAME_OPTIONAL,
  'restore-default': COMMON,
  doctor: { ...COMMON, fix: { type: 'string', required: false }, undo: { type: 'string', required: false } },
  renumber: { ...NAME_REQUIRED, to: { type: 'string', required: false } }
}

/** Checks a network name; returns why it is refused (the core's name rules), or null. */
export type NameCheck = (name: string) => string | null

function isVerb(v: unknown): v is HelperVerb {
  return typeof v === 'string' && (HELPER_VERBS as readonly string[]).includes(v)
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

export function tooLargeError(): HelperError {
  return new HelperError(
    'TOO_LARGE',
    `the request is larger than ${MAX_REQUEST_BYTES} bytes: refused unread, nothing changed`,
    {
      fix: 'a network definition is a few kilobytes: send the XML of one network'
    }
  )
}

/** Parses one request. Throws a HelperError (TOO_LARGE, BAD_JSON, BAD_REQUEST, UNKNOWN_VERB, INVALID_NAME, NETNS, BAD_ROOT). */
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
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new HelperError('BAD_REQUEST', 'the request must be a JSON object {"verb": …, "args": {…}}')
  }
  const obj = raw as Record<string, unknown>
  for (const key of Object.keys(obj)) {
    if (key !== 'verb' && key !== 'args')
      throw new HelperError('BAD_REQUEST', `unknown request field '${key}'`, {
        field: key,
        fix: 'a request has only "verb" and "args"'
      })
  }
  if (!isVerb(obj.verb)) {
    throw new HelperError('UNKNOWN_VERB', `unknown verb ${JSON.stringify(obj.verb)?.slice(0, 60)}`, {
      field: 'verb',
      fix: `one of ${HELPER_VERBS.join(', ')}`
    })
  }
  const verb = obj.verb
  const args = obj.args ?? {}
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new HelperError('BAD_REQUEST', '"args" must be a JSON object', { field: 'args' })
  }
  const spec = ARGS[verb]
  const given = args as Record<string, unknown>
  for (const [key, value] of Object.entries(given)) {
    const s = spec[key]
    if (!s) {
      throw new HelperError('BAD_REQUEST', `'${verb}' takes no argument '${key}'`, {
        field: `args.${key}`,
        fix: `its arguments are ${Object.keys(spec).join(', ')}; the helper derives every path and command itself`
      })
    }
    if (typeof value !== s.type)
      throw new HelperError('BAD_REQUEST', `args.${key} must be a ${s.type}`, { field: `args.${key}` })
  }
  for (const [key, s] of Object.entries(spec)) {
    if (s.required && given[key] === undefined)
      throw new HelperError('BAD_REQUEST', `'${verb}' needs args.${key}`, { field: `args.${key}` })
  }
  const out: HelperRequest = { verb, args: { ...(given as HelperRequest['args']) } }
  if (out.args.name !== undefined) {
    const problem = checkName(out.args.name)
    if (problem) {
      throw new HelperError('INVALID_NAME', `network name ${JSON.stringify(out.args.name)} is refused: ${problem}`, {
        field: 'args.name',
        fix: 'use a defined network name of letters, digits, - and _'
      })
    }
  }
  if (out.args.netns !== undefined) {
    const problem = netnsNameProblem(out.args.netns)
    if (problem) throw new HelperError('INVALID_NAME', problem, { field: 'args.netns' })
  }
  if (out.args.root !== undefined && (!out.args.root.startsWith('/') || out.args.root.includes('\0'))) {
    throw new HelperError('BAD_ROOT', `--root '${out.args.root}' must be an absolute directory`, { field: 'args.root' })
  }
  return out
}
