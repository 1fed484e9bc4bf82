/**
 * The default network's history in the state directory: `default-created` (it was made once,
 * so it is never made again) and `default-deleted.json` (the deleted default's UUID, for restore).
 */
import type { StoreLayout } from '../core/store/store-layout'
import { pathExists, readTextIfExists, removeFileDurable, writeFileAtomic } from './atomic-file'
import { StoreError } from './store-error'

export async function isDefaultCreated(layout: StoreLayout): Promise<boolean> {
  return pathExists(layout.defaultCreatedFile)
}

export async function markDefaultCreated(layout: StoreLayout, now: Date): Promise<void> {
  await writeFileAtomic(
    layout.defaultCreatedFile,
    `# guestnet created the default network once, on ${now.toISOString()}; it is not created again.\n`
  )
}

/** The deleted default's UUID; undefined when none is recorded. Throws when the record is corrupt. */
export async function readDeletedDefaultUuid(layout: StoreLayout): Promise<string | undefined> {
  const file = layout.defaultDeletedFile
  const text = await readTextIfExists(file)
  if (text === null) return undefined
  let uuid: unknown
  try {
    uuid = (JSON.parse(text) as { uuid?: unknown } | null)?.uuid
  } catch {
    uuid = undefined
  }
  if (typeof uuid !== 'string' || uuid === '') {
    throw new StoreError('DEFAULT_RECORD_CORRUPT', `${file} is not usable: expected {"uuid": "…"}`, {
      file,
      fix: 'fix the file, or remove it (a restored default network then gets a new UUID)'
    })
  }
  return uuid
}

export async function writeDeletedDefault(layout: StoreLayout, uuid: string): Promise<void> {
  await writeFileAtomic(layout.defaultDeletedFile, `${JSON.stringify({ uuid }, null, 2)}\n`)
}

export async function clearDeletedDefault(layout: StoreLayout): Promise<void> {
  await removeFileDurable(layout.defaultDeletedFile)
}
