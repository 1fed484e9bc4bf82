import { NetworkStore } from '../../store/network-store'
import { offlineRoot } from '../offline-root'
import type { Verb } from '../verb'
import { EXIT } from '../verb'
import { oneName } from './net-call'

export const verb: Verb = {
  usage: 'net-dumpxml NAME',
  summary: "print a network's stored XML, like virsh net-dumpxml",
  async run(args, io) {
    const name = oneName(args, 'net-dumpxml')
    const root = offlineRoot(args)
    const store = new NetworkStore(root === undefined ? {} : { root })
    const entry = await store.get(name)
    if (!entry) {
      io.err(`guestnet net-dumpxml: no network named '${name}'; 'guestnet net-list --all' shows the defined networks`)
      return EXIT.failed
    }
    if (entry.state !== 'ok') {
      io.err(`guestnet net-dumpxml: network ${name}'s file ${entry.file} is broken: ${entry.reason}`)
      return EXIT.failed
    }
    io.document(entry.xml)
    return EXIT.ok
  }
}
