import { describe, expect, it } from 'vitest'

import { classifyNetworkFile, MAX_NAME_BYTES, networkNameProblem } from './network-file-name'

describe('networkNameProblem', () => {
  it('accepts ordinary names and libvirt-style oddities that are still one path component', () => {
    for (const name of ['default', 'web-1', 'a_b.c', '00default', 'default"with"quotes"'])
      expect(networkNameProblem(name)).toBeNull()
  })
  it('refuses names that are not one safe file name', () => {
    expect(networkNameProblem('')).toMatch(/empty/)
    expect(networkNameProblem('a/b')).toMatch(/'\/'/)
    expect(networkNameProblem('..')).toMatch(/starts with '\.'/)
    expect(networkNameProblem('.hidden')).toMatch(/hidden/)
    expect(networkNameProblem('a\nb')).toMatch(/control/)
    expect(networkNameProblem('x'.repeat(MAX_NAME_BYTES))).toBeNull()
    expect(networkNameProblem('é'.repeat(MAX_NAME_BYTES / 2 + 1))).toMatch(/longer/)
  })
})

describe('classifyNetworkFile', () => {
  it('takes NAME.xml and ignores temporaries, backups and other files', () => {
    expect(classifyNetworkFile('web.xml')).toEqual({ kind: 'network', name: 'web' })
    expect(classifyNetworkFile('.web.xml.tmp-1-abc')).toEqual({ kind: 'ignore' })
    expect(classifyNetworkFile('web.xml~')).toEqual({ kind: 'ignore' })
    expect(classifyNetworkFile('web.xml.bak')).toEqual({ kind: 'ignore' })
    expect(classifyNetworkFile('README')).toEqual({ kind: 'ignore' })
  })
  it('reports a .xml file whose name is not a network name', () => {
    expect(classifyNetworkFile('.xml')).toEqual({ kind: 'ignore' })
    expect(classifyNetworkFile('a\tb.xml')).toMatchObject({ kind: 'invalid', name: 'a\tb' })
  })
})
