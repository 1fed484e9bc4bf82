/**
 * The `network:default-state` channel: the default network's history as the store records it
 * (`default-created`, `default-deleted.json`), so the app opens its first-run wizard only on a true
 * first run and never offers to set up again a default the user deleted on purpose.
 */
import { DEFAULT_NETWORK_NAME } from '../../core/store/default-network'
import type { StoreLayout } from '../../core/store/store-layout'
import { networkFile } from '../../core/store/store-layout'
import type { ChannelOutput } from '../../contract/ipc-contract'
import { pathExists } from '../../store/atomic-file'
import { isDefaultCreated, readDeletedDefaultUuid } from '../../store/default-records'
import { StoreError } from '../../store/store-error'

export type DefaultState = ChannelOutput<'network:default-state'>

export interface DefaultRecords {
  /** `networks/default.xml` exists. */
  exists: boolean
  /** `default-created` exists. */
  created: boolean
  /** The UUID in `default-deleted.json`, or null when there is no such file. */
  deletedUuid: string | null
  /** `default-deleted.json` exists but cannot be read: it still says the default was deleted. */
  deletedRecordCorrupt: boolean
}

/** The same rule as the store's first-run step: a deleted-default record also proves it was created once. */
export function defaultStateOf(r: DefaultRecords): DefaultState {
  const everMade = r.created || r.deletedUuid !== null || r.deletedRecordCorrupt
  return {
    exists: r.exists,
    created: r.created,
    defaultDeleted: !r.exists && everMade,
    deletedUuid: r.exists ? null : r.deletedUuid
  }
}

export async function readDefaultRecords(layout: StoreLayout): Promise<DefaultRecords> {
  const [exists, created, deleted] = await Promise.all([
    pathExists(networkFile(layout, DEFAULT_NETWORK_NAME)),
    isDefaultCreated(layout),
    readDeletedDefaultUuid(layout).then(
      (uuid) => ({ uuid: uuid ?? null, corrupt: false }),
      (e: unknown) => {
        // Unreadable for another reason (permissions, I/O): say so rather than guess either way.
        if (!(e instanceof StoreError && e.code === 'DEFAULT_RECORD_CORRUPT')) throw e
        return { uuid: null, corrupt: true }
      }
    )
  ])
  return { exists, created, deletedUuid: deleted.uuid, deletedRecordCorrupt: deleted.corrupt }
}
