/**
 * libvirt's networkxml2xml round trip run against our parser and writer. Every case in
 * networkxml2xmlin (and each output-only file of networkxml2xmlout, as an idempotence check) is
 * classified as passed, failed, rejected-as-expected or unsupported, and printed with totals.
 * Each case has an expectation below, so a case that changes class fails its test.
 */
import { afterAll, describe, expect, it } from 'vitest'

import { formatNetworkXml, normalizeNetworkXml } from '../../src-main/core/xml/format-network-xml'
import { parseNetworkXml } from '../../src-main/core/xml/parse-network-xml'
import { corpusCases, readCorpusFile } from './support/libvirt-corpus'
import { semanticDiff } from './support/xml-semantic-diff'

type Expectation =
  /** Parses; our output must match libvirt's (or, with no output stored, round-trip cleanly). */
  | { kind: 'pass' }
  /** Uses libvirt features guestnet leaves out; each listed element must be named by a problem. */
  | { kind: 'unsupported'; names: string[] }
  /** libvirt itself rejects it; we must too, with a problem on `field`. */
  | { kind: 'reject'; field: string }

const pass: Expectation = { kind: 'pass' }
const unsupported = (...names: string[]): Expectation => ({ kind: 'unsupported', names })

const EXPECTED: Record<string, Expectation> = {
  'dhcp6-nat-network': pass,
  'dhcp6-network': pass,
  'dhcp6host-routed-network': pass,
  'empty-allow-ipv6': pass,
  'isolated-network': pass,
  'leasetime-hours': pass,
  'leasetime-infinite': pass,
  'leasetime-minutes': pass,
  'leasetime-seconds': pass,
  'nat-network': pass,
  'nat-network-dns-forward-plain': pass,
  'nat-network-dns-forwarder-no-resolv': pass,
  'nat-network-dns-forwarders': pass,
  'nat-network-dns-hosts': pass,
  'nat-network-dns-local-domain': pass,
  'nat-network-dns-srv-record': pass,
  'nat-network-dns-srv-record-minimal': pass,
  'nat-network-dns-srv-records': pass,
  'nat-network-dns-txt-record': pass,
  'nat-network-forward-nat-address': pass,
  'nat-network-forward-nat-ipv6': pass,
  'nat-network-forward-nat-no-address': pass,
  'nat-network-mtu': pass,
  'nat-network-name-with-quotes': pass,
  'netboot-network': pass,
  'netboot-proxy-network': pass,
  'open-network': pass,
  'ptr-domains-auto': pass,
  'routed-network': pass,
  'routed-network-no-dns': pass,
  'set-mtu': pass,
  '8021Qbh-net': unsupported("<forward mode='private'>", '<interface>', '<vlan>', '<virtualport>'),
  'bandwidth-network': unsupported('<bandwidth>'),
  'dnsmasq-options': unsupported('<dnsmasq:options>'),
  'host-bridge-net': pass,
  hostdev: unsupported("<forward mode='hostdev'>", '<address>'),
  'hostdev-pf': unsupported("<forward mode='hostdev'>", '<driver>', '<pf>'),
  'hostdev-pf-driver-model': unsupported("<forward mode='hostdev'>", '<driver>', '<pf>'),
  // Parses and round-trips; the validator refuses port isolation on a host bridge (its uplink is a port).
  'isolated-ports': pass,
  metadata: pass,
  'nat-network-explicit-flood': pass,
  'openvswitch-net': unsupported('<virtualport>', '<portgroup>'),
  'passthrough-pf': unsupported("<forward mode='passthrough'>", '<pf>'),
  'vepa-net': unsupported("<forward mode='vepa'>", '<virtualport>', '<portgroup>'),
  'open-network-with-forward-dev': { kind: 'reject', field: 'forward.dev' },
  'passthrough-address-crash': { kind: 'reject', field: 'forward.mode' }
}

type Outcome = 'passed' | 'failed' | 'rejected-as-expected' | 'unsupported'

interface Case {
  name: string
  /** Text we parse. */
  input: string
  /** libvirt's expected output, if stored. */
  expected?: string
  source: 'in/out' | 'in only' | 'out only'
}

function loadCases(): Case[] {
  const inputs = corpusCases('networkxml2xmlin')
  const outputs = new Set(corpusCases('networkxml2xmlout'))
  const cases: Case[] = inputs.map((name) => ({
    name,
    input: readCorpusFile('networkxml2xmlin', `${name}.xml`),
    expected: outputs.has(name) ? readCorpusFile('networkxml2xmlout', `${name}.xml`) : undefined,
    source: outputs.has(name) ? 'in/out' : 'in only'
  }))
  for (const name of outputs) {
    if (inputs.includes(name)) continue
    const text = readCorpusFile('networkxml2xmlout', `${name}.xml`)
    cases.push({ name, input: text, expected: text, source: 'out only' })
  }
  return cases.sort((a, b) => a.name.localeCompare(b.name))
}

const cases = loadCases()
const tally: Record<Outcome, string[]> = { passed: [], failed: [], 'rejected-as-expected': [], unsupported: [] }

function report(c: Case, outcome: Outcome, detail = ''): void {
  tally[outcome].push(c.name)
  console.log(`xml2xml ${outcome.padEnd(20)} ${c.name} (${c.source})${detail ? `: ${detail}` : ''}`)
}

describe('libvirt networkxml2xml', () => {
  afterAll(() => {
    const line = (Object.keys(tally) as Outcome[]).map((k) => `${tally[k].length} ${k}`).join(', ')
    console.log(`xml2xml totals: ${line} (of ${cases.length} cases)`)
  })

  it('has an expectation for every corpus case', () => {
    expect(cases.map((c) => c.name).filter((n) => !(n in EXPECTED))).toEqual([])
  })

  for (const c of cases) {
    const expectation = EXPECTED[c.name]
    if (!expectation) continue
    it(`${c.name} (${expectation.kind})`, () => {
      const parsed = parseNetworkXml(c.input)
      if (expectation.kind === 'pass') {
        if (!parsed.ok)
          report(c, 'failed', parsed.problems.map((p) => `${p.line}: ${p.field}: ${p.message}`).join('; '))
        expect(parsed.ok ? [] : parsed.problems).toEqual([])
        if (!parsed.ok) return
        const ours = formatNetworkXml(parsed.def, parsed.doc)
        const diffs = c.expected
          ? semanticDiff(ours, c.expected, { allowMissingGeneratedMac: !/<mac\s/.test(c.input) })
          : []
        // Our own output must be a fixed point: same text, same definition.
        const again = normalizeNetworkXml(ours)
        const reparsed = parseNetworkXml(ours)
        report(c, diffs.length === 0 && again.ok && again.xml === ours ? 'passed' : 'failed', diffs.join('; '))
        expect(diffs).toEqual([])
        expect(again).toEqual({ ok: true, xml: ours })
        expect(reparsed.ok && formatNetworkXml(reparsed.def)).toBe(formatNetworkXml(parsed.def))
        return
      }
      expect(parsed.ok).toBe(false)
      if (parsed.ok) {
        report(c, 'failed', 'parsed, but should not have')
        return
      }
      const messages = parsed.problems.map((p) => p.message)
      if (expectation.kind === 'unsupported') {
        const missing = expectation.names.filter((n) => !messages.some((m) => m.startsWith(`unsupported: ${n}`)))
        const other = messages.filter((m) => !m.startsWith('unsupported: '))
        report(c, missing.length || other.length ? 'failed' : 'unsupported', messages.join('; '))
        expect(missing).toEqual([])
        expect(other).toEqual([])
        expect(parsed.problems.every((p) => typeof p.line === 'number' && p.line > 0)).toBe(true)
        return
      }
      const hit = parsed.problems.some((p) => p.field === expectation.field)
      report(c, hit ? 'rejected-as-expected' : 'failed', messages.join('; '))
      expect(parsed.problems.map((p) => p.field)).toContain(expectation.field)
    })
  }
})
