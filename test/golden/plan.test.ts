/**
 * Golden plans: each `cases/<case>.xml` definition must produce exactly `cases/<case>.plan.json`
 * (the whole Plan: steps, artifacts, configs, sysctls) for fixed paths and host facts.
 * `UPDATE_GOLDEN=1 npx vitest run test/golden` rewrites the expected files; review the diff.
 * The generated rulesets are also checked with the real nft, and dnsmasq configs with
 * `dnsmasq --test`, when those programs (and root, for the namespace) are available.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { HostFacts } from '../../src-main/core/model/host-facts'
import type { Plan } from '../../src-main/core/model/plan'
import { buildPlan } from '../../src-main/core/plan/build-plan'
import { validateNetwork } from '../../src-main/core/validate/validate-network'
import { parseNetworkXml } from '../../src-main/core/xml/parse-network-xml'
import { NftNamespace, nftSkipReason } from './nft-check'

const CASES_DIR = join(__dirname, 'cases')
const UPDATE = process.env.UPDATE_GOLDEN === '1'

export const GOLDEN_CASES = [
  'nat-ipv4',
  'nat-dual-stack',
  'isolated',
  'routed',
  'no-dhcp',
  'ra-only',
  'nat-port-range',
  'nat-address',
  'forward-dev',
  'nat66',
  'dns-enable-no',
  'static-hosts',
  'netboot',
  'static-routes',
  'static-routes-v4',
  'isolated-ports',
  'open-isolated-ports',
  'port-forwards',
  'uplink-lan',
  'span'
] as const

/** A laptop on Wi-Fi whose IPv6 default route came from a router advertisement. */
const FACTS: HostFacts = {
  addresses: [
    { ifname: 'lo', family: 4, address: '127.0.0.1', prefix: 8, scope: 'host' },
    { ifname: 'lo', family: 6, address: '::1', prefix: 128, scope: 'host' },
    { ifname: 'wlan0', family: 4, address: '192.168.1.23', prefix: 24, scope: 'global' },
    { ifname: 'wlan0', family: 6, address: '2001:db8:1:2::23', prefix: 64, scope: 'global' }
  ],
  routes: [
    { family: 4, dst: '0.0.0.0/0', dev: 'wlan0', table: 'main', gateway: '192.168.1.1', protocol: 'dhcp' },
    { family: 4, dst: '192.168.1.0/24', dev: 'wlan0', table: 'main', protocol: 'kernel' },
    { family: 6, dst: '2001:db8:1:2::/64', dev: 'wlan0', table: 'main', protocol: 'ra' },
    { family: 6, dst: '::/0', dev: 'wlan0', table: 'main', gateway: 'fe80::1', protocol: 'ra' }
  ]
}

const PATHS = { runtimeDir: '/run/guestnet', stateDir: '/var/lib/guestnet' }

function planFor(name: string): Plan {
  const parsed = parseNetworkXml(readFileSync(join(CASES_DIR, `${name}.xml`), 'utf8'))
  if (!parsed.ok) throw new Error(`${name}.xml does not parse: ${JSON.stringify(parsed.problems)}`)
  expect(validateNetwork(parsed.def)).toEqual([])
  return buildPlan(parsed.def, { paths: PATHS, hostFacts: FACTS })
}

const plans = new Map<string, Plan>()
const planOf = (name: string): Plan => {
  if (!plans.has(name)) plans.set(name, planFor(name))
  return plans.get(name) as Plan
}

describe('golden plans', () => {
  it('every fixture in cases/ is listed, and every listed case has a fixture', () => {
    const xmls = readdirSync(CASES_DIR)
      .filter((f) => f.endsWith('.xml'))
      .map((f) => f.slice(0, -4))
      .sort()
    expect(xmls).toEqual([...GOLDEN_CASES].sort())
  })

  for (const name of GOLDEN_CASES) {
    it(name, () => {
      const plan = planOf(name)
      const text = `${JSON.stringify(plan, null, 2)}\n`
      const file = join(CASES_DIR, `${name}.plan.json`)
      if (UPDATE) writeFileSync(file, text)
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(plan)
      expect(readFileSync(file, 'utf8')).toBe(text)
    })
  }
})

const skipNft = nftSkipReason()

describe.skipIf(skipNft !== null)(`golden rulesets in real nft${skipNft ? ` (skipped: ${skipNft})` : ''}`, () => {
  const ns = new NftNamespace()
  beforeAll(() => ns.open())
  afterAll(() => ns.close())

  for (const name of GOLDEN_CASES) {
    it(`${name}: nft -c accepts the ruleset`, () => {
      const ruleset = planOf(name).nftRuleset
      const result = ns.check(ruleset)
      // Port isolation needs the kernel's nft bridge meta (ibrname/obrname); without it the load
      // must fail on exactly that rule, so such a network never starts unisolated.
      if (ruleset.includes('meta ibrname') && !ns.bridgeMeta()) {
        expect(result.ok).toBe(false)
        expect(result.output).toMatch(/Operation not supported[\s\S]*meta ibrname/)
        return
      }
      expect(result.output).toBe('')
      expect(result.ok).toBe(true)
    })
  }

  it('a second load of a same-named table is refused whole and changes nothing; the table bears the owner mark', () => {
    const plan = planOf('nat-dual-stack')
    expect(ns.nft([], plan.nftRuleset).ok).toBe(true)
    const first = ns.nft(['list', 'ruleset']).output
    const again = ns.nft([], plan.nftRuleset)
    expect(again.ok).toBe(false)
    expect(again.output).toMatch(/File exists/)
    expect(ns.nft(['list', 'ruleset']).output).toBe(first)
    expect(first).toContain('table inet guestnet_lab {')
    expect(first).toContain(`comment "${plan.owner}"`)
    expect(plan.steps.find((s) => s.id === 'firewall')?.rollback).toEqual([['@delete-table', 'inet', 'guestnet_lab']])
    expect(ns.nft(['delete', 'table', 'inet', 'guestnet_lab']).ok).toBe(true)
    expect(ns.nft(['list', 'ruleset']).output).toBe('')
  })
})

const hasDnsmasq = spawnSync('dnsmasq', ['--version'], { encoding: 'utf8' }).status === 0

describe.skipIf(!hasDnsmasq)(
  `golden dnsmasq configs${hasDnsmasq ? '' : ' (skipped: dnsmasq is not installed)'}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'gn-plan-dnsmasq-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    for (const name of GOLDEN_CASES) {
      it(`${name}: dnsmasq --test accepts the config`, () => {
        const conf = planOf(name).dnsmasqConf
        if (conf === '') return
        const file = join(dir, `${name}.conf`)
        writeFileSync(file, conf)
        const r = spawnSync('dnsmasq', ['--test', `--conf-file=${file}`], { encoding: 'utf8' })
        expect(`${r.stdout}${r.stderr}`).toMatch(/syntax check OK/)
        expect(r.status).toBe(0)
      })
    }
  }
)
