/**
 * What the runtime directory holds, by network: journals (`KEY.json`), start intents
 * (`.KEY.starting.json`) and network directories (`KEY/`), keys read back to names
 * (core/store/network-key.ts). Entries that are no key of a valid name are not guestnet's and are
 * left out. Links are listed as files, so the record reader can refuse them (it never follows one).
 */
import { readdirSync } from 'node:fs'

import { nameOfFileKey } from '../../core/store/network-file-name'

export interface RuntimeEntries {
  /** name → the file name, for journals and intents. */
  journals: Map<string, string>
  intents: Map<string, string>
  dirs: string[]
}

export function runtimeEntries(dir: string): RuntimeEntries {
  const out: RuntimeEntries = { journals: new Map(), intents: new Map(), dirs: [] }
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return out
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      const name = nameOfFileKey(e.name)
      if (name !== null) out.dirs.push(name)
      continue
    }
    if (!e.isFile() && !e.isSymbolicLink()) continue
    const intent = /^\.(.+)\.starting\.json$/.exec(e.name)
    const key = intent ? intent[1] : e.name.endsWith('.json') && !e.name.startsWith('.') ? e.name.slice(0, -5) : null
    const name = key === null ? null : nameOfFileKey(key)
    if (name !== null) (intent ? out.intents : out.journals).set(name, e.name)
  }
  return out
}
