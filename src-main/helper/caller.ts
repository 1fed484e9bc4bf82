/**
 * Who is asking. The helper holds root on someone's laptop, so what a request may ask for depends on
 * the caller (docs/security.md):
 *   root     a root process ran the helper itself (the CLI as root, CI, the sandbox): every option,
 *            `--root` and `--netns` and the test switches included;
 *   pkexec   root through pkexec on behalf of a user (PKEXEC_UID): the system store, the namespace the
 *            helper runs in (the caller's own), no options, no test switches;
 *   peer     a non-root process on the warm service's socket (by its socket credentials): reads only,
 *            the system store, the service's namespace;
 *   user     a normal user running the helper's code without privileges: reads only, with that
 *            user's own rights (nothing the user could not read anyway).
 * Pure, but for `callerOfProcess`.
 */
import type { HelperRequest } from '../contract/helper-protocol'
import { HelperError, isReadOnly } from '../contract/helper-protocol'

export type Caller =
  | { kind: 'root' }
  | { kind: 'pkexec'; uid: number }
  | { kind: 'peer'; uid: number; pid: number }
  | { kind: 'user'; uid: number }

/** The test switches: honoured for root callers only. */
export const TEST_SWITCHES = ['GUESTNET_HELPER_FAULT', 'GUESTNET_TIMING'] as const

/** May use `--root`, `--netns` and the test switches. */
export function isTrusted(caller: Caller): boolean {
  return caller.kind === 'root'
}

/** The helper process runs as root for this caller (everything but `user`). */
export function actsAsRoot(caller: Caller): boolean {
  return caller.kind !== 'user'
}

/**
 * The one-shot helper's caller, from its real uid and pkexec's PKEXEC_UID (read before the
 * environment is cleared). PKEXEC_UID can only make a root caller less trusted, so honouring it
 * from any caller is safe; a value that is not a uid is refused.
 */
export function callerOfProcess(uid: number, pkexecUid: string | undefined): Caller {
  if (pkexecUid !== undefined) {
    if (!/^[0-9]{1,10}$/.test(pkexecUid)) {
      throw new HelperError('BAD_REQUEST', `PKEXEC_UID '${pkexecUid.slice(0, 20)}' is not a user id`, {
        fix: 'run the helper through pkexec, which sets it'
      })
    }
    return uid === 0 ? { kind: 'pkexec', uid: Number(pkexecUid) } : { kind: 'user', uid }
  }
  return uid === 0 ? { kind: 'root' } : { kind: 'user', uid }
}

function who(caller: Caller): string {
  switch (caller.kind) {
    case 'root':
      return 'root'
    case 'pkexec':
      return `uid ${caller.uid} through pkexec`
    case 'peer':
      return `uid ${caller.uid} (pid ${caller.pid}) on the service's socket`
    case 'user':
      return `uid ${caller.uid}`
  }
}

/**
 * Why this caller may not make this request, or null. `switches` are the test switches set in the
 * helper's environment (they arrive only from a root caller's own environment).
 */
export function callerRefusal(req: HelperRequest, caller: Caller, switches: readonly string[]): HelperError | null {
  const readOnly = isReadOnly(req)
  const { root, netns } = req.args
  if (caller.kind === 'user') {
    if (!readOnly) {
      return new HelperError('NOT_ROOT', `'${req.verb}' changes the system and needs root`, {
        fix: 'run it as root (sudo, or pkexec for the desktop app)'
      })
    }
    if (netns !== undefined) {
      return new HelperError('NOT_ROOT', 'entering a network namespace needs root', { field: 'args.netns' })
    }
    return null
  }
  if (isTrusted(caller)) return null
  if (root !== undefined || netns !== undefined) {
    const field = root !== undefined ? 'args.root' : 'args.netns'
    return new HelperError(
      'BAD_REQUEST',
      `${field === 'args.root' ? '--root' : '--netns'} is for root callers in tests; for ${who(caller)} the helper acts on the system store in the caller's own network namespace only`,
      { field, fix: 'leave out --root and --netns (run as root for a test store)' }
    )
  }
  if (switches.length > 0) {
    return new HelperError(
      'BAD_REQUEST',
      `${switches.join(' and ')} ${switches.length > 1 ? 'are' : 'is'} for root callers in tests, not for ${who(caller)}`,
      { fix: 'unset it' }
    )
  }
  if (caller.kind === 'peer' && !readOnly) {
    return new HelperError(
      'NOT_AUTHORISED',
      `the guestnet service takes changes from root only, not from ${who(caller)}`,
      { fix: 'use the desktop app (pkexec) or run the command as root' }
    )
  }
  return null
}
