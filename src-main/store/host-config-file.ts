/**
 * `host.json` on disk: made once (with a fresh ULA /48) and then only read; a file guestnet
 * cannot read is reported and left alone, never replaced, since that would change the ULA.
 */
import { ulaPrefixFromRandom } from '../core/address/ula'
import type { HostConfig } from '../core/store/host-config'
import { formatHostConfig, parseHostConfig, rangePoolProblem } from '../core/store/host-config'
import type { StoreLayout } from '../core/store/store-layout'
import { readTextIfExists, writeFileAtomic } from './atomic-file'
import { StoreError } from './store-error'

export type RandomBytes = (size: number) => Uint8Array

/** The host config, or null when `host.json` does not exist; throws when it is corrupt. */
export async function readHostConfig(layout: StoreLayout): Promise<HostConfig | null> {
  const text = await readTextIfExists(layout.hostConfigFile)
  if (text === null) return null
  const parsed = parseHostConfig(text)
  if (!parsed.ok) throw corrupt(layout.hostConfigFile, parsed.message)
  return parsed.config
}

/** Reads `host.json`, creating it with a new RFC 4193 ULA /48 (40 random bits) the first time. */
export async function loadOrCreateHostConfig(layout: StoreLayout, randomBytes: RandomBytes): Promise<HostConfig> {
  const existing = await readHostConfig(layout)
  if (existing) return existing
  const config: HostConfig = { ula: ulaPrefixFromRandom(randomBytes(5)) }
  await writeFileAtomic(layout.hostConfigFile, formatHostConfig(config))
  return config
}

/**
 * Sets (or with `undefined` clears, back to suggestRange's built-in pool) the IPv4 range pool.
 * Keys guestnet does not know are kept as the admin wrote them.
 */
export async function setRangePool(
  layout: StoreLayout,
  pool: string[] | undefined,
  randomBytes: RandomBytes
): Promise<HostConfig> {
  if (pool !== undefined) {
    const problem = rangePoolProblem(pool)
    if (problem)
      throw new StoreError('INVALID', `range pool: ${problem}`, {
        file: layout.hostConfigFile,
        fix: 'give IPv4 blocks such as 10.0.0.0/8 or 172.16.0.0/12'
      })
  }
  const config = await loadOrCreateHostConfig(layout, randomBytes)
  const raw = JSON.parse((await readTextIfExists(layout.hostConfigFile)) ?? '{}') as Record<string, unknown>
  if (pool === undefined) delete raw.rangePool
  else raw.rangePool = pool
  await writeFileAtomic(layout.hostConfigFile, `${JSON.stringify(raw, null, 2)}\n`)
  const next: HostConfig = { ula: config.ula }
  if (pool !== undefined) next.rangePool = pool
  return next
}

function corrupt(file: string, message: string): StoreError {
  return new StoreError('HOST_CONFIG_CORRUPT', `${file} is not usable: ${message}`, {
    file,
    fix:
      'fix the file, or remove it to have guestnet make a new one ' +
      '(with a new ULA prefix: existing networks keep their IPv6 subnets, new ones get subnets of the new prefix)'
  })
}
