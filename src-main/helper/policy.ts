/**
 * The helper's rules for what it may touch: network names (the core's rules: the validator's
 * character set and the store's file-name safety) and the store root a request may name.
 */
import type { Stats } from 'node:fs'
import { lstatSync, mkdirSync } from 'node:fs'

import { networkNameProblem as fileNameProblem } from '../core/store/network-file-name'
import { networkNameProblem } from '../core/validate/syntax'
import { HelperError } from './protocol'

/** Why a network name is refused, or null: `../x`, `a;rm -rf /`, `$(id)` all are. */
export function checkNetworkName(name: string): string | null {
  return networkNameProblem(name) ?? fileNameProblem(name)
}

/**
 * A `--root` given to the root helper must be a directory only root can change: otherwise a user
 * could swap files (or symlinks) under it while the helper writes there as root. Missing, it is
 * created (mode 0755, owned by root since the helper runs as root).
 */
export function checkRootDir(root: string): void {
  let st = lstatOrNull(root)
  if (st === null) {
    try {
      mkdirSync(root, { recursive: true, mode: 0o755 })
    } catch (e) {
      throw new HelperError('BAD_ROOT', `cannot create --root ${root}: ${(e as Error).message}`, { field: 'args.root' })
    }
    st = lstatOrNull(root)
  }
  if (st === null || !st.isDirectory()) {
    throw new HelperError(
      'BAD_ROOT',
      `--root ${root} is not a directory${st?.isSymbolicLink() ? ' (it is a symbolic link)' : ''}`,
      {
        field: 'args.root',
        fix: 'give a real directory, e.g. one made by mktemp -d'
      }
    )
  }
  const uid = process.getuid?.() ?? 0
  if (st.uid !== uid || (st.mode & 0o022) !== 0) {
    throw new HelperError(
      'BAD_ROOT',
      `--root ${root} must be owned by ${uid === 0 ? 'root' : `uid ${uid}`} and not writable by group or others`,
      {
        field: 'args.root',
        fix: `chown ${uid}:${uid} ${root} && chmod go-w ${root}`
      }
    )
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path)
  } catch {
    return null
  }
}
