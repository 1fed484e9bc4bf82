/**
 * libvirt's own test networks (test/conformance/libvirt) that guestnet can read must also pass
 * validation: the rules may be stricter than libvirt only where guestnet means to be.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

import { describe, expect, it } from 'vitest'

import { parseNetworkXml } from '../xml/parse-network-xml'
import { validateNetwork } from './validate-network'

const ROOT = process.env.GUESTNET_LIBVIRT_CORPUS ?? resolve(__dirname, '../../../test/conformance/libvirt')
const DIRS = [
  'networkxml2confdata',
  'networkxml2xmlin',
  'networkxml2xmlout',
  'networkxml2firewalldata',
  'default-network'
]

/**
 * Refused on purpose: guestnet cannot isolate the ports of a host's bridge it does not manage (its
 * uplink is a port too).
 */
const REFUSED: Record<string, string> = {
  'isolated-ports.xml': 'port.isolated'
}

function files(): string[] {
  return DIRS.flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.xml') || f.endsWith('.xml.in'))
      .map((f) => join(dir, f))
  )
}

describe('validateNetwork on libvirt test data', () => {
  const readable = files().filter((f) => parseNetworkXml(readFileSync(join(ROOT, f), 'utf8')).ok)

  it('has readable cases to check', () => {
    expect(readable.length).toBeGreaterThan(40)
  })

  it.each(readable)('%s', (file) => {
    const parsed = parseNetworkXml(readFileSync(join(ROOT, file), 'utf8'))
    if (!parsed.ok) throw new Error('unreadable')
    const problems = validateNetwork(parsed.def)
    const refused = REFUSED[file.slice(file.indexOf('/') + 1)]
    if (refused) expect(problems.map((p) => p.field)).toEqual([refused])
    else expect(problems).toEqual([])
  })
})
