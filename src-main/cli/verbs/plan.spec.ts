import { afterAll, describe, expect, it } from 'vitest'

import { hostFactsPath } from '../../../test/fixtures/host-facts/fixtures'
import { UsageError } from '../args'
import { EXIT } from '../verb'
import { verbKit } from '../../../test/unit-support/verb-test-kit'
import { showArgv, verb } from './plan'

const kit = verbKit('plan', verb)
afterAll(() => kit.cleanup())
const file = kit.file
const run = kit.run

const DUAL_XML = `<network>
  <name>lab</name>
  <bridge name='virbr1'/>
  <forward mode='nat'/>
  <ip address='10.77.0.1' prefix='24'>
    <dhcp>
      <range start='10.77.0.100' end='10.77.0.199'/>
    </dhcp>
  </ip>
  <ip family='ipv6' address='fd5e:2a41:9c07:1::1' prefix='64'/>
</network>
`

const FACTS = hostFactsPath('laptop-wifi')

describe('guestnet plan', () => {
  it('--json prints steps, dnsmasqConf, nftRuleset and sysctls', async () => {
    const { code, out, err } = await run(file('lab.xml', DUAL_XML), '--host-facts', FACTS, '--json')
    expect(err).toBe('')
    expect(code).toBe(EXIT.ok)
    const json = JSON.parse(out) as Record<string, unknown>
    expect(Object.keys(json)).toEqual(['steps', 'dnsmasqConf', 'nftRuleset', 'sysctls'])
    expect((json.steps as { id: string }[]).map((s) => s.id)).toEqual([
      'files',
      'bridge',
      'firewall',
      'sysctls',
      'dnsmasq'
    ])
    expect(json.dnsmasqConf).toContain('interface=virbr1\n')
    expect(json.nftRuleset).toContain('table inet guestnet_lab {')
    expect(json.sysctls).toMatchObject({ 'net.ipv4.ip_forward': '1', 'net.ipv6.conf.all.forwarding': '1' })
  })

  it('without --json lists step titles with argv and undo, then the files', async () => {
    const { code, out } = await run(file('lab.xml', DUAL_XML), '--host-facts', FACTS)
    expect(code).toBe(EXIT.ok)
    expect(out).toMatch(
      /^Plan for network lab \(bridge virbr1\)\n\n1\. Write 6 generated files to \/run\/guestnet\/lab\n {5}@write \/run\/guestnet\/lab\/ip\.batch ip\.batch\n/
    )
    expect(out).toContain('   undo:\n     @delete-bridge virbr1\n')
    expect(out).toContain(
      '\n--- dnsmasq.conf: /run/guestnet/lab/dnsmasq.conf\n    ## dnsmasq configuration for guestnet network lab\n'
    )
    expect(out).toContain('\n--- sysctls\n    net.ipv6.conf.virbr1.disable_ipv6 = 0\n')
  })

  it('--root moves the paths', async () => {
    const { out } = await run(file('lab.xml', DUAL_XML), '--host-facts', FACTS, '--root', '/tmp/gn-root', '--json')
    expect(out).toContain('/tmp/gn-root/run/guestnet/lab/ruleset.nft')
    expect(out).toContain('dhcp-leasefile=/tmp/gn-root/var/lib/guestnet/dnsmasq/lab.leases')
    await expect(run(file('lab.xml', DUAL_XML), '--root', 'relative')).rejects.toThrow(UsageError)
  })

  it('an invalid definition prints its problems and exits 2', async () => {
    const path = file('bad.xml', DUAL_XML.replace("'10.77.0.199'", "'10.77.0.255'"))
    const { code, out } = await run(path, '--host-facts', FACTS)
    expect(code).toBe(EXIT.invalid)
    expect(out).toMatch(new RegExp(`^${path}:7: ip\\[0\\]\\.dhcp\\.range\\[0\\]\\.end: `))
    const unsupported = await run(
      file(
        'bandwidth.xml',
        DUAL_XML.replace('</network>', "<bandwidth><inbound average='1000'/></bandwidth></network>")
      ),
      '--host-facts',
      FACTS
    )
    expect(unsupported.code).toBe(EXIT.invalid)
    expect(unsupported.out).toContain('unsupported: <bandwidth>')
  })

  it('a missing file or bad host facts file exits 2 with a message', async () => {
    expect(await run(kit.path('nope.xml'))).toMatchObject({
      code: EXIT.invalid,
      err: expect.stringContaining('no such file')
    })
    const r = await run(file('lab.xml', DUAL_XML), '--host-facts', file('facts.json', '{'))
    expect(r.code).toBe(EXIT.invalid)
    expect(r.err).toContain('not valid JSON')
  })

  it('needs exactly one FILE', async () => {
    await expect(run()).rejects.toThrow(UsageError)
  })
})

describe('showArgv', () => {
  it('quotes only what a shell would split or expand', () => {
    expect(showArgv(['nft', '-f', '/run/guestnet/a/ruleset.nft'])).toBe('nft -f /run/guestnet/a/ruleset.nft')
    expect(showArgv(['@write', "/run/it's here", 'x'])).toBe(`@write '/run/it'\\''s here' x`)
  })
})
