/**
 * Which guestnet networks need a sysctl, and the value it had before the first of them changed it.
 * `@sysctl` joins a key's owners (recording the original value the first time); `@sysctl-restore`
 * leaves, and the last owner to leave puts the original value back, but only if the value is still
 * the one we set (an admin's later change wins). So ip_forward stays on while any guestnet
 * network runs, and is turned off again only if guestnet turned it on.
 * Pure decisions here; the file lives in the runtime directory (see helper-paths.ts).
 */

export interface LedgerEntry {
  /** The value before guestnet first changed it. */
  original: string
  /** The value guestnet set. */
  value: string
  /** Networks that need it, in the order they came. */
  owners: string[]
}

export type Ledger = Record<string, LedgerEntry>

/** `1\n` → `1`; `4096\t87380\t6291456` → `4096 87380 6291456`. */
export function normalizeSysctlValue(text: string): string {
  return text.trim().split(/\s+/).join(' ')
}

export interface AcquireDecision {
  ledger: Ledger
  /** Write `value` to the sysctl (false when it already holds it). */
  write: boolean
}

export function acquireSysctl(
  ledger: Ledger,
  key: string,
  network: string,
  current: string,
  value: string
): AcquireDecision {
  const cur = normalizeSysctlValue(current)
  const want = normalizeSysctlValue(value)
  const old = ledger[key]
  const entry: LedgerEntry = old
    ? { ...old, value: want, owners: old.owners.includes(network) ? [...old.owners] : [...old.owners, network] }
    : { original: cur, value: want, owners: [network] }
  return { ledger: { ...ledger, [key]: entry }, write: cur !== want }
}

export interface ReleaseDecision {
  ledger: Ledger
  /** The value to write back, or null to leave the sysctl alone. */
  restore: string | null
}

export function releaseSysctl(ledger: Ledger, key: string, network: string, current: string | null): ReleaseDecision {
  const entry = ledger[key]
  if (!entry || !entry.owners.includes(network)) return { ledger, restore: null }
  const owners = entry.owners.filter((o) => o !== network)
  if (owners.length > 0) return { ledger: { ...ledger, [key]: { ...entry, owners } }, restore: null }
  const rest = { ...ledger }
  delete rest[key]
  const cur = current === null ? null : normalizeSysctlValue(current)
  // null: the key is gone (a per-bridge sysctl after the bridge went): nothing to put back.
  const restore = cur !== null && cur === entry.value && cur !== entry.original ? entry.original : null
  return { ledger: rest, restore }
}

/** (key, network) pairs whose network no longer runs (a crash): reconcile releases each. */
export function staleOwners(
  ledger: Ledger,
  isRunning: (network: string) => boolean
): Array<{ key: string; network: string }> {
  const out: Array<{ key: string; network: string }> = []
  for (const [key, entry] of Object.entries(ledger)) {
    for (const network of entry.owners) if (!isRunning(network)) out.push({ key, network })
  }
  return out
}

export function parseLedger(text: string): Ledger {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return {}
  }
  const entries = (raw as { entries?: unknown } | null)?.entries
  if (typeof entries !== 'object' || entries === null) return {}
  const out: Ledger = {}
  for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
    const e = value as Partial<LedgerEntry> | null
    if (
      e &&
      typeof e.original === 'string' &&
      typeof e.value === 'string' &&
      Array.isArray(e.owners) &&
      e.owners.every((o) => typeof o === 'string')
    ) {
      out[key] = { original: e.original, value: e.value, owners: [...e.owners] }
    }
  }
  return out
}

export function formatLedger(ledger: Ledger): string {
  return `${JSON.stringify({ version: 1, entries: ledger }, null, 2)}\n`
}
