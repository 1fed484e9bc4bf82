/**
 * Checks nft rulesets with the real `nft -c` (parse and validate, no commit) inside a network
 * namespace this process creates and always deletes — never in the machine's own namespace.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface NftResult {
  ok: boolean
  output: string
}

function has(program: string): boolean {
  return spawnSync(program, ['--version'], { encoding: 'utf8' }).status === 0
}

/** Why the real-nft checks cannot run here, or null when they can. */
export function nftSkipReason(): string | null {
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return 'not root: network namespaces need CAP_SYS_ADMIN'
  if (!has('nft')) return 'nft is not installed (Debian: apt-get install nftables)'
  if (spawnSync('ip', ['-V'], { encoding: 'utf8' }).status !== 0) return 'ip (iproute2) is not installed'
  return null
}

export class NftNamespace {
  readonly name = `gn-plan-${process.pid}`
  private readonly dir = mkdtempSync(join(tmpdir(), 'gn-plan-'))
  private created = false

  open(): void {
    execFileSync('ip', ['netns', 'add', this.name])
    this.created = true
  }

  /** Runs `nft ARGS` in the namespace; `ruleset` (if given) is written to a file passed as `-f`. */
  nft(args: string[], ruleset?: string): NftResult {
    const argv = [...args]
    if (ruleset !== undefined) {
      const file = join(this.dir, 'ruleset.nft')
      writeFileSync(file, ruleset)
      argv.push('-f', file)
    }
    const r = spawnSync('ip', ['netns', 'exec', this.name, 'nft', ...argv], { encoding: 'utf8' })
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` }
  }

  check(ruleset: string): NftResult {
    return this.nft(['-c'], ruleset)
  }

  /** Whether this kernel has nft's bridge meta keys (CONFIG_NFT_BRIDGE_META), as port isolation needs. */
  bridgeMeta(): boolean {
    const probe =
      'table bridge gn_probe {\n\tchain f {\n\t\ttype filter hook forward priority 0;\n\t\tmeta ibrname "x" drop\n\t}\n}\n'
    return this.check(probe).ok
  }

  close(): void {
    if (this.created) execFileSync('ip', ['netns', 'del', this.name])
    this.created = false
    rmSync(this.dir, { recursive: true, force: true })
  }
}
