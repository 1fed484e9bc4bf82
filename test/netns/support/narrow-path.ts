/**
 * A narrow path behind the host, for the MTU tests: the uplink between host and internet gets a
 * small MTU (standing in for a WireGuard or PPPoE tunnel), and a server sits one router further, on
 * a 1500 link of its own (`198.51.100.10`, documentation addresses), so it believes it can send
 * full-size packets. The internet namespace routes between the two; optionally it drops the ICMP
 * "fragmentation needed" it generates, making a PMTU black hole: a 1500-byte packet from the server
 * then vanishes without the server ever learning why.
 */
import { writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'

import { nsSysctl } from '../../../src-main/sandbox/topology'
import { waitFor } from '../../../src-main/sandbox/wait'
import type { World } from './world'
import { UPLINK } from './world'

export const SERVER4 = '198.51.100.10'
const ROUTER4 = '198.51.100.1'
/** Bytes of the file the server offers at /big. */
export const BIG_FILE_BYTES = 1024 * 1024

export interface NarrowPath {
  server: string
  /** Sets the MTU of both ends of the host's uplink. */
  setUplinkMtu(mtu: number): Promise<void>
  /** Drops (or, with false, lets through again) the internet router's ICMP "fragmentation needed". */
  blackHole(on: boolean): Promise<void>
  bigUrl: string
  postUrl: string
}

/** The CGI answering a POST with the number of body bytes it read. */
const COUNT_CGI = `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\n'
head -c "\${CONTENT_LENGTH:-0}" | wc -c
`

export async function buildNarrowPath(world: World, uplinkMtu: number): Promise<NarrowPath> {
  const { x, inet, host } = world
  const server = await world.newNamespace('s')
  await x.ip(inet, ['link', 'add', 'srv0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', server])
  await x.ip(inet, ['addr', 'add', `${ROUTER4}/24`, 'dev', 'srv0'])
  await x.ip(server, ['addr', 'add', `${SERVER4}/24`, 'dev', 'eth0'])
  await x.ip(inet, ['link', 'set', 'srv0', 'up'])
  await x.ip(server, ['link', 'set', 'eth0', 'up'])
  await x.ip(server, ['route', 'add', 'default', 'via', ROUTER4])
  await nsSysctl(x, inet, 'net.ipv4.ip_forward', '1')
  // The server must not find the path MTU by itself (probing is off by default; say so).
  await nsSysctl(x, server, 'net.ipv4.tcp_mtu_probing', '0')

  const docroot = join(world.dir, 'server-www')
  await mkdir(join(docroot, 'cgi-bin'), { recursive: true })
  await writeFile(join(docroot, 'big'), Buffer.alloc(BIG_FILE_BYTES, 'g'))
  await writeFile(join(docroot, 'cgi-bin', 'count'), COUNT_CGI, { mode: 0o755 })
  world.spawn(['ip', 'netns', 'exec', server, 'busybox', 'httpd', '-f', '-p', `${SERVER4}:80`, '-h', docroot])
  await waitFor(
    async () =>
      (await x.inNs(host, ['busybox', 'wget', '-q', '-O', '/dev/null', `http://${SERVER4}/big`], { allowFail: true }))
        .code === 0,
    { timeoutMs: 5000, what: 'the server behind the internet router' }
  )

  const setUplinkMtu = async (mtu: number): Promise<void> => {
    await x.ip(host, ['link', 'set', 'dev', UPLINK, 'mtu', String(mtu)])
    await x.ip(inet, ['link', 'set', 'dev', 'wan0', 'mtu', String(mtu)])
  }
  await setUplinkMtu(uplinkMtu)

  const blackHole = async (on: boolean): Promise<void> => {
    await x.inNs(inet, ['nft', 'delete', 'table', 'inet', 'pmtu_black_hole'], { allowFail: true })
    if (!on) return
    const ruleset = [
      'table inet pmtu_black_hole {',
      '  chain out {',
      '    type filter hook output priority filter; policy accept;',
      '    icmp type destination-unreachable icmp code frag-needed drop',
      '  }',
      '}',
      ''
    ].join('\n')
    const file = join(world.dir, 'pmtu-black-hole.nft')
    await writeFile(file, ruleset)
    await x.inNs(inet, ['nft', '-f', file])
  }
  return {
    server,
    setUplinkMtu,
    blackHole,
    bigUrl: `http://${SERVER4}/big`,
    postUrl: `http://${SERVER4}/cgi-bin/count`
  }
}
