/**
 * When the app first saw each guest (MAC → Unix seconds), per network: the app's own state, kept in
 * one small JSON file per network under a directory the app owns (Electron's userData), or in
 * memory when it has none (tests, the GUI harness). Dnsmasq's lease file cannot tell: it keeps
 * only the expiry of the last renewal.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface FirstSeenStore {
  read(network: string): Promise<Record<string, number>>
  write(network: string, record: Record<string, number>): Promise<void>
}

export function memoryFirstSeen(): FirstSeenStore {
  const records = new Map<string, Record<string, number>>()
  return {
    read: async (network) => ({ ...(records.get(network) ?? {}) }),
    write: async (network, record) => void records.set(network, { ...record })
  }
}

/** Only numbers under MAC-like keys survive a read: the file is the app's own, but may be damaged. */
function cleanRecord(raw: unknown): Record<string, number> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {}
  return Object.fromEntries(
    Object.entries(raw).filter(
      (kv): kv is [string, number] => /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(kv[0]) && Number.isInteger(kv[1])
    )
  )
}

export function fileFirstSeen(dir: string): FirstSeenStore {
  // Network names are the store's (letters, digits, . _ -); encoded anyway so no name leaves `dir`.
  const fileOf = (network: string): string => join(dir, `${encodeURIComponent(network)}.json`)
  return {
    async read(network) {
      try {
        return cleanRecord(JSON.parse(await readFile(fileOf(network), 'utf8')))
      } catch {
        return {}
      }
    },
    async write(network, record) {
      await mkdir(dir, { recursive: true, mode: 0o700 })
      const tmp = `${fileOf(network)}.${process.pid}.tmp`
      await writeFile(tmp, JSON.stringify(record), { mode: 0o600 })
      await rename(tmp, fileOf(network))
    }
  }
}
