/**
 * GUI test harness (started by Playwright's webServer, run with jiti): serves the built renderer and
 * answers every contract call with the REAL handlers Electron main registers (createAppService),
 * with the real helper running inside the namespace sandbox under a root of its own. Test-only
 * controls live under /__harness/. Listens on 127.0.0.1 only. Needs root (network namespaces).
 */
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

import { createAppService } from '../../../src-main/app/create-service'
import { dispatch } from '../../../src-main/app/ipc/dispatch'
import type { Emit } from '../../../src-main/app/network-service'
import { startWatching } from '../../../src-main/app/watchers'
import { apiManifest } from '../../../src-main/contract/api'
import { SBX_HOST } from '../../../src-main/sandbox/sandbox-config'
import { NetworkStore } from '../../../src-main/store/network-store'
import { EventHub, readBody, sendJson, serveStatic } from './http-routes'
import { createWorld } from './sandbox-world'

const repo = resolve(__dirname, '../../..')
const port = Number(process.env.GUESTNET_HARNESS_PORT ?? 41741)
const root = process.env.GUESTNET_HARNESS_ROOT ?? join(tmpdir(), 'guestnet-gui-harness')
const rendererDir = join(repo, 'out/renderer')
const helperScript = join(repo, 'out/main/helper.js')
const cliScript = join(repo, 'out/main/cli.js')
const log = (line: string): void => void process.stderr.write(`[harness] ${line}\n`)

if (process.getuid?.() !== 0) {
  log('needs root: the sandbox is made of network namespaces')
  process.exit(3)
}
for (const f of [join(rendererDir, 'index.html'), helperScript]) {
  if (!existsSync(f)) {
    log(`${f} is missing: run npm run build first`)
    process.exit(3)
  }
}

const hub = new EventHub()
const emit: Emit = (event, payload) => hub.send(event, payload)
/** Switches for the directly spawned helper; `GUESTNET_HELPER_FAULT` makes a chosen step fail. */
const extraEnv: Record<string, string> = {}
const service = createAppService({
  config: { mode: 'sandbox', elevation: 'direct', root, netns: SBX_HOST, hidden: false },
  version: 'gui-harness',
  emit,
  factsTtlMs: 300,
  launch: { helperScript, installedHelper: null, execPath: process.execPath, isElectron: false, extraEnv }
})
const world = createWorld(root, cliScript, log)
const store = new NetworkStore({ root })
const helperArgs = { root, netns: SBX_HOST }

/** Stops every network, removes guests and test changes, and empties the store: a first run again. */
async function reset(): Promise<void> {
  delete extraEnv.GUESTNET_HELPER_FAULT
  // First: a test's echo server runs inside a guest namespace removed below.
  world.stopServers()
  for (const entry of await store.list()) {
    await service.helper({ verb: 'stop', args: { ...helperArgs, name: entry.name } }, { privileged: true })
  }
  const status = await import('../../../src-main/sandbox/sandbox').then((m) => m.sandboxStatus(world.ctx))
  for (const g of status.guests) await world.delGuest(g.name)
  await world.undoHostChanges()
  for (const dir of ['etc', 'var']) await rm(join(root, dir), { recursive: true, force: true })
}

async function control(action: string, body: Record<string, unknown>): Promise<unknown> {
  switch (action) {
    case 'reset':
      await reset()
      return { root }
    case 'fault':
      if (typeof body.fault === 'string') extraEnv.GUESTNET_HELPER_FAULT = body.fault
      else delete extraEnv.GUESTNET_HELPER_FAULT
      return { fault: extraEnv.GUESTNET_HELPER_FAULT ?? null }
    case 'guest-add':
      return world.addGuest(String(body.name), String(body.network ?? 'default'))
    case 'guest-del':
      return world.delGuest(String(body.name))
    case 'guest-addresses':
      return world.guestAddresses(String(body.name))
    case 'guest-serve':
      await world.guestServe(String(body.name), body.proto === 'udp' ? 'udp' : 'tcp', Number(body.port))
      return {}
    case 'inet-send':
      return world.inetSend(body.proto === 'udp' ? 'udp' : 'tcp', String(body.host), Number(body.port))
    case 'host-links':
      return world.hostLinks()
    case 'host-addresses':
      return world.hostAddresses(String(body.dev))
    case 'ensure-default': {
      // The boot path's first-run step, without the wizard: tests that need a default network start here.
      const made = await world.ensureDefault()
      if (body.start === true) {
        const r = await service.helper(
          { verb: 'start', args: { ...helperArgs, name: 'default' } },
          { privileged: true }
        )
        if (!r.ok) throw new Error(`starting default: ${r.error.message}`)
      }
      return made
    }
    case 'host-route':
      await world.hostRoute(String(body.dst), String(body.dev), String(body.table))
      return {}
    case 'host-link':
      await world.hostLink(String(body.name))
      return {}
    case 'undo-host-changes':
      await world.undoHostChanges()
      return {}
    case 'shutdown':
      // Answers after the sandbox is gone, so the caller knows when it may end this process.
      await cleanUp()
      setTimeout(() => process.exit(0), 50)
      return { bye: true }
    default:
      throw new Error(`unknown harness action '${action}'`)
  }
}

const server = createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    try {
      if (req.method === 'POST' && url.pathname.startsWith('/__guestnet/invoke/')) {
        const channel = decodeURIComponent(url.pathname.slice('/__guestnet/invoke/'.length))
        sendJson(res, 200, await dispatch(service.handlers, channel, await readBody(req), log))
      } else if (url.pathname === '/__guestnet/events') hub.attach(res)
      else if (url.pathname === '/__guestnet/manifest') sendJson(res, 200, apiManifest())
      else if (req.method === 'POST' && url.pathname.startsWith('/__harness/')) {
        sendJson(res, 200, {
          ok: true,
          value: await control(
            url.pathname.slice('/__harness/'.length),
            (await readBody(req)) as Record<string, unknown>
          )
        })
      } else if (req.method === 'GET') {
        await serveStatic(rendererDir, url.pathname, res, {
          '/__harness/axe.min.js': join(repo, 'node_modules/axe-core/axe.min.js')
        })
      } else res.writeHead(405).end()
    } catch (e) {
      log(`${req.method} ${url.pathname}: ${(e as Error).stack ?? String(e)}`)
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: (e as Error).message } })
    }
  })()
})

let stopWatching = (): void => undefined
let cleaning: Promise<void> | null = null
/** Stops the networks, takes the sandbox down and removes the root (once). */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    stopWatching()
    hub.close()
    try {
      await reset()
      await world.down()
    } catch (e) {
      log(`cleanup: ${(e as Error).message}`)
    }
  })()
  return cleaning
}
async function shutdown(code: number): Promise<void> {
  server.close()
  await cleanUp()
  process.exit(code)
}
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => void shutdown(0))

async function main(): Promise<void> {
  if (process.argv.includes('--cleanup')) {
    await cleanUp()
    return
  }
  // A harness that died before cleaning up left its sandbox: take it down first.
  await world.down().catch((e: Error) => log(`previous sandbox: ${e.message}`))
  await world.up()
  await reset()
  stopWatching = startWatching(service.watch, { leasesMs: 500, hostMs: 1000, statesMs: 3000 })
  server.listen(port, '127.0.0.1', () => log(`ready on http://127.0.0.1:${port} (root ${root})`))
}

main().catch(async (e: Error) => {
  log(`could not start: ${e.stack ?? e.message}`)
  await world.down().catch(() => undefined)
  process.exit(1)
})
