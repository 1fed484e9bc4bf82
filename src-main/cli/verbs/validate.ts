import { readFile } from 'node:fs/promises'

import type { HostFacts } from '../../core/model/host-facts'
import { formatFileProblem } from '../../core/model/problem'
import { lineOfField } from '../../core/validate/field-line'
import { validateNetwork } from '../../core/validate/validate-network'
import { parseNetworkXml } from '../../core/xml/parse-network-xml'
import { UsageError } from '../args'
import { HostFactsError, loadHostFacts } from '../load-host-facts'
import type { Verb } from '../verb'
import { EXIT } from '../verb'

export const verb: Verb = {
  usage: 'validate FILE [--host-facts FILE | --host]',
  summary:
    'check a network XML file; with host facts (recorded, or --host for live) also for clashes with host networks',
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('validate takes exactly one FILE')
    const file = args.positionals[0]
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      io.err(`guestnet validate: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`)
      return EXIT.invalid
    }
    let hostFacts: HostFacts | undefined
    if (args.options.has('host-facts') || args.flags.has('host')) {
      try {
        hostFacts = await loadHostFacts(args)
      } catch (e) {
        if (!(e instanceof HostFactsError)) throw e
        io.err(`guestnet validate: ${e.message}`)
        return e.kind === 'input' ? EXIT.invalid : EXIT.environment
      }
    }
    const parsed = parseNetworkXml(text)
    const problems = parsed.ok
      ? validateNetwork(parsed.def, { hostFacts }).map((p) => ({
          ...p,
          line: p.line ?? lineOfField(parsed.doc, p.field)
        }))
      : parsed.problems
    if (problems.length === 0) {
      io.out(`${file}: valid`)
      return EXIT.ok
    }
    for (const p of problems) io.out(formatFileProblem(file, p))
    return EXIT.invalid
  }
}
