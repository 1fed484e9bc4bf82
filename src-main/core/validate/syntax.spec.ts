import { describe, expect, it } from 'vitest'

import {
  domainProblem,
  duidKey,
  hostnameProblem,
  ifnameProblem,
  networkNameProblem,
  printable,
  showChar,
  txtValueProblem,
  uuidProblem
} from './syntax'

describe('syntax checks', () => {
  it('shows offending characters so a terminal cannot be fooled', () => {
    expect(showChar('\n')).toBe('a newline')
    expect(showChar('\u001b')).toBe('control character U+001B')
    expect(showChar('\u009b')).toBe('control character U+009B')
    expect(showChar('\u202e')).toBe('character U+202E')
    expect(showChar('é')).toBe("'é'")
    expect(printable('a\u001b[2Jb\u202e"')).toBe('a\\u001b[2Jb\\u202e\\"')
    expect(printable('x'.repeat(100), 10)).toBe(`${'x'.repeat(10)}…`)
  })

  it('accepts the usual names and refuses the dangerous ones', () => {
    expect(networkNameProblem('default')).toBeNull()
    expect(networkNameProblem('lab_2.test+v6')).toBeNull()
    expect(networkNameProblem('café')).toBeNull()
    expect(networkNameProblem('default"with"quotes"')).toBeNull()
    expect(networkNameProblem('a\u0007b')).toBe('control character U+0007 is not allowed in a network name')
    expect(networkNameProblem('a/b')).toMatch(/'\/' is not allowed/)
    expect(ifnameProblem('virbr0')).toBeNull()
    expect(ifnameProblem('br-3f2a1b9c8d7e')).toBeNull()
    expect(ifnameProblem('eth0:1')).toBe("':' is not allowed in an interface name")
    expect(ifnameProblem('..')).toBe("'..' is not a valid interface name")
    expect(uuidProblem('3E3FCE454F534FA7BB3211F34168B82B')).toBeNull()
    expect(uuidProblem('3e3fce45-4f53-4fa7-bb32-11f34168b82')).toMatch(/not a UUID/)
  })

  it('checks DNS names label by label', () => {
    expect(domainProblem('example.com')).toBeNull()
    expect(domainProblem('a'.repeat(64) + '.com')).toMatch(/longer than 63/)
    expect(domainProblem('ex_ample.com')).toBe(
      "the label 'ex_ample' is not valid: use letters, digits and hyphens, not at the start or end of a label"
    )
    expect(domainProblem('example.com.')).toMatch(/empty label/)
    expect(domainProblem(`${'a.'.repeat(127)}aa`)).toMatch(/longer than 253/)
    expect(hostnameProblem('web_1')).toBeNull()
    expect(hostnameProblem('1web')).toBeNull()
    expect(hostnameProblem('-web')).toMatch(/not valid/)
  })

  it('keeps TXT values to what a dnsmasq config line carries unchanged', () => {
    expect(txtValueProblem('v=spf1 -all')).toBeNull()
    expect(txtValueProblem('a,b')).toBe("',' is not allowed in a TXT value")
    expect(txtValueProblem('back\\slash')).toBe("'\\' is not allowed in a TXT value")
  })

  it('compares DUIDs whatever the zero padding and case', () => {
    expect(duidKey('00:03:00:01:52:54:00:AA')).toBe(duidKey('0:3:0:1:52:54:0:aa'))
  })
})
