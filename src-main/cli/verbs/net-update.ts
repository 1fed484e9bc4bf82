/**
 * `guestnet net-update NAME COMMAND SECTION XML [--live] [--config]`, as virsh net-update: XML is the
 * element itself (`<host mac='…' ip='…' name='…'/>`) or, when it does not start with '<', a file
 * holding it. The helper does the rest (verbs/update.ts).
 */
import { readFile } from 'node:fs/promises'

import type { HelperValue } from '../../contract/helper-protocol'
import type { UpdateCommand, UpdateSection } from '../../core/model/net-update'
import { UPDATE_COMMANDS, UPDATE_SECTIONS } from '../../core/model/net-update'
import type { CliArgs } from '../args'
import { UsageError } from '../args'
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { runOnline } from './net-call'

export interface NetUpdateArgs {
  name: string
  command: UpdateCommand
  section: UpdateSection
  /** The element's text, or the file it is in. */
  xmlOrFile: string
  live?: boolean
  config?: boolean
  parentIndex?: number
}

function isOneOf<T extends string>(list: readonly T[], v: string): v is T {
  return (list as readonly string[]).includes(v)
}

/** Pure: the positionals and flags checked, each refusal naming what to give. */
export function parseNetUpdateArgs(args: CliArgs): NetUpdateArgs {
  const [name, command, section, xmlOrFile, ...extra] = args.positionals
  if (xmlOrFile === undefined || extra.length > 0)
    throw new UsageError(
      "net-update takes NAME COMMAND SECTION XML, e.g. net-update default add ip-dhcp-host \"<host mac='52:54:00:12:34:56' ip='192.168.122.10' name='vm1'/>\""
    )
  if (!isOneOf(UPDATE_COMMANDS, command))
    throw new UsageError(`net-update: unknown command '${command}': use ${UPDATE_COMMANDS.join(', ')}`)
  if (!isOneOf(UPDATE_SECTIONS, section))
    throw new UsageError(`net-update: guestnet cannot update section '${section}': use ${UPDATE_SECTIONS.join(', ')}`)
  const out: NetUpdateArgs = { name, command, section, xmlOrFile }
  if (args.flags.has('live')) out.live = true
  if (args.flags.has('config')) out.config = true
  const index = args.options.get('parent-index')
  if (index !== undefined) {
    if (!/^[0-9]{1,3}$/.test(index)) throw new UsageError(`net-update: --parent-index takes a number, not '${index}'`)
    out.parentIndex = Number(index)
  }
  return out
}

export function formatUpdate(v: HelperValue<'update'>): string {
  return v.message.charAt(0).toUpperCase() + v.message.slice(1)
}

export const verb: Verb = {
  usage:
    'net-update NAME add|add-first|add-last|delete|modify ip-dhcp-host|ip-dhcp-range|dns-host XML [--live] [--config] [--parent-index N] [--json]',
  summary:
    'change one DHCP reservation, range or DNS host, like virsh net-update: a running network live (dnsmasq re-reads it, no restart) and in its file',
  async run(args, io) {
    const a = parseNetUpdateArgs(args)
    let xml = a.xmlOrFile
    if (!xml.trimStart().startsWith('<')) {
      try {
        xml = await readFile(a.xmlOrFile, 'utf8')
      } catch (e) {
        io.err(
          `guestnet net-update: '${a.xmlOrFile}' is neither an XML element nor a readable file: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`
        )
        return EXIT.invalid
      }
    }
    const r = await runOnline('net-update', 'update', args, io, {
      name: a.name,
      command: a.command,
      section: a.section,
      xml,
      ...(a.live ? { live: true } : {}),
      ...(a.config ? { config: true } : {}),
      ...(a.parentIndex !== undefined ? { parentIndex: a.parentIndex } : {})
    })
    if (!r.ok) return r.exit
    io.out(args.flags.has('json') ? JSON.stringify(r.value, null, 2) : formatUpdate(r.value))
    return EXIT.ok
  }
}
