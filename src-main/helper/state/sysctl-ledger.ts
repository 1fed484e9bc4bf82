/**
 * Which guestnet networks need a host sysctl (forwarding, accept_ra on an uplink), and the value it
 * had before the first of them changed it. One ledger per network namespace, shared by every guestnet
 * store acting there (the system store, test `--root` stores): the file lives in the system's runtime
 * directory, named by the namespace (helper-paths.ts `ledgerFile`). Whether anyone still needs a
 * value is decided by counting live objects, not by trusting the list: an owner counts only while
 * its bridge is there and bears its owner mark (core/store/store-id.ts). So forwarding stays on while
 * any guestnet network of any store runs in the namespace, and the last one out puts the original
 * back, only if the value is still the one guestnet set (an admin's later change wins).
 * A ledger that does not read is never taken as empty: it is reported, and reconcile repairs it.
 * Pure decisions here; the reads and writes are in run/builtins.ts.
 */

/** A network that needs a sysctl: its store, its name, its bridge (whose mark says it still runs). */
export interface LedgerOwner {
  store: string
  network: string
  bridge: string
  /**
   * The bridge's owner mark, when it was read from the bridge rather than derived from store and
   * network: a repaired ledger's owners of another store, whose network name may be hashed in it.
   */
  mark?: string
}

export interface LedgerEntry {
  /** The value before guestnet first changed it; null when unknown (the ledger was repaired). */
  original: string | null
  /** The value guestnet set. */
  value: string
  owners: LedgerOwner[]
}

export type Ledger = Record<string, LedgerEntry>

export type ParsedLedger =
  | {
      ok: true
      ledger: Ledger
      /** The tag of the namespace it was written in (namespace-tag.ts); null when it was not tagged. */
      namespace: string | null
    }
  | { ok: false; reason: string }

/** Does this owner still run (its bridge is there with its mark)? Injected: live-state.ts. */
export type IsLive = (owner: LedgerOwner) => boolean

/** `1\n` → `1`; `4096\t87380\t6291456` → `4096 87380 6291456`. */
export function normalizeSysctlValue(text: string): string {
  return text.trim().split(/\s+/).join(' ')
}

const sameOwner = (a: LedgerOwner, b: LedgerOwner): boolean =>
  a.store === b.store && a.network === b.network && a.mark === b.mark

export interface AcquireDecision {
  ledger: Ledger
  /** Write `value` to the sysctl (false when it already holds it). */
  write: boolean
}

export function acquireSysctl(
  ledger: Ledger,
  key: string,
  owner: LedgerOwner,
  current: string,
  value: string,
  isLive: IsLive
): AcquireDecision {
  const cur = normalizeSysctlValue(current)
  const want = normalizeSysctlValue(value)
  const old = ledger[key]
  const others = (old?.owners ?? []).filter((o) => !sameOwner(o, owner) && isLive(o))
  // Nobody who set it runs any more and the value is not ours now: someone else changed it since, or
  // the ledger outlived its namespace. The value now is the one to put back.
  const stale = old !== undefined && others.length === 0 && cur !== old.value
  const entry: LedgerEntry =
    old && !stale
      ? { original: old.original, value: want, owners: [...others, owner] }
      : { original: cur, value: want, owners: [owner] }
  return { ledger: { ...ledger, [key]: entry }, write: cur !== want }
}

/** Does `owner` hold `key` at `value` (so setting it again keeps the ledger's original)? */
export function holdsSysctl(ledger: Ledger, key: string, owner: LedgerOwner, value: string): boolean {
  const entry = ledger[key]
  return (
    entry !== undefined && entry.value === normalizeSysctlValue(value) && entry.owners.some((o) => sameOwner(o, owner))
  )
}

export interface ReleaseDecision {
  ledger: Ledger
  /** The value to write back, or null to leave the sysctl alone. */
  restore: string | null
  /** Why it is left alone although this was the last owner (the original is unknown), or null. */
  note: string | null
}

export function releaseSysctl(
  ledger: Ledger,
  key: string,
  owner: LedgerOwner,
  current: string | null,
  isLive: IsLive
): ReleaseDecision {
  const entry = ledger[key]
  if (!entry) return { ledger, restore: null, note: null }
  const others = entry.owners.filter((o) => !sameOwner(o, owner) && isLive(o))
  if (others.length > 0) {
    const who = others.map((o) =>
      o.network.startsWith('doctor/') ? `the doctor's fix ${o.network.slice(7)}` : `network ${o.network}`
    )
    return {
      ledger: { ...ledger, [key]: { ...entry, owners: others } },
      restore: null,
      note: `${key} stays ${entry.value}: ${who.join(', ')} still need${others.length === 1 ? 's' : ''} it`
    }
  }
  const rest = { ...ledger }
  delete rest[key]
  // null: the key is gone (an uplink that went away): nothing to put back.
  const cur = current === null ? null : normalizeSysctlValue(current)
  if (entry.original === null) {
    return {
      ledger: rest,
      restore: null,
      note: `${key} left at ${cur ?? '(gone)'}: its value before guestnet is unknown (the ledger was repaired)`
    }
  }
  const restore = cur !== null && cur === entry.value && cur !== entry.original ? entry.original : null
  return { ledger: rest, restore, note: null }
}

/** Keys whose owners include this network. */
export function keysOf(ledger: Ledger, owner: Pick<LedgerOwner, 'store' | 'network'>): string[] {
  return Object.entries(ledger)
    .filter(([, e]) => e.owners.some((o) => o.store === owner.store && o.network === owner.network))
    .map(([k]) => k)
}

const isString = (v: unknown): v is string => typeof v === 'string'

function parseOwner(v: unknown): LedgerOwner | null {
  const o = v as Partial<LedgerOwner> | null
  if (!o || !isString(o.store) || !isString(o.network) || !isString(o.bridge)) return null
  if (o.mark !== undefined && !isString(o.mark)) return null
  const owner: LedgerOwner = { store: o.store, network: o.network, bridge: o.bridge }
  if (o.mark !== undefined) owner.mark = o.mark
  return owner
}

/** Pure: the ledger in a file's text, or why it does not read (never an empty ledger instead). */
export function parseLedger(text: string): ParsedLedger {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    return { ok: false, reason: `not JSON (${(e as Error).message})` }
  }
  const r = raw as { version?: unknown; namespace?: unknown; entries?: unknown } | null
  if (!r || typeof r !== 'object' || r.version !== 2) return { ok: false, reason: 'not a version 2 sysctl ledger' }
  if (r.namespace !== undefined && r.namespace !== null && !isString(r.namespace)) {
    return { ok: false, reason: 'its namespace tag is not a string' }
  }
  if (typeof r.entries !== 'object' || r.entries === null || Array.isArray(r.entries)) {
    return { ok: false, reason: 'its entries are not an object' }
  }
  const out: Ledger = {}
  for (const [key, value] of Object.entries(r.entries as Record<string, unknown>)) {
    const e = value as Partial<LedgerEntry> | null
    const owners = Array.isArray(e?.owners) ? e.owners.map(parseOwner) : null
    if (
      !e ||
      !(e.original === null || isString(e.original)) ||
      !isString(e.value) ||
      !owners ||
      owners.includes(null)
    ) {
      return { ok: false, reason: `entry ${JSON.stringify(key).slice(0, 80)} is not {original, value, owners}` }
    }
    out[key] = { original: e.original, value: e.value, owners: owners as LedgerOwner[] }
  }
  return { ok: true, ledger: out, namespace: isString(r.namespace) ? r.namespace : null }
}

export function formatLedger(ledger: Ledger, namespace: string | null): string {
  return `${JSON.stringify({ version: 2, namespace, entries: ledger }, null, 2)}\n`
}

/**
 * The ledger rebuilt after it would not read: every key `running` networks hold, with the value it has
 * now and an unknown original (the last one out then leaves it as it is, and says so). A key whose
 * value is 0 now is left out: nobody holds it on.
 */
export function rebuildLedger(
  running: ReadonlyArray<{ owner: LedgerOwner; keys: readonly string[] }>,
  current: (key: string) => string | null
): Ledger {
  const out: Ledger = {}
  for (const { owner, keys } of running) {
    for (const key of keys) {
      const value = current(key)
      if (value === null || normalizeSysctlValue(value) === '0') continue
      const entry = out[key] ?? { original: null, value: normalizeSysctlValue(value), owners: [] }
      entry.owners.push(owner)
      out[key] = entry
    }
  }
  return out
}
