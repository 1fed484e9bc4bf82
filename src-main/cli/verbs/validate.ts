import type { Verb } from '../verb'
import { EXIT } from '../verb'

export const verb: Verb = {
  usage: 'validate',
  summary: 'not implemented yet',
  async run(_args, io) {
    io.err('guestnet validate: not implemented yet')
    return EXIT.failed
  }
}
