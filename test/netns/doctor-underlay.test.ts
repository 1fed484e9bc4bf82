/**
 * The doctor's underlay check on a host of a spanning network (docs/several-hosts.md): with the
 * underlay as it should be it finds nothing; another nftables table dropping UDP 4789 on input, a
 * blackhole route to the peer and the underlay link down are each reported, and gone once undone.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { DoctorReport } from '../../src-main/doctor/model'
import { doctor, finding, inHost } from './doctor-support'
import { expectOk } from './support/guestnet-cli'
import { cliSkipReason } from './support/requirements'
import { createSpanHosts, underlayOf } from './support/span-world'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns doctor underlay tests skipped: ${skip}`)

const NAME = 'spandoc'
const PEER = underlayOf(2)

const XML = `<network>
  <name>${NAME}</name>
  <forward mode='nat'/>
  <bridge name='virbr15'/>
  <metadata>
    <gn:span xmlns:gn='urn:guestnet:network:1' vni='4343' underlay='${underlayOf(1)}' slice='1/2'><gn:peer address='${PEER}'/></gn:span>
  </metadata>
  <ip address='192.168.141.1' prefix='24'><dhcp><range start='192.168.141.10' end='192.168.141.99'/></dhcp></ip>
</network>
`

const underlayCheck = (r: DoctorReport): DoctorReport['checks'][number] | undefined =>
  r.checks.find((c) => c.check === 'underlay')
const problems = (r: DoctorReport): string[] =>
  r.findings.filter((f) => f.check === 'underlay' && f.severity !== 'info').map((f) => f.id)

describe.skipIf(skip !== null)(`doctor: the underlay of a spanning network${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World

  beforeAll(async () => {
    world = await createWorld()
    await createSpanHosts(world, 1)
    const file = join(world.dir, `${NAME}.xml`)
    await writeFile(file, XML)
    expectOk(await world.guestnet(['net-define', file]))
  }, 60_000)
  afterAll(async () => {
    await world?.guestnet(['net-undefine', NAME])
    await world?.dispose()
  })
  afterEach(async () => {
    await inHost(world, [
      'sh',
      '-c',
      `nft delete table inet hostfw 2>/dev/null; ip route del blackhole ${PEER}/32 2>/dev/null; ip link set lan0 up; true`
    ])
  })

  it('a healthy underlay: the check is ok (control)', async () => {
    const { report } = await doctor(world)
    expect(underlayCheck(report)?.status).toBe('ok')
    expect(problems(report)).toEqual([])
    // No <mtu> on a 1500 underlay: the guests get 1450, said as a note.
    expect(finding(report, `underlay/${NAME}-mtu`).severity).toBe('info')
  })

  it('another nftables table dropping UDP 4789 on input: named with the narrow accept', async () => {
    await inHost(world, [
      'nft',
      'add table inet hostfw; add chain inet hostfw input { type filter hook input priority 0; policy accept; }; add rule inet hostfw input udp dport 4789 drop'
    ])
    const { run, report } = await doctor(world)
    expect(run.code).toBe(1)
    expect(underlayCheck(report)?.status).toBe('problem')
    const f = finding(report, 'underlay/udp4789-nft-input-inet-hostfw-input')
    expect(f.severity).toBe('error')
    expect(f.advice).toContain(`nft insert rule inet hostfw input ip saddr { ${PEER} } udp dport 4789 accept`)
    // Its own advice, applied, clears it.
    await inHost(world, ['nft', `insert rule inet hostfw input ip saddr { ${PEER} } udp dport 4789 accept`])
    expect(problems((await doctor(world)).report)).toEqual([])
  })

  it('no route to the peer (a blackhole route), then the underlay link down', async () => {
    await inHost(world, ['ip', 'route', 'add', 'blackhole', `${PEER}/32`])
    const routed = (await doctor(world)).report
    expect(problems(routed)).toEqual([`underlay/${NAME}-peer-${PEER}`])
    await inHost(world, ['ip', 'route', 'del', 'blackhole', `${PEER}/32`])
    await inHost(world, ['ip', 'link', 'set', 'lan0', 'down'])
    const down = (await doctor(world)).report
    expect(problems(down)).toEqual([`underlay/${NAME}-address`])
    expect(finding(down, `underlay/${NAME}-address`).title).toContain('lan0')
  })
})
