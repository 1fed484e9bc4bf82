import type { Verb } from '../verb'
import { EXIT } from '../verb'

export const verb: Verb = {
  usage: 'suggest-range',
  summary: 'not implemented yet',
  async run(_args, io) {
    io.err('guestnet suggest-range: not implemented yet')
    return EXIT.failed
  }
}
