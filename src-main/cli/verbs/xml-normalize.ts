import type { Verb } from '../verb'
import { EXIT } from '../verb'

export const verb: Verb = {
  usage: 'xml-normalize',
  summary: 'not implemented yet',
  async run(_args, io) {
    io.err('guestnet xml-normalize: not implemented yet')
    return EXIT.failed
  }
}
