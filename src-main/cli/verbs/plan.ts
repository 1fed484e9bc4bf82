/**
 * `guestnet plan FILE [--host-facts FILE] [--root DIR] [--json]`: what starting this network would
 * do, without doing it — the privileged steps with their undo, then the generated files.
 * The plan is the one the helper would build: same paths (`--root` moves them), same host facts
 * (recorded with --host-facts, else the live host), same dnsmasq account.
 */
import { readFile } from 'node:fs/promises'

import type { Argv, Plan } from '../../core/model/plan'
import type { Problem } from '../../core/model/problem'
import { formatFileProblem } from '../../core/model/problem'
import { buildPlan } from '../../core/plan/build-plan'
import type { DnsmasqUser } from '../../core/plan/dnsmasq-conf'
import { detectDnsmasqUser } from '../../core/plan/dnsmasq-user'
import { networkPaths } from '../../core/plan/network-paths'
import { PlanError } from '../../core/plan/plan-error'
import { storeLayout, StoreRootError } from '../../core/store/store-layout'
import { lineOfField } from '../../core/validate/field-line'
import { validateNetwork } from '../../core/validate/validate-network'
import { parseNetworkXml } from '../../core/xml/parse-network-xml'
import { readUserDb } from '../../host/user-db'
import { UsageError } from '../args'
import { HostFactsError, loadHostFacts } from '../load-host-facts'
import type { CliIo, Verb } from '../verb'
import { EXIT } from '../verb'

/** An argv as a shell-readable line: arguments with anything but safe characters single-quoted. */
export function showArgv(argv: Argv): string {
  return argv.map((a) => (/^[A-Za-z0-9@%+=:,./_-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : `${prefix}${l}`))
    .join('\n')
}

/** The readable listing: numbered steps with their commands and undo, then every generated file. */
export function formatPlanText(plan: Plan, paths: { runtimeDir: string; stateDir: string }): string {
  const out: string[] = [`Plan for network ${plan.network} (bridge ${plan.bridge})`, '']
  if (plan.steps.length === 0)
    out.push(
      `Nothing to change on the host: guests join its existing bridge ${plan.bridge}; starting the network checks it is there.`
    )
  plan.steps.forEach((step, i) => {
    out.push(`${i + 1}. ${step.title}`)
    for (const argv of step.apply) out.push(`     ${showArgv(argv)}`)
    out.push('   undo:')
    for (const argv of step.rollback) out.push(`     ${showArgv(argv)}`)
  })
  const where = new Map<string, string>()
  for (const step of plan.steps) for (const argv of step.apply) if (argv[0] === '@write') where.set(argv[2], argv[1])
  for (const [key, text] of Object.entries(plan.artifacts)) {
    out.push('', `--- ${key}: ${where.get(key) ?? networkPaths(paths, plan.network).dir}`)
    out.push(text === '' ? '    (empty)' : indent(text.replace(/\n$/, ''), '    '))
  }
  const sysctls = Object.entries(plan.sysctls)
  if (sysctls.length > 0) out.push('', '--- sysctls', ...sysctls.map(([k, v]) => `    ${k} = ${v}`))
  return `${out.join('\n')}\n`
}

function readDnsmasqUser(): DnsmasqUser {
  const { passwd, group } = readUserDb()
  return detectDnsmasqUser(passwd, group)
}

function printProblems(io: CliIo, file: string, problems: Problem[]): number {
  for (const p of problems) io.out(formatFileProblem(file, p))
  return EXIT.invalid
}

export const verb: Verb = {
  usage: 'plan FILE [--host-facts FILE] [--json]',
  summary: 'show the privileged steps, dnsmasq config, nft ruleset and sysctls that starting FILE would use',
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('plan takes exactly one FILE')
    const file = args.positionals[0]
    let layout
    try {
      layout = storeLayout(args.options.get('root'))
    } catch (e) {
      if (e instanceof StoreRootError) throw new UsageError(e.message)
      throw e
    }
    const paths = { runtimeDir: layout.runtimeDir, stateDir: layout.stateDir }
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      io.err(`guestnet plan: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
      return EXIT.invalid
    }
    const parsed = parseNetworkXml(text)
    if (!parsed.ok) return printProblems(io, file, parsed.problems)
    // The definition alone: clashes with the host's networks are `guestnet validate --host`'s report.
    const problems = validateNetwork(parsed.def).map((p) => ({
      ...p,
      line: p.line ?? lineOfField(parsed.doc, p.field)
    }))
    if (problems.length > 0) return printProblems(io, file, problems)

    let hostFacts
    try {
      hostFacts = await loadHostFacts(args)
    } catch (e) {
      if (!(e instanceof HostFactsError)) throw e
      io.err(`guestnet plan: ${e.message}`)
      return e.kind === 'input' ? EXIT.invalid : EXIT.environment
    }
    let plan: Plan
    try {
      plan = buildPlan(parsed.def, { paths, hostFacts, dnsmasqUser: readDnsmasqUser() })
    } catch (e) {
      if (!(e instanceof PlanError)) throw e
      return printProblems(io, file, [{ field: e.field, message: e.reason, ...(e.fix ? { fix: e.fix } : {}) }])
    }
    if (args.flags.has('json')) {
      const { steps, dnsmasqConf, nftRuleset, sysctls } = plan
      io.out(JSON.stringify({ steps, dnsmasqConf, nftRuleset, sysctls }, null, 2))
    } else {
      io.out(formatPlanText(plan, paths))
    }
    return EXIT.ok
  }
}
