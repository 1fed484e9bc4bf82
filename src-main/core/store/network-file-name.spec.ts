import { describe, expect, it } from 'vitest'

import { classifyNetworkFile, MAX_KEY_BYTES, nameOfFileKey, networkNameProblem } from './network-file-name'

describe('networkNameProblem', () => {
  it('accepts every name libvirt accepts that can be a file: plain ones and oddities, spelled by their key', () => {
    for (const name of ['default', 'web-1', 'a_b.c', '00default', 'default"with"quotes"', '.hidden', 'my lab', '-x'])
      expect(networkNameProblem(name), name).toBeNull()
  })
  it('refuses names that cannot be one safe file name', () => {
    expect(networkNameProblem('')).toMatch(/empty/)
    expect(networkNameProblem('a/b')).toMatch(/'\/'/)
    expect(networkNameProblem('..')).toMatch(/directory/)
    expect(networkNameProblem('a\nb')).toMatch(/control/)
    expect(networkNameProblem('a\u009bb')).toMatch(/control/)
    expect(networkNameProblem('x'.repeat(MAX_KEY_BYTES))).toBeNull()
    expect(networkNameProblem('x'.repeat(MAX_KEY_BYTES + 1))).toMatch(/too long/)
    // Not plain: 1 + 3 bytes a character, so the limit comes far sooner.
    expect(networkNameProblem(' '.repeat(66))).toBeNull()
    expect(networkNameProblem(' '.repeat(67))).toMatch(/would be 202 bytes/)
  })
})

describe('classifyNetworkFile', () => {
  it('takes KEY.xml and ignores temporaries, backups and other files', () => {
    expect(classifyNetworkFile('web.xml')).toEqual({ kind: 'network', name: 'web' })
    expect(classifyNetworkFile('%default_22with_22quotes_22.xml')).toEqual({
      kind: 'network',
      name: 'default"with"quotes"'
    })
    expect(classifyNetworkFile('.web.xml.tmp-1-abc')).toEqual({ kind: 'ignore' })
    expect(classifyNetworkFile('web.xml~')).toEqual({ kind: 'ignore' })
    expect(classifyNetworkFile('web.xml.bak')).toEqual({ kind: 'ignore' })
    expect(classifyNetworkFile('README')).toEqual({ kind: 'ignore' })
    expect(nameOfFileKey('%my_20lab')).toBe('my lab')
    expect(nameOfFileKey('my lab')).toBeNull()
  })
  it('reports a .xml file whose name is no key of a network name', () => {
    expect(classifyNetworkFile('.xml')).toEqual({ kind: 'ignore' })
    expect(classifyNetworkFile('a\tb.xml')).toMatchObject({ kind: 'invalid', name: 'a\tb' })
    expect(classifyNetworkFile('my lab.xml')).toMatchObject({ kind: 'invalid', reason: /not how guestnet names/ })
  })
})
