/**
 * The real runner: `@` built-ins in-process, `ip -batch FILE` through the request's ip session and
 * the first `nft -f FILE` through the nft started early, when there are such (the file must lie where
 * the plan writes), everything else an allow-listed program. A plain `ip link del X` or `nft delete
 * table F T` (the undo of a stop) also goes through those processes when they are there, as one
 * batch line or one line of input: the warm service (service/serve.ts) hands a stop both, so a stop
 * starts no program at all.
 */
import type { Argv } from '../../core/model/plan'
import { readTextNoFollow } from '../../store/safe-fs'
import type { CommandRunner } from '../apply-plan'
import type { BuiltinEnv } from './builtins'
import { isPathUnder, runBuiltin } from './builtins'
import { execProgram } from './exec-program'
import type { IpSession } from './ip-session'
import type { NftLoader } from './nft-loader'

export interface EarlyPrograms {
  /** The request's ip process (run/ip-session.ts). */
  ipSession?: Pick<IpSession, 'alive' | 'runBatch' | 'close'> | null
  /** An `nft -f -` started early, for the first `nft -f FILE` (run/nft-loader.ts). */
  nft?: Pick<NftLoader, 'canLoad' | 'load'> | null
  /** Another, for the first `nft -a list table F N` (a table's owner check before its deletion). */
  lister?: Pick<NftLoader, 'canLoad' | 'load'> | null
}

export function createCommandRunner(base: Omit<BuiltinEnv, 'programs'>, early: EarlyPrograms = {}): CommandRunner {
  const session = early.ipSession
  /** What this runner's `@write`s put where: a batch or ruleset is fed from memory, never read back. */
  const written = new Map<string, string>()
  const textOf = (path: string): string => written.get(path) ?? readTextNoFollow(path) ?? ''
  const runner: CommandRunner = {
    async run(argv: Argv): Promise<void> {
      if (argv.length === 0) throw new Error('empty command in the plan')
      if (argv[0].startsWith('@')) {
        await runBuiltin(argv, env)
        if (argv[0] === '@write' && Object.hasOwn(base.artifacts, argv[2]))
          written.set(argv[1], base.artifacts[argv[2]])
        return
      }
      if (session?.alive && isIpBatch(argv) && isPathUnder(argv[2], base.allowedDirs)) {
        await session.runBatch(textOf(argv[2]), argv[2])
        return
      }
      if (early.nft && isNftFile(argv) && isPathUnder(argv[2], base.allowedDirs)) {
        const text = textOf(argv[2])
        if (early.nft.canLoad(text)) {
          await early.nft.load(text, argv[2])
          return
        }
      }
      if (session?.alive && argv[0] === 'ip' && isPlainCommand(argv)) {
        // The session's cached interface indexes may be stale after a link change: it ends here.
        try {
          await session.runBatch(argv.slice(1).join(' '), argv.join(' '))
        } finally {
          session.close()
        }
        return
      }
      if (early.nft && argv[0] === 'nft' && argv[1] === 'delete' && isPlainCommand(argv)) {
        const line = `${argv.slice(1).join(' ')}\n`
        if (early.nft.canLoad(line)) {
          await early.nft.load(line, argv.join(' '))
          return
        }
      }
      // Another ip may change links behind the session's back (ip link del, then the same name
      // made again): its cached interface indexes would be stale, so it ends here.
      if (argv[0] === 'ip') session?.close()
      await execProgram(argv)
    }
  }
  const env: BuiltinEnv = {
    ...base,
    programs: {
      run: (argv) => runner.run(argv),
      output: async (argv) => {
        const lister = early.lister
        if (lister && isNftTableListing(argv)) {
          const line = `list table ${argv[4]} ${argv[5]}\n`
          if (lister.canLoad(line)) return lister.load(line, argv.join(' '))
        }
        return (await execProgram(argv)).stdout
      }
    }
  }
  return runner
}

/**
 * Words only (no option, quote, separator or comment a batch line or nft input would read
 * differently from an argv): the same command as one line.
 */
export function isPlainCommand(argv: Argv): boolean {
  return argv.length >= 3 && argv.slice(1).every((a) => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(a))
}

/** `ip -batch FILE`: the same lines, run by the request's ip session (run/ip-session.ts). */
function isIpBatch(argv: Argv): boolean {
  return argv.length === 3 && argv[0] === 'ip' && argv[1] === '-batch'
}

/** `nft -a list table FAMILY NAME`, words only: the same listing from the nft started early. */
function isNftTableListing(argv: Argv): boolean {
  return (
    argv.length === 6 &&
    argv[0] === 'nft' &&
    argv[1] === '-a' &&
    argv[2] === 'list' &&
    argv[3] === 'table' &&
    isPlainCommand(argv)
  )
}

/** `nft -f FILE`: the same ruleset, fed to the nft started early (run/nft-loader.ts). */
function isNftFile(argv: Argv): boolean {
  return argv.length === 3 && argv[0] === 'nft' && argv[1] === '-f'
}
