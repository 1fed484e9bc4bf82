/**
 * MTU and MSS follow the uplink. The host's uplink has MTU 1280 (a tunnel) and a server sits one
 * router further on a 1500 link; that router drops the ICMP "fragmentation needed" it would send (a
 * PMTU black hole). Guests keep MTU 1500 (the DHCP script records option 26 but does not apply it),
 * so only guestnet's MSS clamp stands between them and the black hole. The control removes the clamp
 * rules from the running network's table and shows the same download stall; then the uplink's MTU
 * changes and the running network follows it.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { WatchLine } from '../../src-main/cli/verbs/watch'
import { nftTableName } from '../../src-main/core/plan/nft-names'
import { expectOk } from './support/guestnet-cli'
import type { Guest } from './support/guest'
import type { NarrowPath } from './support/narrow-path'
import { BIG_FILE_BYTES, buildNarrowPath, SERVER4 } from './support/narrow-path'
import { writeNetworkXml } from './support/network-xml'
import { startWatch } from './support/watch-process'
import { cliSkipReason } from './support/requirements'
import type { World } from './support/world'
import { createWorld } from './support/world'

const skip = cliSkipReason()
if (skip) console.warn(`netns MTU tests skipped: ${skip}`)

const NET = {
  name: 'mtunet',
  bridge: 'virbr31',
  mode: 'nat',
  ipv4: '192.168.171.1/24',
  ipv6: 'fd42:171:0:1::1/64'
} as const
const TABLE = nftTableName(NET.name)
const MSS_PORT = 9000
/** Long enough for 1 MB through veths many times over; a black-holed download never ends. */
const DOWNLOAD_TIMEOUT_S = 8

interface Download {
  ok: boolean
  bytes: number
  ms: number
}

describe.skipIf(skip !== null)(`MTU and MSS follow the uplink${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let world: World
  let path: NarrowPath
  let guest: Guest

  const download = async (name: string): Promise<Download> => {
    const file = join(world.dir, `download-${name}`)
    const run = await world.x.inNs(guest.ns, ['busybox', 'wget', '-q', '-O', file, path.bigUrl], {
      allowFail: true,
      timeoutMs: DOWNLOAD_TIMEOUT_S * 1000
    })
    let bytes = 0
    try {
      bytes = statSync(file).size
    } catch {
      // nothing arrived
    }
    return { ok: run.code === 0, bytes, ms: run.ms }
  }

  const post = async (bytes: number): Promise<string | null> => {
    const file = join(world.dir, `post-${bytes}`)
    writeFileSync(file, Buffer.alloc(bytes, 'p'))
    const run = await world.x.inNs(guest.ns, ['busybox', 'wget', '-q', '-O', '-', '--post-file', file, path.postUrl], {
      allowFail: true,
      timeoutMs: DOWNLOAD_TIMEOUT_S * 1000
    })
    return run.code === 0 ? run.stdout.trim() : null
  }

  /** The MSS the server uses towards the guest (`mss:` of `ss -ti`), from one connection the guest opens. */
  const serverSideMss = async (): Promise<number> => {
    const listener = world.spawn(['ip', 'netns', 'exec', path.server, 'busybox', 'nc', '-l', '-p', String(MSS_PORT)])
    try {
      await new Promise((r) => setTimeout(r, 200))
      const client = world.x.inNs(guest.ns, ['busybox', 'sh', '-c', `sleep 2 | busybox nc ${SERVER4} ${MSS_PORT}`], {
        allowFail: true,
        timeoutMs: 5000
      })
      let mss: number | null = null
      for (let i = 0; i < 30 && mss === null; i++) {
        await new Promise((r) => setTimeout(r, 100))
        const ss = await world.x.inNs(path.server, ['ss', '-tinH', 'state', 'established', `sport = :${MSS_PORT}`], {
          allowFail: true
        })
        const m = /\bmss:(\d+)/.exec(ss.stdout)
        if (m) mss = Number(m[1])
      }
      await client
      if (mss === null) throw new Error('the guest never connected to the server')
      return mss
    } finally {
      listener.kill()
    }
  }

  const clampHandles = async (): Promise<number[]> => {
    const listed = await world.x.inNs(world.host, ['nft', '-a', 'list', 'chain', 'inet', TABLE, 'forward'])
    return [...listed.stdout.matchAll(/maxseg size set rt mtu # handle (\d+)/g)].map((m) => Number(m[1]))
  }

  beforeAll(async () => {
    world = await createWorld()
    path = await buildNarrowPath(world, 1280)
    const file = await writeNetworkXml(world.dir, NET)
    expectOk(await world.guestnet(['net-define', file]))
    expectOk(await world.guestnet(['net-start', NET.name]))
    guest = await world.addGuest({ bridge: NET.bridge, name: 'narrow' })
  })
  afterAll(async () => {
    await world?.guestnet(['net-destroy', NET.name])
    await world?.dispose()
  })

  it("announces the uplink's MTU (1280): DHCP option 26 and the RA MTU option; the guest's link stays 1500", async () => {
    const { lease } = await guest.dhcp()
    expect(lease.mtu).toBe(1280)
    await guest.slaac('fd42:171:0:1:')
    const ra = await world.x.inNs(guest.ns, ['busybox', 'sysctl', '-n', 'net.ipv6.conf.eth0.mtu'])
    expect(ra.stdout.trim()).toBe('1280')
    const link = await world.x.ipJson<{ mtu: number }[]>(guest.ns, ['link', 'show', 'dev', 'eth0'])
    expect(link[0].mtu).toBe(1500)
    const info = expectOk(await world.guestnet(['net-info', NET.name]))
    expect(info.stdout).toMatch(/MTU:?\s+1280 \(the uplink's, announced to guests\)/)
  })

  it('clamps the MSS of a forwarded SYN to the uplink (1280 − 40), where the guest offered 1460', async () => {
    const mss = await serverSideMss()
    console.info(`server-side MSS with the clamp: ${mss} (the guest's own would be 1448 with timestamps)`)
    // 1240, less 12 bytes of TCP timestamps
    expect(mss).toBeLessThanOrEqual(1240)
    expect(mss).toBeGreaterThanOrEqual(1200)
  })

  it('through a PMTU black hole, a 1 MB download and a 4 kB POST from a 1500-MTU guest complete', async () => {
    await path.blackHole(true)
    const got = await download('clamped')
    console.info(
      `1 MB through the black hole, clamped: ${got.ok ? 'complete' : 'FAILED'}, ${got.bytes} bytes in ${got.ms.toFixed(0)} ms`
    )
    expect(got).toMatchObject({ ok: true, bytes: BIG_FILE_BYTES })
    expect(await post(4096)).toBe('4096')
  })

  it('control: the same network without its clamp rules stalls in the black hole (and works without the black hole)', async () => {
    const handles = await clampHandles()
    expect(handles).toHaveLength(2)
    for (const h of handles) {
      await world.x.inNs(world.host, ['nft', 'delete', 'rule', 'inet', TABLE, 'forward', 'handle', String(h)])
    }
    try {
      const mss = await serverSideMss()
      console.info(`server-side MSS without the clamp: ${mss}`)
      expect(mss).toBeGreaterThan(1240)
      const stalled = await download('unclamped')
      console.info(
        `1 MB through the black hole, unclamped: ${stalled.ok ? 'complete' : 'stalled'}, ${stalled.bytes} bytes after ${stalled.ms.toFixed(0)} ms`
      )
      expect(stalled.ok).toBe(false)
      expect(stalled.bytes).toBeLessThan(BIG_FILE_BYTES)
      // The guest's own upload still works: the host itself tells the guest its packets are too big.
      expect(await post(4096)).toBe('4096')
      await path.blackHole(false)
      const open = await download('unclamped-no-black-hole')
      expect(open).toMatchObject({ ok: true, bytes: BIG_FILE_BYTES })
    } finally {
      await path.blackHole(true)
      for (const side of ['oifname', 'iifname']) {
        await world.x.inNs(world.host, [
          'nft',
          'insert',
          'rule',
          'inet',
          TABLE,
          'forward',
          side,
          NET.bridge,
          'tcp',
          'flags',
          'syn',
          'tcp',
          'option',
          'maxseg',
          'size',
          'set',
          'rt',
          'mtu'
        ])
      }
    }
    expect(await clampHandles()).toHaveLength(2)
    expect((await download('clamped-again')).bytes).toBe(BIG_FILE_BYTES)
  })

  it('follows an uplink MTU change live: dnsmasq restarted once, the lease kept, the next renewal and RA carry 1420', async () => {
    const before = guest.lease
    const runDir = join(world.root, 'run', 'guestnet')
    const pidBefore = Number(readFileSync(join(runDir, NET.name, 'dnsmasq.pid'), 'utf8'))
    await path.setUplinkMtu(1420)
    const run = expectOk(await world.guestnet(['net-follow-uplink', '--json']))
    const value = JSON.parse(run.stdout) as {
      uplink: { mtu: number; dev: string } | null
      networks: {
        network: string
        announced: number | null
        previous: number | null
        changed: boolean
        dnsmasqPid: number | null
      }[]
    }
    console.info(`net-follow-uplink 1280 -> 1420: ${run.ms.toFixed(0)} ms`)
    expect(value.uplink).toMatchObject({ mtu: 1420, dev: 'uplink0' })
    expect(value.networks).toEqual([
      expect.objectContaining({ network: NET.name, announced: 1420, previous: 1280, changed: true })
    ])
    const conf = await world.x.inNs(world.host, [
      'busybox',
      'cat',
      `${world.root}/run/guestnet/${NET.name}/dnsmasq.conf`
    ])
    expect(conf.stdout).toContain('dhcp-option=26,1420\n')
    const pidAfter = value.networks[0].dnsmasqPid
    expect(pidAfter).not.toBeNull()
    expect(pidAfter).not.toBe(pidBefore)
    const journal = JSON.parse(readFileSync(join(runDir, `${NET.name}.json`), 'utf8')) as { dnsmasq: { pid: number } }
    expect(journal.dnsmasq.pid).toBe(pidAfter)

    expect(expectOk(await world.guestnet(['net-info', NET.name])).stdout).toMatch(/MTU:?\s+1420 /)
    const { lease } = await guest.dhcp()
    expect(lease.mtu).toBe(1420)
    expect(lease.ip).toBe(before?.ip)
    const raStart = performance.now()
    let raMtu = ''
    while (performance.now() - raStart < 15_000 && raMtu !== '1420') {
      raMtu = (await world.x.inNs(guest.ns, ['busybox', 'sysctl', '-n', 'net.ipv6.conf.eth0.mtu'])).stdout.trim()
      if (raMtu !== '1420') await new Promise((r) => setTimeout(r, 250))
    }
    console.info(`RA MTU 1420 reached the guest ${(performance.now() - raStart).toFixed(0)} ms after the renewal`)
    expect(raMtu).toBe('1420')
    const mss = await serverSideMss()
    expect(mss).toBeGreaterThan(1240)
    expect(mss).toBeLessThanOrEqual(1380)

    // Again: nothing changed, nothing restarted.
    const again = JSON.parse(
      expectOk(await world.guestnet(['net-follow-uplink', NET.name, '--json'])).stdout
    ) as typeof value
    expect(again.networks[0]).toMatchObject({
      changed: false,
      announced: 1420,
      dnsmasqPid: value.networks[0].dnsmasqPid
    })
  })

  it("an uplink back at 1500 announces nothing again (libvirt's configuration)", async () => {
    await path.setUplinkMtu(1500)
    const value = JSON.parse(expectOk(await world.guestnet(['net-follow-uplink', '--json'])).stdout) as {
      networks: { announced: number | null; previous: number | null; changed: boolean }[]
    }
    expect(value.networks[0]).toMatchObject({ announced: null, previous: 1420, changed: true })
    const { lease } = await guest.dhcp()
    expect(lease.mtu).toBeUndefined()
    expect(expectOk(await world.guestnet(['net-info', NET.name])).stdout).toMatch(/MTU:?\s+1500 \(Ethernet default\)/)
  })

  it('guestnet watch --follow-uplink follows an MTU change by itself (ip monitor sees the link)', async () => {
    const watch = await startWatch(world.root, world.host, ['--follow-uplink'])
    try {
      type MtuLine = Extract<WatchLine, { type: 'uplink-mtu' }>
      const isMtu = (l: WatchLine): l is MtuLine => l.type === 'uplink-mtu'
      const first = await watch.waitForLine(isMtu)
      expect(first.changed).toEqual([])
      const from = watch.lines.length
      const t0 = performance.now()
      await path.setUplinkMtu(1400)
      const line = await watch.waitForLine((l): l is MtuLine => isMtu(l) && l.changed.length > 0, from)
      console.info(
        `watch --follow-uplink: uplink MTU 1500 -> 1400 announced ${(performance.now() - t0).toFixed(0)} ms after the change`
      )
      expect(line.changed).toEqual([NET.name])
      const change = watch.lines
        .slice(from)
        .find((l): l is Extract<WatchLine, { type: 'change' }> => l.type === 'change')
      expect(change?.added).toContain('uplink mtu 1400 on uplink0 (table main)')
      const { lease } = await guest.dhcp()
      expect(lease.mtu).toBe(1400)
    } finally {
      watch.stop()
    }
  })
})
