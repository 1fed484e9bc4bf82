/**
 * libvirt's networkxml2confdata run against our dnsmasq config and hostsfile generators.
 *
 * Comparison (the corpus README's "lenient" rule): the non-comment lines of the config as an ordered
 * list of `key[=value]`; libvirt's `/var/lib/libvirt/dnsmasq/<name>.{hostsfile,addnhosts}` paths are
 * replaced by ours; exactly guestnet's documented extra lines (isGuestnetExtraLine) are ignored.
 * Hostsfiles compare line by line.
 *
 * Every case has a class below with its reason, and a case that changes class fails:
 *   current      must match exactly
 *   era          older libvirt output: must match once both sides are reduced to that era's
 *                spelling (listed per case: which normalisations were needed)
 *   legacy       generated under the pre-1.1.2 forwardPlainNames default: ours must equal libvirt's
 *                minus exactly `domain-needed` and `local=//`
 *   hostsfile    no .conf stored: hostsfile only
 *   input-only   nothing stored to compare: must plan without error (and hold the listed lines)
 *   no-dnsmasq   libvirt's test writes a config, but its driver starts no dnsmasq for the network
 *                (networkStartDhcpDaemon: no DHCP, no TFTP and DNS off); our plan must have none either
 *   unsupported  dnsmasq:options (raw options would run as root): our parser must reject it, naming the element
 *
 * Every generated config is also checked by `dnsmasq --test` when dnsmasq is installed (its syntax
 * check does not look at the TFTP root, so no directory is needed for it).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, describe, expect, it } from 'vitest'

import type { NetworkDef } from '../../src-main/core/model/network'
import { buildPlan } from '../../src-main/core/plan/build-plan'
import { dnsmasqValue, isGuestnetExtraLine } from '../../src-main/core/plan/dnsmasq-conf'
import { networkPaths } from '../../src-main/core/plan/network-paths'
import { parseNetworkXml } from '../../src-main/core/xml/parse-network-xml'
import { corpusCases, corpusPath, readCorpusFile } from './support/libvirt-corpus'

type Era = 'ipv4-netmask' | 'dhcp-authoritative' | 'ipv6-prefix' | 'ra-only' | 'bind-interfaces'

type CaseClass =
  | { kind: 'current' }
  | { kind: 'era'; needs: Era[]; reason: string }
  | { kind: 'legacy'; reason: string }
  | { kind: 'hostsfile' }
  | { kind: 'input-only'; contains?: string[] }
  | { kind: 'no-dnsmasq'; reason: string }
  | { kind: 'unsupported'; elements: string[] }

const current: CaseClass = { kind: 'current' }
const LEGACY = 'generated when forwardPlainNames defaulted to no (libvirt < 1.1.2)'
// Their IPv6 addresses have no <dhcp>, yet the stored .conf has no `dhcp-range=ADDR,ra-only` lines,
// which nat-network.conf (same addresses, newer revision) has: written before libvirt added them.
const NO_RA_ONLY = 'netmask-era libvirt that did not yet write ra-only ranges for IPv6 addresses without DHCP'

const EXPECTED: Record<string, CaseClass> = {
  'dhcp6-nat-network': current,
  'dhcp6-network': {
    kind: 'era',
    needs: ['ipv6-prefix'],
    reason: 'older libvirt: IPv6 dhcp-range without the prefix length'
  },
  'dhcp6host-routed-network': {
    kind: 'era',
    needs: ['dhcp-authoritative', 'ipv6-prefix'],
    reason: 'older libvirt: no dhcp-authoritative, static IPv6 range without prefix'
  },
  'dnsmasq-options': { kind: 'unsupported', elements: ['dnsmasq:options'] },
  'isolated-network': current,
  'leasetime-hours': { kind: 'hostsfile' },
  'leasetime-infinite': current,
  'leasetime-minutes': { kind: 'hostsfile' },
  'leasetime-seconds': current,
  'nat-network': current,
  'nat-network-dns-forward-plain': current,
  'nat-network-dns-forwarder-no-resolv': current,
  'nat-network-dns-forwarders': current,
  'nat-network-dns-hosts': { kind: 'legacy', reason: LEGACY },
  'nat-network-dns-srv-record': { kind: 'era', needs: ['ra-only'], reason: NO_RA_ONLY },
  'nat-network-dns-srv-record-minimal': {
    kind: 'era',
    needs: ['ipv4-netmask', 'dhcp-authoritative', 'ra-only', 'bind-interfaces'],
    reason: 'older libvirt run with a simulated dnsmasq lacking --bind-dynamic'
  },
  'nat-network-dns-txt-record': { kind: 'era', needs: ['ra-only'], reason: NO_RA_ONLY },
  'nat-network-forward-nat-ipv6': current,
  'nat-network-mtu': current,
  'nat-network-name-with-quotes': current,
  'netboot-network': {
    kind: 'era',
    needs: ['bind-interfaces'],
    reason: 'libvirt run with a simulated dnsmasq lacking --bind-dynamic'
  },
  'netboot-proxy-network': {
    kind: 'era',
    needs: ['ipv4-netmask', 'dhcp-authoritative', 'bind-interfaces'],
    reason: 'older libvirt run with a simulated dnsmasq lacking --bind-dynamic'
  },
  // TFTP on an address without DHCP: older libvirt dropped it, current libvirt serves it.
  'netboot-tftp': { kind: 'input-only', contains: ['enable-tftp', 'tftp-root=/var/lib/tftproot'] },
  'open-network': { kind: 'input-only' },
  'ptr-domains-auto': current,
  'routed-network': { kind: 'legacy', reason: LEGACY },
  'routed-network-no-dns': {
    kind: 'no-dnsmasq',
    reason: 'DNS off and no DHCP: libvirt starts no dnsmasq (its conf test writes port=0 anyway)'
  }
}

const PATHS = { runtimeDir: '/run/guestnet', stateDir: '/var/lib/guestnet' }
const HAS_DNSMASQ = spawnSync('dnsmasq', ['--version'], { encoding: 'utf8' }).status === 0
const report: string[] = []
let dnsmasqChecked = 0
const totals = new Map<string, number>()

function count(kind: string, line: string): void {
  totals.set(kind, (totals.get(kind) ?? 0) + 1)
  report.push(line)
}

function optionLines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))
}

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')

/** libvirt's fixed state paths → ours; the name in libvirt's path must be the (XML-escaped) network name. */
function substitutePaths(lines: string[], def: NetworkDef): string[] {
  const paths = networkPaths(PATHS, def.name)
  const prefix = `/var/lib/libvirt/dnsmasq/${xmlEscape(def.name)}`
  return lines.map((line) => {
    if (line === `dhcp-hostsfile=${prefix}.hostsfile`) return `dhcp-hostsfile=${dnsmasqValue(paths.hostsfile)}`
    if (line === `addn-hosts=${prefix}.addnhosts`) return `addn-hosts=${dnsmasqValue(paths.addnhosts)}`
    return line
  })
}

/** Reduces a config to an older era's spelling, so ours and an old expectation compare. */
function toEra(lines: string[], needs: Era[], bridge: string): string[] {
  let out = lines
  if (needs.includes('bind-interfaces')) {
    out = out.filter((l) => !l.startsWith('listen-address=') && l !== `interface=${bridge}`)
    out = out.map((l) => (l === 'bind-dynamic' || l === 'bind-interfaces' ? 'BIND' : l))
  }
  if (needs.includes('ipv4-netmask')) out = out.map((l) => l.replace(/^(dhcp-range=[\d.]+,[\d.]+),255\.[\d.]+/, '$1'))
  if (needs.includes('ipv6-prefix'))
    out = out.map((l) => l.replace(/^(dhcp-range=[0-9a-f:]+,(?:[0-9a-f:]+|static)),\d+$/, '$1'))
  if (needs.includes('dhcp-authoritative')) out = out.filter((l) => l !== 'dhcp-authoritative')
  if (needs.includes('ra-only')) out = out.filter((l) => !l.endsWith(',ra-only'))
  return out
}

/** `dnsmasq --test` on a generated config: its own syntax check, or null when dnsmasq is missing. */
function dnsmasqTest(dir: string, name: string, conf: string): string | null {
  if (!HAS_DNSMASQ) return null
  const file = join(dir, `${name}.conf`)
  writeFileSync(file, conf)
  const r = spawnSync('dnsmasq', ['--test', `--conf-file=${file}`], { encoding: 'utf8' })
  return `${r.status === 0 ? '' : `exit ${r.status}: `}${r.stdout}${r.stderr}`.trim()
}

describe('libvirt networkxml2confdata', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gn-confdata-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  afterAll(() => {
    const summary = [...totals].map(([k, n]) => `${n} ${k}`).join(', ')
    const syntax = HAS_DNSMASQ
      ? `${dnsmasqChecked} generated configs pass dnsmasq --test`
      : 'dnsmasq --test skipped: dnsmasq is not installed'
    console.log(
      `networkxml2confdata:\n${report.map((l) => `  ${l}`).join('\n')}\n  total ${report.length}: ${summary}; ${syntax}`
    )
  })

  it('every corpus case has an expected class', () => {
    expect(corpusCases('networkxml2confdata')).toEqual(Object.keys(EXPECTED).sort())
  })

  for (const [name, cls] of Object.entries(EXPECTED)) {
    it(`${name} (${cls.kind})`, () => {
      const parsed = parseNetworkXml(readCorpusFile('networkxml2confdata', `${name}.xml`))
      if (cls.kind === 'unsupported') {
        expect(parsed.ok).toBe(false)
        const problems = parsed.ok ? [] : parsed.problems
        for (const el of cls.elements) {
          const problem = problems.find((p) => p.message === `unsupported: <${el}>`)
          expect(problem, `a problem names <${el}>`).toBeDefined()
          if (el === 'dnsmasq:options') expect(problem?.fix).toMatch(/run programs as root.*<tftp.*<bootp/)
        }
        count('unsupported', `${name}: unsupported (${cls.elements.join(', ')}), rejected by the parser`)
        return
      }
      if (!parsed.ok) throw new Error(`${name} does not parse: ${JSON.stringify(parsed.problems)}`)
      const def = parsed.def
      const plan = buildPlan(def, { paths: PATHS })
      if (cls.kind === 'no-dnsmasq') {
        expect(existsSync(corpusPath('networkxml2confdata', `${name}.conf`))).toBe(true)
        expect(plan.dnsmasqConf).toBe('')
        expect(plan.steps.map((s) => s.id)).not.toContain('dnsmasq')
        count('no dnsmasq', `${name}: no dnsmasq, as in libvirt's driver (${cls.reason})`)
        return
      }
      const checked = dnsmasqTest(dir, name, plan.dnsmasqConf)
      if (checked !== null) {
        expect(checked, 'dnsmasq --test').toBe('dnsmasq: syntax check OK.')
        dnsmasqChecked++
      }
      const bridge = plan.bridge
      const ours = optionLines(plan.dnsmasqConf).filter((l) => !isGuestnetExtraLine(l, bridge))
      const confFile = corpusPath('networkxml2confdata', `${name}.conf`)
      const hostsFile = corpusPath('networkxml2confdata', `${name}.hostsfile`)
      const notes: string[] = []

      if (existsSync(hostsFile)) {
        const expected = readCorpusFile('networkxml2confdata', `${name}.hostsfile`)
          .split('\n')
          .filter((l) => l !== '')
        expect(plan.artifacts.hostsfile.split('\n').filter((l) => l !== '')).toEqual(expected)
        notes.push(`hostsfile ${expected.length} lines equal`)
      }
      expect(existsSync(confFile)).toBe(cls.kind !== 'hostsfile' && cls.kind !== 'input-only')
      if (cls.kind === 'hostsfile' || cls.kind === 'input-only') {
        expect(plan.dnsmasqConf).toContain(`interface=${bridge}\n`)
        const wanted = cls.kind === 'input-only' ? (cls.contains ?? []) : []
        for (const line of wanted) expect(ours).toContain(line)
        const holds = wanted.length ? `; holds ${wanted.join(', ')}` : ''
        count(
          cls.kind,
          `${name}: ${cls.kind === 'hostsfile' ? notes.join('') : `no expectation stored; planned without error${holds}`}`
        )
        return
      }

      const expected = substitutePaths(optionLines(readCorpusFile('networkxml2confdata', `${name}.conf`)), def)
      if (cls.kind === 'current') {
        expect(ours).toEqual(expected)
        count('match', `${name}: match, ${expected.length} options${notes.length ? `; ${notes.join('')}` : ''}`)
      } else if (cls.kind === 'legacy') {
        expect(ours).not.toEqual(expected)
        expect(ours).toEqual(expected.filter((l) => l !== 'domain-needed' && l !== 'local=//'))
        count(
          'known divergence',
          `${name}: known divergence (legacy semantics: ${cls.reason}); equal without domain-needed/local=//`
        )
      } else {
        expect(ours, 'an era case that matches as is should be reclassified as current').not.toEqual(expected)
        expect(toEra(ours, cls.needs, bridge)).toEqual(toEra(expected, cls.needs, bridge))
        for (const need of cls.needs) {
          const without = cls.needs.filter((n) => n !== need)
          expect(toEra(ours, without, bridge), `normalisation '${need}' is needed`).not.toEqual(
            toEra(expected, without, bridge)
          )
        }
        count(
          'known divergence',
          `${name}: known divergence (era: ${cls.reason}); equal after ${cls.needs.join(', ')}${notes.length ? `; ${notes.join('')}` : ''}`
        )
      }
    })
  }
})
