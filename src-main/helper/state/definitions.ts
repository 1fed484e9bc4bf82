/**
 * The stored definitions, as the start path needs them, without loading the XML parser when nothing
 * changed. Every `networks/NAME.xml` is read; a definition is taken from the cache
 * (`<runtimeDir>/.definitions.cache`) only when the cache holds exactly the same bytes for that name,
 * parsed and checked by this helper before. Any other file goes through the store's own loader
 * (parse, name check, validation), and the cache is rewritten. The cache is trusted only as far as
 * the journal is: a regular file in the helper's root-owned runtime directory, owned by the helper's
 * user and writable by no one else, written only here (atomically). Comparing the exact text, not a
 * hash, needs no crypto module and cannot collide. Every start still re-validates the definition
 * against the other networks and the live host.
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync } from 'node:fs'
import { constants } from 'node:fs'

import type { NetworkDef } from '../../core/model/network'
import { compareNames } from '../../core/store/autostart-order'
import { classifyNetworkFile } from '../../core/store/network-file-name'
import type { StoreLayout } from '../../core/store/store-layout'
import { errnoCode, writeFileAtomicSync } from '../../store/safe-fs'

export type StoredDefinition =
  | { name: string; state: 'ok'; def: NetworkDef; file: string }
  | { name: string; state: 'broken'; reason: string; file: string }

interface CacheFile {
  version: 1
  /** name → the file's exact text and the definition parsed from it. */
  entries: Record<string, { xml: string; def: NetworkDef }>
}

const VERSION = 1
const MAX_CACHE_BYTES = 16 * 1024 * 1024

/**
 * Loads one file the slow way: the store's loader (XML parser, name check, validation). `xml` is the
 * exact text a valid definition was parsed from (what the cache keeps with it).
 */
export type SlowLoader = (file: string, name: string) => Promise<{ entry: StoredDefinition; xml?: string } | null>

export interface LoadDefinitionsOptions {
  layout: StoreLayout
  cacheFile: string
  /** The uid the cache must belong to (the helper's own: root). */
  uid: number
  slowLoad?: SlowLoader
}

const storeLoader: SlowLoader = async (file, name) => {
  const { loadNetworkFile } = await import('../../store/network-files')
  const loaded = await loadNetworkFile(file, name, false)
  if (loaded === null) return null
  const e = loaded.entry
  return e.state === 'ok'
    ? { entry: { name, state: 'ok', def: e.def, file }, xml: e.xml }
    : { entry: { name, state: 'broken', reason: e.reason, file } }
}

/** The cache's entries, or none when it is missing, not ours, not private, or not what we write. */
export function readCache(path: string, uid: number): CacheFile['entries'] {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW)
  } catch {
    return {}
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile() || st.uid !== uid || (st.mode & 0o022) !== 0 || st.size > MAX_CACHE_BYTES) return {}
    const parsed = JSON.parse(readFileSync(fd, 'utf8')) as Partial<CacheFile> | null
    if (parsed?.version !== VERSION || typeof parsed.entries !== 'object' || parsed.entries === null) return {}
    return parsed.entries
  } catch {
    return {}
  } finally {
    closeSync(fd)
  }
}

function readNetworkFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return []
    throw e
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    // gone, unreadable or not a file: the store's loader reports it the way it always does
    return null
  }
}

/** Every network file, valid or broken, sorted like the store lists them (code-unit order). */
export async function loadDefinitions(opts: LoadDefinitionsOptions): Promise<StoredDefinition[]> {
  const slowLoad = opts.slowLoad ?? storeLoader
  const cached = readCache(opts.cacheFile, opts.uid)
  // No prototype: a network may be named like an Object.prototype key.
  const next: CacheFile['entries'] = Object.create(null) as CacheFile['entries']
  let changed = false
  const out: StoredDefinition[] = []
  for (const fileName of readNetworkFiles(opts.layout.networksDir)) {
    const kind = classifyNetworkFile(fileName)
    if (kind.kind === 'ignore') continue
    const file = `${opts.layout.networksDir}/${fileName}`
    if (kind.kind === 'invalid') {
      out.push({
        name: kind.name,
        state: 'broken',
        reason: `the file name is not a valid network name (${kind.reason}): rename or remove the file`,
        file
      })
      continue
    }
    const { name } = kind
    const xml = readText(file)
    const hit = xml !== null && Object.hasOwn(cached, name) ? cached[name] : undefined
    if (hit && hit.xml === xml) {
      next[name] = hit
      out.push({ name, state: 'ok', def: hit.def, file })
      continue
    }
    const loaded = await slowLoad(file, name)
    if (loaded === null) continue
    out.push(loaded.entry)
    // Cached with the exact text the loader parsed it from (not ours: the file may have changed since).
    if (loaded.entry.state === 'ok' && loaded.xml !== undefined) {
      next[name] = { xml: loaded.xml, def: loaded.entry.def }
      changed = true
    }
  }
  if (changed || Object.keys(cached).some((n) => !Object.hasOwn(next, n))) {
    try {
      writeFileAtomicSync(
        opts.cacheFile,
        JSON.stringify({ version: VERSION, entries: next } satisfies CacheFile),
        0o600
      )
    } catch {
      // a cache that cannot be written only costs the next start its speed
    }
  }
  return out.sort((a, b) => compareNames(a.name, b.name))
}
