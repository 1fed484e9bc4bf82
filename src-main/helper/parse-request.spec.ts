import { describe, expect, it } from 'vitest'

import { parseRequest } from './parse-request'
import { checkNetworkName } from './policy'
import { HelperError, MAX_REQUEST_BYTES } from '../contract/helper-protocol'

function refused(text: string): HelperError {
  try {
    parseRequest(text, checkNetworkName)
  } catch (e) {
    if (e instanceof HelperError) return e
    throw e
  }
  throw new Error(`accepted: ${text.slice(0, 80)}`)
}

const req = (verb: string, args: Record<string, unknown>): string => JSON.stringify({ verb, args })

describe('parseRequest', () => {
  it('accepts a plain start request', () => {
    expect(parseRequest(req('start', { name: 'default', root: '/tmp/r', netns: 'gn-1' }), checkNetworkName)).toEqual({
      verb: 'start',
      args: { name: 'default', root: '/tmp/r', netns: 'gn-1' }
    })
  })

  it.each([
    ['a;rm -rf /'],
    ['../x'],
    ['x/../../etc'],
    ['.'],
    ['..'],
    ['a\nb'],
    ['\u001b]52;c;aGk=\u0007'],
    ['a\u009bb'],
    [''],
    ['x'.repeat(201)]
  ])('refuses the network name %j before anything runs', (name) => {
    const e = refused(req('start', { name }))
    expect(e.code).toBe('INVALID_NAME')
    expect(e.field).toBe('args.name')
  })

  it.each([['$(id)'], ['`id`'], ['.hidden'], ['-rf'], ['a b'], ['default"with"quotes"'], ['x'.repeat(200)]])(
    'takes %j as a name like libvirt (never in a shell; files and identifiers derived by encoding)',
    (name) => {
      expect(parseRequest(req('start', { name }), checkNetworkName)).toMatchObject({ args: { name } })
    }
  )

  it('refuses malformed JSON with a clear error', () => {
    const e = refused('{"verb": "start", "args": {')
    expect(e.code).toBe('BAD_JSON')
    expect(e.message).toMatch(/not valid JSON/)
    expect(e.fix).toMatch(/\{"verb"/)
  })

  it('refuses a request over the size limit without parsing it', () => {
    const huge = req('define', { xml: `<network>${' '.repeat(MAX_REQUEST_BYTES)}</network>` })
    expect(refused(huge).code).toBe('TOO_LARGE')
  })

  it('refuses steps, paths and unknown fields: a request carries names and XML only', () => {
    expect(refused(req('start', { name: 'n', steps: [['ip', 'link']] })).field).toBe('args.steps')
    expect(refused(req('start', { name: 'n', runtimeDir: '/etc' })).field).toBe('args.runtimeDir')
    expect(refused(JSON.stringify({ verb: 'start', args: { name: 'n' }, plan: {} })).code).toBe('BAD_REQUEST')
    expect(refused(req('start', { name: 'n', xml: '<network/>' })).code).toBe('BAD_REQUEST')
  })

  it('refuses unknown verbs, non-objects and wrong types', () => {
    expect(refused(req('rm', {})).code).toBe('UNKNOWN_VERB')
    expect(refused('[1,2]').code).toBe('BAD_REQUEST')
    expect(refused('"start"').code).toBe('BAD_REQUEST')
    expect(refused(req('start', { name: 42 })).field).toBe('args.name')
    expect(refused(req('autostart', { name: 'n', enable: 'yes' })).field).toBe('args.enable')
    expect(refused(req('start', {})).field).toBe('args.name')
  })

  it('refuses a bad namespace name and a relative root', () => {
    expect(refused(req('start', { name: 'n', netns: '../../proc/1/ns/net' })).field).toBe('args.netns')
    expect(refused(req('start', { name: 'n', netns: 'a;b' })).field).toBe('args.netns')
    expect(refused(req('start', { name: 'n', root: 'tmp/x' })).code).toBe('BAD_ROOT')
  })

  it('says so when no request came at all', () => {
    expect(refused('  \n').code).toBe('NO_REQUEST')
  })
})
