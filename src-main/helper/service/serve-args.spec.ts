import { describe, expect, it } from 'vitest'

import { DEFAULT_IDLE_TIMEOUT_S, parseServeArgs } from './serve-args'

describe('parseServeArgs', () => {
  it('is null without --serve (the one-shot helper)', () => {
    expect(parseServeArgs([], {})).toBeNull()
    expect(parseServeArgs(['--root', '/r'], {})).toBeNull()
  })

  it('reads --root and --idle-timeout, with libvirt’s 120 s by default', () => {
    expect(parseServeArgs(['--serve'], {})).toEqual({ idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_S * 1000, listenFd: null })
    expect(parseServeArgs(['--serve', '--root', '/r', '--idle-timeout', '0'], {})).toEqual({
      root: '/r',
      idleTimeoutMs: 0,
      listenFd: null
    })
  })

  it('refuses a relative root, a bad timeout and unknown options, saying what it takes', () => {
    expect(parseServeArgs(['--serve', '--root', 'r'], {})).toMatchObject({ error: expect.stringContaining('absolute') })
    expect(parseServeArgs(['--serve', '--idle-timeout', '-1'], {})).toMatchObject({
      error: expect.stringContaining('whole seconds')
    })
    expect(parseServeArgs(['--serve', '--idle-timeout'], {})).toMatchObject({ error: expect.stringContaining('usage') })
    expect(parseServeArgs(['--serve', '--port', '80'], {})).toMatchObject({
      error: expect.stringContaining("'--port'")
    })
  })

  it('listens on fd 3 when systemd activated this very process with one socket', () => {
    expect(parseServeArgs(['--serve'], { pid: '77', fds: '1' }, 77)).toMatchObject({ listenFd: 3 })
    expect(parseServeArgs(['--serve'], { pid: '78', fds: '1' }, 77)).toMatchObject({ listenFd: null })
    expect(parseServeArgs(['--serve'], { pid: '77', fds: '2' }, 77)).toMatchObject({
      error: expect.stringContaining('exactly one')
    })
  })
})
