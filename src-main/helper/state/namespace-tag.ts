/**
 * Which network namespace a sysctl ledger was written in. Ledgers are named by the namespace's inode
 * (helper-paths.ts `ledgerFile`), and the kernel reuses an inode once a namespace is gone: a new
 * namespace could otherwise inherit a dead one's ledger, with its originals and owners. So guestnet
 * tags a namespace once, with a random tag in loopback's interface alias, and writes the tag into the
 * ledger; a ledger whose tag is not the namespace's belongs to a namespace that is gone.
 * The system's own namespace (the one pid 1 runs in) is never tagged: it lives as long as /run.
 * A loopback alias set by someone else is left as it is (the check is then skipped).
 */
import { randomBytes } from 'node:crypto'
import { readlinkSync, writeFileSync } from 'node:fs'

import { readTextNoFollow } from '../../store/safe-fs'

export type NamespaceTag =
  { kind: 'init' } | { kind: 'tagged'; tag: string } | { kind: 'untagged' } | { kind: 'foreign' }

export interface NamespaceTagger {
  read(): NamespaceTag
  /** Tags an untagged namespace; returns the tag. */
  tag(): string
}

const TAG = /^guestnet-ns:[0-9a-f]{32}$/

/** Pure: what loopback's alias says. */
export function tagOfAlias(alias: string): NamespaceTag {
  const a = alias.trim()
  if (a === '') return { kind: 'untagged' }
  return TAG.test(a) ? { kind: 'tagged', tag: a } : { kind: 'foreign' }
}

/** Pure: may a ledger carrying `ledgerTag` be read as this namespace's? */
export function ledgerBelongsHere(ledgerTag: string | null, here: NamespaceTag): boolean {
  switch (here.kind) {
    case 'init':
    case 'foreign':
      return true
    case 'untagged':
      return false
    case 'tagged':
      return ledgerTag === here.tag
  }
}

/** The tag a ledger written now carries. */
export function ledgerTagOf(here: NamespaceTag): string | null {
  return here.kind === 'tagged' ? here.tag : null
}

function sameNamespaceAsInit(proc: string): boolean {
  try {
    return readlinkSync(`${proc}/self/ns/net`) === readlinkSync(`${proc}/1/ns/net`)
  } catch {
    return false
  }
}

/** The real one: `/sys/class/net/lo/ifalias` of the namespace the helper runs in. */
export function sysfsTagger(sysNet = '/sys/class/net', proc = '/proc'): NamespaceTagger {
  const file = `${sysNet}/lo/ifalias`
  return {
    read: () => {
      if (sameNamespaceAsInit(proc)) return { kind: 'init' }
      return tagOfAlias(readTextNoFollow(file, 4096) ?? '')
    },
    tag: () => {
      const tag = `guestnet-ns:${randomBytes(16).toString('hex')}`
      writeFileSync(file, tag)
      return tag
    }
  }
}

/** No tagging (unit tests with a temporary ledger): every ledger is taken as this namespace's. */
export const UNTAGGED_TESTS: NamespaceTagger = { read: () => ({ kind: 'foreign' }), tag: () => '' }
