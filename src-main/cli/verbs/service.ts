/**
 * `guestnet service [--idle-timeout SECONDS]`: run the warm helper service in the foreground (what
 * guestnet-helper.socket starts on an installed system), for a checkout or a machine without the
 * package. It is the helper itself (`helper.js --serve`), started with the same argv and no shell;
 * Ctrl-C stops it (a request in progress is rolled back).
 */
import { spawn } from 'node:child_process'

import { helperScriptPath } from '../../helper-client/cli-transport'
import { UsageError } from '../args'
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { elevatedCommands } from './net-call'

export const verb: Verb = {
  usage: 'service [--idle-timeout SECONDS]',
  summary: 'run the warm helper service in the foreground (root): later commands skip the helper start-up',
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError('service takes no arguments')
    if (args.options.has('netns'))
      throw new UsageError('service runs where it is started: use ip netns exec NS guestnet service')
    if ((process.getuid?.() ?? 0) !== 0) {
      const [sudo] = elevatedCommands()
      io.err(`guestnet service: the helper service runs as root. Run instead:\n  ${sudo}`)
      return EXIT.environment
    }
    const root = args.options.get('root')
    const idle = args.options.get('idle-timeout')
    const argv = [
      helperScriptPath(),
      '--serve',
      ...(root !== undefined ? ['--root', root] : []),
      ...(idle !== undefined ? ['--idle-timeout', idle] : [])
    ]
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'inherit', 'inherit'] })
    // The terminal's Ctrl-C reaches the service too (same process group); this process only waits.
    const ignore = (): void => undefined
    process.on('SIGINT', ignore)
    process.on('SIGTERM', (sig) => child.kill(sig))
    const code = await new Promise<number>((resolve) => {
      child.once('error', (e) => {
        io.err(`guestnet service: ${e.message}`)
        resolve(EXIT.environment)
      })
      child.once('exit', (c) => resolve(c ?? EXIT.failed))
    })
    process.off('SIGINT', ignore)
    return code
  }
}
