/**
 * Attacks through real pkexec and polkitd, as the unprivileged test user (polkit allows it, as an admin's
 * password would): a request naming `root` or `netns` is refused (BAD_REQUEST) whatever it names, a
 * directory the user made and filled with a store of its own (a journal whose undo is a shell command, a
 * lease file linking to /etc/shadow) included, and nothing in the private system store changes; a lease
 * file in the system store that links to /etc/shadow is refused by the leases verb, never read. Positive
 * controls: status and leases through pkexec work, a real lease file is read.
 */
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { networkXml } from '../netns/support/network-xml'
import { runAsUser, runInTestNamespaces } from './support/as-user'
import type { ElevationWorld } from './support/elevation-world'
import { createElevationWorld } from './support/elevation-world'
import { TEMP_PREFIX } from './support/paths'
import type { PkexecOutcome } from './support/pkexec-request'
import { okValue } from './support/pkexec-request'
import { pkexecSkipReason } from './support/requirements'
import { onUndo } from './support/undo'

const skip = pkexecSkipReason() ?? (existsSync('/etc/shadow') ? null : 'no /etc/shadow to aim at')
if (skip) console.warn(`pkexec attack tests skipped: ${skip}`)

const NET = { name: 'pkatk', bridge: 'gnpkatk0', mode: 'nat', ipv4: '192.168.191.1/24' } as const
const LEASE = '1999999999 52:54:00:12:34:56 192.168.191.42 pkguest *'
const LEASES_FILE = `/var/lib/guestnet/dnsmasq/${NET.name}.leases`

/** Every line of /etc/shadow, and each line's `name:hash` start (what a parser would echo). */
function shadowNeedles(): string[] {
  const lines = readFileSync('/etc/shadow', 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  return [...lines, ...lines.map((l) => l.split(':').slice(0, 3).join(':'))]
}

function expectNoShadow(out: PkexecOutcome, what: string): void {
  const text = out.stdout + out.stderr
  for (const needle of shadowNeedles()) expect(text.includes(needle), `${what} holds a line of /etc/shadow`).toBe(false)
}

describe.skipIf(skip !== null)(`attacks through real pkexec${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let w: ElevationWorld
  /** A directory the test user owns, with a store of its own planted in it. */
  let userDir: string
  let canary: string
  let storeBefore: string[]

  const plant = async (argv: string[]): Promise<void> => {
    const r = await runAsUser(w, argv)
    if (r.code !== 0) throw new Error(`as the test user: '${argv.join(' ')}' failed: ${r.stderr}`)
  }
  const asRoot = async (argv: string[]): Promise<void> => {
    const r = await runInTestNamespaces(w, argv)
    if (r.code !== 0) throw new Error(`'${argv.join(' ')}' failed: ${r.stderr}`)
  }

  beforeAll(async () => {
    w = await createElevationWorld()
    w.setRule('yes')
    userDir = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-user-`))
    onUndo(`remove ${userDir}`, () => rmSync(userDir, { recursive: true, force: true }))
    chownSync(userDir, w.user.uid, w.user.gid)
    chmodSync(userDir, 0o755)
    canary = join(userDir, 'PWNED-by-root')
    await plant([
      'mkdir',
      '-p',
      `${userDir}/etc/guestnet/networks`,
      `${userDir}/var/lib/guestnet/dnsmasq`,
      `${userDir}/run/guestnet`
    ])
    await plant([
      'sh',
      '-c',
      `printf '%s' "$1" > "$2"`,
      'sh',
      networkXml(NET),
      `${userDir}/etc/guestnet/networks/${NET.name}.xml`
    ])
    await plant(['ln', '-s', '/etc/shadow', `${userDir}/var/lib/guestnet/dnsmasq/${NET.name}.leases`])
    const v1 = JSON.stringify({
      version: 1,
      kind: 'journal',
      network: NET.name,
      uuid: null,
      bridge: NET.bridge,
      tables: [],
      pidfile: null,
      dnsmasqPid: null,
      sysctls: {},
      netns: null,
      nsId: null,
      startedAt: '2024-01-01T00:00:00.000Z',
      undo: [{ step: 'files', title: 'x', commands: [['sh', '-c', `touch ${canary}`]] }]
    })
    await plant(['sh', '-c', `printf '%s' "$1" > "$2"`, 'sh', v1, `${userDir}/run/guestnet/${NET.name}.json`])
  })
  afterAll(async () => {
    await w?.dispose()
  })

  it('positive control: define, status and leases work through pkexec on the system store', async () => {
    expect(okValue(await w.request({ request: { verb: 'define', args: { xml: networkXml(NET) } } }))).toMatchObject({
      network: NET.name,
      created: true
    })
    const status = okValue(await w.request({ request: { verb: 'status', args: {} } }))
    expect(status.networks).toEqual([expect.objectContaining({ name: NET.name, state: 'inactive' })])
    expect(okValue(await w.request({ request: { verb: 'leases', args: { name: NET.name } } }))).toMatchObject({
      network: NET.name,
      leases: []
    })
    // A real lease file (dnsmasq's, written by root) is read.
    await asRoot([
      'sh',
      '-c',
      `mkdir -p /var/lib/guestnet/dnsmasq && printf '%s\\n' "$1" > ${LEASES_FILE}`,
      'sh',
      LEASE
    ])
    const leases = okValue(await w.request({ request: { verb: 'leases', args: { name: NET.name } } }))
    expect(leases.leases).toEqual([expect.objectContaining({ ip: '192.168.191.42', hostname: 'pkguest', prefix: 24 })])
    storeBefore = await w.storeFiles()
  })

  it('refuses root and netns (BAD_REQUEST), a directory the user filled with a store of its own included; nothing changes', async () => {
    const cases: Array<[Record<string, unknown>, 'args.root' | 'args.netns']> = [
      [{ verb: 'stop', args: { name: NET.name, root: userDir } }, 'args.root'],
      [{ verb: 'reconcile', args: { root: userDir } }, 'args.root'],
      [{ verb: 'leases', args: { name: NET.name, root: userDir } }, 'args.root'],
      [{ verb: 'status', args: { root: userDir } }, 'args.root'],
      [{ verb: 'start', args: { name: NET.name, root: '/tmp' } }, 'args.root'],
      [{ verb: 'define', args: { xml: networkXml(NET), root: `/proc/self/root${userDir}` } }, 'args.root'],
      [{ verb: 'start', args: { name: NET.name, netns: w.host } }, 'args.netns'],
      [{ verb: 'status', args: { netns: w.host } }, 'args.netns']
    ]
    for (const [request, field] of cases) {
      const out = await w.request({ request: request as { verb: string; args: Record<string, unknown> } })
      const shown = JSON.stringify(request)
      expect(out.result, `${shown}: ${out.stderr}`).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', field } })
      expect(out.exitCode, shown).toBe(2)
      expect(
        out.events.filter((e) => e.type !== 'result'),
        shown
      ).toEqual([])
      expectNoShadow(out, shown)
    }
    expect(existsSync(canary)).toBe(false)
    expect(await w.storeFiles()).toEqual(storeBefore)
    const bridges = await w.world.x.ipJson<{ ifname: string }[]>(w.host, ['link', 'show', 'type', 'bridge'])
    expect(bridges).toEqual([])
    // The user's planted store is as the user left it: nothing read it, moved it or ran it.
    const listing = await runAsUser(w, ['find', userDir, '-mindepth', '1', '-printf', '%P %y\\n'])
    expect(listing.stdout.split('\n').filter(Boolean).sort()).toEqual(
      [
        'etc d',
        'etc/guestnet d',
        'etc/guestnet/networks d',
        `etc/guestnet/networks/${NET.name}.xml f`,
        'run d',
        'run/guestnet d',
        `run/guestnet/${NET.name}.json f`,
        'var d',
        'var/lib d',
        'var/lib/guestnet d',
        'var/lib/guestnet/dnsmasq d',
        `var/lib/guestnet/dnsmasq/${NET.name}.leases l`
      ].sort()
    )
  })

  it('a lease file in the system store that links to /etc/shadow is refused through pkexec, never read', async () => {
    await asRoot(['ln', '-sf', '/etc/shadow', LEASES_FILE])
    try {
      const out = await w.request({ request: { verb: 'leases', args: { name: NET.name } } })
      expect(out.result).toMatchObject({ ok: false })
      expect(out.result?.error?.message).toMatch(/refusing .*\.leases: it is a symbolic link/)
      expectNoShadow(out, 'leases')
      const status = await w.request({ request: { verb: 'status', args: {} } })
      expect(okValue(status).networks).toEqual([expect.objectContaining({ name: NET.name })])
      expectNoShadow(status, 'status')
    } finally {
      await asRoot(['rm', '-f', LEASES_FILE])
    }
  })

  it('leaves nothing behind', async () => {
    await w.dispose()
    expect(await w.leftovers()).toEqual([])
    expect(existsSync(userDir)).toBe(false)
  })
})
