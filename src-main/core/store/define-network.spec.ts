import { describe, expect, it } from 'vitest'

import type { HostFacts } from '../model/host-facts'
import type { NetworkDef } from '../model/network'
import { parseNetworkXml } from '../xml/parse-network-xml'
import type { CompleteDefinitionInput } from './define-network'
import { completeDefinition, hostInterfaceNames, readDefinitionInput, withoutInterfaces } from './define-network'

const XML = `<network>
  <!-- keep me -->
  <name>lab</name>
  <forward mode='nat'/>
  <ip address='10.44.0.1' prefix='24'/>
</network>
`

function parsed(text: string): { def: NetworkDef; doc: NonNullable<CompleteDefinitionInput['doc']> } {
  const r = parseNetworkXml(text)
  if (!r.ok) throw new Error(JSON.stringify(r.problems))
  return { def: r.def, doc: r.doc }
}

const deps = (): Pick<CompleteDefinitionInput, 'newUuid' | 'newMac'> => {
  let n = 0
  let m = 0
  return { newUuid: () => `11111111-2222-4333-8444-00000000000${++n}`, newMac: () => `52:54:00:00:00:0${++m}` }
}

describe('readDefinitionInput', () => {
  it('parses XML and keeps its doc; copies a NetworkDef', () => {
    const r = readDefinitionInput(XML)
    expect(r.ok && r.def.name).toBe('lab')
    expect(r.ok && r.doc).toBeTruthy()
    const def: NetworkDef = { name: 'x', forward: { mode: 'none' }, ips: [] }
    const r2 = readDefinitionInput(def)
    expect(r2.ok && r2.def).toEqual(def)
    expect(r2.ok && r2.def).not.toBe(def)
  })
  it('refuses names that cannot be file names and XML that does not parse', () => {
    expect(readDefinitionInput({ name: 'a/b', forward: { mode: 'none' }, ips: [] })).toMatchObject({
      ok: false,
      problems: [{ field: 'name' }]
    })
    expect(readDefinitionInput('<network>')).toMatchObject({ ok: false })
  })
})

describe('completeDefinition', () => {
  it('fills UUID, MAC and bridge once and keeps the comments of the XML given', () => {
    const { def, doc } = parsed(XML)
    const r = completeDefinition({ def, doc, others: [], ...deps() })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.def).toMatchObject({
      uuid: '11111111-2222-4333-8444-000000000001',
      mac: '52:54:00:00:00:01',
      bridge: { name: 'virbr1' }
    })
    expect(r.xml).toContain('<!-- keep me -->')
    expect(r.xml.endsWith('\n')).toBe(true)
  })

  it("keeps the existing network's identity and comments when a NetworkDef redefines it", () => {
    const existing = parsed(completeOk({ ...parsed(XML), others: [], ...deps() }))
    const edit: NetworkDef = { ...structuredClone(existing.def), uuid: undefined, mac: undefined, bridge: undefined }
    edit.ips[0].address = '10.45.0.1'
    const r = completeDefinition({ def: edit, existing, others: [], newUuid: () => 'new', newMac: () => 'new' })
    expect(r.ok && r.def).toMatchObject({ uuid: existing.def.uuid, mac: existing.def.mac, bridge: { name: 'virbr1' } })
    expect(r.ok && r.xml).toContain('<!-- keep me -->')
    expect(r.ok && r.xml).toContain('10.45.0.1')
  })

  it('gives the default network virbr0 and fills bridge templates', () => {
    const def: NetworkDef = {
      name: 'default',
      forward: { mode: 'nat' },
      ips: [{ family: 'ipv4', address: '10.1.0.1', prefix: 24 }]
    }
    expect(completeDefinition({ def, others: [], ...deps() })).toMatchObject({
      ok: true,
      def: { bridge: { name: 'virbr0' } }
    })
    const tmpl: NetworkDef = { ...def, name: 'lab', bridge: { name: 'lab%d', stp: false } }
    const other: NetworkDef = {
      name: 'o',
      forward: { mode: 'none' },
      bridge: { name: 'lab0' },
      ips: [{ family: 'ipv4', address: '10.2.0.1', prefix: 24 }]
    }
    expect(completeDefinition({ def: tmpl, others: [other], ...deps() })).toMatchObject({
      ok: true,
      def: { bridge: { name: 'lab1', stp: false } }
    })
  })

  it('draws a new MAC when the first one is already another bridge\u2019s', () => {
    const other: NetworkDef = {
      name: 'o',
      forward: { mode: 'none' },
      bridge: { name: 'virbr1' },
      mac: '52:54:00:00:00:01',
      ips: []
    }
    const r = completeDefinition({ ...parsed(XML), others: [other], ...deps() })
    expect(r.ok && r.def.mac).toBe('52:54:00:00:00:02')
    expect(r.ok && r.def.bridge?.name).toBe('virbr2')
  })

  it("does not let a running network clash with its own bridge's address, but does with others'", () => {
    const existing = parsed(completeOk({ ...parsed(XML), others: [], ...deps() }))
    const running: HostFacts = {
      addresses: [{ ifname: 'virbr1', family: 4, address: '10.44.0.1', prefix: 24 }],
      routes: [{ family: 4, dst: '10.44.0.0/24', dev: 'virbr1', table: 'main' }]
    }
    expect(completeDefinition({ ...parsed(XML), existing, others: [], hostFacts: running, ...deps() }).ok).toBe(true)
    const lan: HostFacts = {
      addresses: [{ ifname: 'eth0', family: 4, address: '10.44.0.7', prefix: 24 }],
      routes: [{ family: 4, dst: '10.44.0.0/24', dev: 'eth0', table: 'main' }]
    }
    expect(completeDefinition({ ...parsed(XML), others: [], hostFacts: lan, ...deps() }).ok).toBe(false)
  })
})

describe('host interface helpers', () => {
  const facts: HostFacts = {
    addresses: [{ ifname: 'eth0', family: 4, address: '10.0.0.2', prefix: 24 }],
    routes: [
      { family: 4, dst: '10.0.0.0/24', dev: 'eth0', table: 'main' },
      { family: 4, dst: '10.9.0.0/16', dev: 'wg0', table: '51820' },
      { family: 4, dst: '0.0.0.0/0', table: 'main', type: 'unreachable' }
    ]
  }
  it('names every interface the host facts mention', () => {
    expect(hostInterfaceNames(facts)).toEqual(['eth0', 'wg0'])
    expect(hostInterfaceNames(undefined)).toEqual([])
  })
  it('drops the given interfaces only', () => {
    expect(withoutInterfaces(facts, ['eth0', undefined])).toEqual({ addresses: [], routes: facts.routes.slice(1) })
  })
})

function completeOk(input: CompleteDefinitionInput): string {
  const r = completeDefinition(input)
  if (!r.ok) throw new Error(JSON.stringify(r.problems))
  return r.xml
}
