// Pure-core speed: validate + plan 64 networks; clash-check a subnet against 10,000 host routes.
import type { HostFacts, HostRoute } from '../../src-main/core/model/host-facts'
import type { NetworkDef } from '../../src-main/core/model/network'
import { findClashes } from '../../src-main/core/host/clash'
import { parseCidr } from '../../src-main/core/net/cidr'
import { buildPlan } from '../../src-main/core/plan/build-plan'
import { validateNetwork } from '../../src-main/core/validate/validate-network'
import { parseNetworkXml } from '../../src-main/core/xml/parse-network-xml'
import { median, printTable, timeRounds } from './table'

function networkXml(i: number): string {
  const third = 100 + i
  return `<network>
  <name>net${i}</name>
  <forward mode='nat'/>
  <bridge name='virbr${i}'/>
  <domain name='net${i}.test'/>
  <ip address='10.${i}.${third}.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='10.${i}.${third}.2' end='10.${i}.${third}.254'/>
      <host mac='52:54:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}' name='vm${i}' ip='10.${i}.${third}.10'/>
    </dhcp>
  </ip>
  <ip family='ipv6' address='fd12:3456:789a:${i.toString(16)}::1' prefix='64'/>
</network>`
}

function manyRoutes(n: number): HostFacts {
  const routes: HostRoute[] = []
  for (let i = 0; i < n; i++) {
    routes.push({
      family: 4,
      dst: `172.${16 + (i % 16)}.${(i >> 4) & 255}.0/24`,
      dev: 'wg0',
      table: String(51820 + (i % 4))
    })
  }
  routes.push(
    { family: 4, dst: '0.0.0.0/1', dev: 'tun0', table: 'main' },
    { family: 4, dst: '128.0.0.0/1', dev: 'tun0', table: 'main' }
  )
  return { addresses: [{ ifname: 'wlan0', family: 4, address: '192.168.1.23', prefix: 24 }], routes }
}

const texts = Array.from({ length: 64 }, (_, i) => networkXml(i))
const facts = manyRoutes(10_000)
const paths = { runtimeDir: '/run/guestnet', stateDir: '/var/lib/guestnet' }

const parsed: NetworkDef[] = texts.map((t) => {
  const r = parseNetworkXml(t)
  if (!r.ok) throw new Error(`bench input invalid: ${JSON.stringify(r.problems)}`)
  return r.def
})

const all = timeRounds(() => {
  const defs = texts.map((t) => {
    const r = parseNetworkXml(t)
    if (!r.ok) throw new Error('invalid')
    return r.def
  })
  for (const def of defs) {
    const problems = validateNetwork(def, { others: defs.filter((d) => d !== def) })
    if (problems.length) throw new Error(`unexpected problems: ${problems.map((p) => p.message).join('; ')}`)
    buildPlan(def, { paths })
  }
}, 10)

const planOnly = timeRounds(() => {
  for (const def of parsed) buildPlan(def, { paths })
}, 20)

const subnet = parseCidr('192.168.122.0/24')
if (!subnet) throw new Error('bad subnet')
const clash = timeRounds(() => {
  findClashes(subnet, facts)
}, 20)

// A fresh facts object each round: includes parsing the 10,000 route prefixes once (what a first check pays).
const clashCold = timeRounds(() => {
  findClashes(subnet, { addresses: facts.addresses, routes: facts.routes.map((r) => ({ ...r })) })
}, 10)

const perNet = median(all) / 64
printTable('core: parse + validate + plan, clash detection', [
  {
    what: 'parse + validate (vs 63 others) + plan, per network (64)',
    value: `${perNet.toFixed(3)} ms`,
    target: '< 10 ms',
    verdict: perNet < 10 ? 'ok' : 'SLOW'
  },
  { what: 'plan only, per network', value: `${(median(planOnly) / 64).toFixed(3)} ms` },
  { what: 'clash check, first (parses 10,000 routes)', value: `${median(clashCold).toFixed(3)} ms` },
  {
    what: 'clash check, 1 subnet vs 10,000 host routes',
    value: `${median(clash).toFixed(3)} ms`,
    target: '< 10 ms',
    verdict: median(clash) < 10 ? 'ok' : 'SLOW'
  }
])
