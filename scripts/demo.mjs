#!/usr/bin/env node
// `npm run demo [-- --keep]`: the sandbox demo where there is no display. Builds the CLI when it is
// missing or older than the sources, then runs `guestnet --root /run/guestnet-demo sandbox demo`:
// a laptop-like sandbox made of network namespaces, the default network started in it, two guests
// with real DHCP clients, and a report of every check. It needs root (network namespaces).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(repo, 'out', 'main', 'cli.js')
const root = '/run/guestnet-demo'
const keep = process.argv.includes('--keep')

if (process.platform !== 'linux') {
  console.error('npm run demo: the demo builds Linux network namespaces; run it on Linux')
  process.exit(3)
}
if (process.getuid?.() !== 0) {
  console.error('npm run demo: the demo creates network namespaces, which needs root. Run it as root:')
  console.error(`  sudo npm run demo${keep ? ' -- --keep' : ''}`)
  console.error(
    `  (or: sudo node ${join(repo, 'bin', 'guestnet')} --root ${root} sandbox demo${keep ? ' --keep' : ''})`
  )
  process.exit(3)
}

function newestMtime(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

if (!existsSync(cli) || statSync(cli).mtimeMs < newestMtime(join(repo, 'src-main'))) {
  console.log('building the CLI (npx electron-vite build)…')
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] })
  if (build.status !== 0) {
    console.error('npm run demo: the build failed; fix it and try again')
    process.exit(build.status ?? 1)
  }
}

// Users do not have NODE_EXTRA_CA_CERTS; it only slows every node start, and the demo prints timings.
const env = { ...process.env }
delete env.NODE_EXTRA_CA_CERTS
const args = [join(repo, 'bin', 'guestnet'), '--root', root, 'sandbox', 'demo', ...(keep ? ['--keep'] : [])]
const demo = spawnSync(process.execPath, args, { stdio: 'inherit', env })
// The demo's root holds only what the demo made (the default network's definition, its leases); the
// sandbox is down by now unless --keep, so nothing of the demo stays behind.
if (!keep) rmSync(root, { recursive: true, force: true })
process.exit(demo.status ?? 1)
