import { describe, expect, it } from 'vitest'

import { ConfigError, resolveConfig } from './app-config'

describe('resolveConfig', () => {
  it('a normal user on the real system elevates with pkexec', () => {
    expect(resolveConfig({ argv: [], env: {}, uid: 1000 })).toEqual({
      mode: 'system',
      elevation: 'pkexec',
      hidden: false
    })
  })

  it('root runs the helper directly', () => {
    expect(resolveConfig({ argv: ['--hidden'], env: {}, uid: 0 })).toEqual({
      mode: 'system',
      elevation: 'direct',
      hidden: true
    })
  })

  it('--sandbox runs everything in gn-sbx-host under the runtime directory', () => {
    expect(resolveConfig({ argv: ['--sandbox'], env: { XDG_RUNTIME_DIR: '/run/user/1000' }, uid: 1000 })).toEqual({
      mode: 'sandbox',
      elevation: 'direct',
      root: '/run/user/1000/guestnet-sandbox',
      netns: 'gn-sbx-host',
      hidden: false
    })
    expect(resolveConfig({ argv: ['--sandbox', '--root=/tmp/sbx'], env: {}, uid: 0 })).toMatchObject({
      root: '/tmp/sbx'
    })
    expect(resolveConfig({ argv: ['--sandbox'], env: {}, uid: 0 })).toMatchObject({ root: '/run/guestnet-sandbox' })
  })

  it('refuses a relative root', () => {
    expect(() => resolveConfig({ argv: ['--root', 'tmp'], env: {}, uid: 0 })).toThrow(ConfigError)
    expect(() => resolveConfig({ argv: ['--root'], env: {}, uid: 0 })).toThrow('--root needs an absolute directory')
  })
})
