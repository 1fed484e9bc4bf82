/** Why the namespace tests cannot run here (not root, a program missing, the CLI not built), or null. */
import { execFileSync } from 'node:child_process'
import { accessSync, constants, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..')
export const CLI_JS = join(REPO, 'out', 'main', 'cli.js')
export const GUESTNET_BIN = join(REPO, 'bin', 'guestnet')

/** Program → Debian package. */
const PROGRAMS: Record<string, string> = {
  ip: 'iproute2',
  nft: 'nftables',
  dnsmasq: 'dnsmasq-base',
  busybox: 'busybox'
}

export function findProgram(name: string): string | null {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin', '/usr/bin', '/bin'])
  for (const dir of dirs) {
    const path = join(dir, name)
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {
      // not here
    }
  }
  return null
}

/** Root and the programs: what the harness itself needs. */
export function harnessSkipReason(): string | null {
  if (process.platform !== 'linux') return 'network namespaces need Linux'
  if (process.getuid?.() !== 0) return 'not root: run the netns tests as root (sudo npx vitest run --project netns)'
  const missing = Object.entries(PROGRAMS).filter(([program]) => !findProgram(program))
  if (missing.length > 0) {
    return `missing ${missing.map(([p, pkg]) => `${p} (apt-get install ${pkg})`).join(', ')}`
  }
  return null
}

let cliReason: string | null | undefined

/** The harness needs plus a built CLI that has the online verbs. */
export function cliSkipReason(): string | null {
  const base = harnessSkipReason()
  if (base) return base
  if (cliReason !== undefined) return cliReason
  if (!existsSync(CLI_JS)) {
    cliReason = `the CLI is not built: run 'npx electron-vite build' first (${CLI_JS} is missing)`
    return cliReason
  }
  try {
    const help = execFileSync(process.execPath, [GUESTNET_BIN, 'help'], { encoding: 'utf8', timeout: 15_000 })
    cliReason = /\bnet-start\b/.test(help)
      ? null
      : 'the built CLI has no net-start verb yet (rebuild after the helper lands)'
  } catch (error) {
    cliReason = `'guestnet help' failed: ${(error as Error).message}`
  }
  return cliReason
}
