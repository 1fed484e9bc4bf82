/**
 * Reading `networks/*.xml`. Every file becomes an entry: `ok` with its definition, or `broken`
 * with the reason. A broken file is never rewritten or removed here and never stops the others
 * from loading: the admin fixes it, guestnet only reports it.
 */
import { readTextNoFollow, UnsafePathError } from './safe-fs'
import { readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'

import type { NetworkDef } from '../core/model/network'
import { formatProblem } from '../core/model/problem'
import { compareNames } from '../core/store/autostart-order'
import type { NetworkXmlDoc } from '../core/store/define-network'
import { classifyNetworkFile, nameOfFileKey } from '../core/store/network-file-name'
import { networkKey } from '../core/store/network-key'
import type { StoreLayout } from '../core/store/store-layout'
import { validateNetwork } from '../core/validate/validate-network'
import { parseNetworkXml } from '../core/xml/parse-network-xml'
import { isNotFound } from './atomic-file'

export interface OkNetworkEntry {
  name: string
  state: 'ok'
  def: NetworkDef
  /** The file's text, exactly as stored. */
  xml: string
  autostart: boolean
  file: string
}

export interface BrokenNetworkEntry {
  name: string
  state: 'broken'
  /** What is wrong and what to do about it. */
  reason: string
  file: string
  autostart: boolean
}

export type NetworkEntry = OkNetworkEntry | BrokenNetworkEntry

/** An entry plus, for a valid file, its parsed document (to keep its comments on redefine). */
export interface LoadedNetwork {
  entry: NetworkEntry
  doc?: NetworkXmlDoc
}

/** Every network file, sorted by name; `[]` when the directory does not exist yet. */
export async function loadAllNetworks(layout: StoreLayout): Promise<LoadedNetwork[]> {
  const [fileNames, autostart] = await Promise.all([readDirIfExists(layout.networksDir), readAutostartNames(layout)])
  const loaded: LoadedNetwork[] = []
  for (const fileName of fileNames) {
    const kind = classifyNetworkFile(fileName)
    if (kind.kind === 'ignore') continue
    const file = join(layout.networksDir, fileName)
    if (kind.kind === 'invalid') {
      loaded.push(
        broken(
          kind.name,
          file,
          autostart.has(kind.name),
          `the file name is not a valid network name (${kind.reason}): rename or remove the file`
        )
      )
      continue
    }
    const one = await loadNetworkFile(file, kind.name, autostart.has(kind.name))
    if (one) loaded.push(one)
  }
  return loaded.sort((a, b) => compareNames(a.entry.name, b.entry.name))
}

/** A network definition is a few kilobytes; a file far larger is not one (and is not read whole). */
const MAX_NETWORK_FILE_BYTES = 1024 * 1024

/** One network file; null when it does not exist. */
export async function loadNetworkFile(file: string, name: string, autostart: boolean): Promise<LoadedNetwork | null> {
  let xml: string | null
  try {
    xml = readTextNoFollow(file, MAX_NETWORK_FILE_BYTES)
  } catch (e) {
    if (e instanceof UnsafePathError)
      return broken(name, file, autostart, `${e.message}: replace it with the network XML or remove it`)
    return broken(name, file, autostart, `cannot be read (${(e as Error).message}): check its permissions`)
  }
  if (xml === null) return null
  const parsed = parseNetworkXml(xml)
  if (!parsed.ok) {
    return broken(
      name,
      file,
      autostart,
      `not valid network XML: ${parsed.problems.map(formatProblem).join('; ')}. Fix the file or remove it`
    )
  }
  if (parsed.def.name !== name) {
    return broken(
      name,
      file,
      autostart,
      `the file says <name>${parsed.def.name}</name> but is named ${basename(file)}: rename the file to ${networkKey(parsed.def.name)}.xml or change <name> to ${name}`
    )
  }
  const problems = validateNetwork(parsed.def)
  if (problems.length > 0) {
    return broken(
      name,
      file,
      autostart,
      `not a valid network: ${problems.map(formatProblem).join('; ')}. Fix the file or remove it`
    )
  }
  return { entry: { name, state: 'ok', def: parsed.def, xml, autostart, file }, doc: parsed.doc }
}

/** Names with an autostart mark (whether or not the network exists). */
export async function readAutostartNames(layout: StoreLayout): Promise<Set<string>> {
  const names = await readDirIfExists(layout.autostartDir)
  return new Set(names.flatMap((key) => nameOfFileKey(key) ?? []))
}

async function readDirIfExists(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (e) {
    if (isNotFound(e)) return []
    throw e
  }
}

function broken(name: string, file: string, autostart: boolean, reason: string): LoadedNetwork {
  return { entry: { name, state: 'broken', reason, file, autostart } }
}
