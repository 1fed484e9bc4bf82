import { readFile } from 'node:fs/promises'

import { formatFileProblem } from '../../core/model/problem'
import { normalizeNetworkXml } from '../../core/xml/format-network-xml'
import { UsageError } from '../args'
import type { Verb } from '../verb'
import { EXIT } from '../verb'

async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8')
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks).toString('utf8')
}

export const verb: Verb = {
  usage: 'xml-normalize FILE',
  summary: "print a network XML file in libvirt's canonical form, keeping its comments (FILE '-' reads stdin)",
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('xml-normalize takes exactly one FILE (or - for stdin)')
    const file = args.positionals[0]
    let text: string
    try {
      text = await readInput(file)
    } catch (e) {
      io.err(`guestnet xml-normalize: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`)
      return EXIT.invalid
    }
    const result = normalizeNetworkXml(text)
    if (!result.ok) {
      for (const p of result.problems) io.err(formatFileProblem(file === '-' ? '<stdin>' : file, p))
      return EXIT.invalid
    }
    io.document(result.xml)
    return EXIT.ok
  }
}
