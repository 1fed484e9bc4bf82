import type { Verb } from '../verb'
import { EXIT } from '../verb'

export const verb: Verb = {
  usage: 'plan',
  summary: 'not implemented yet',
  async run(_args, io) {
    io.err('guestnet plan: not implemented yet')
    return EXIT.failed
  }
}
