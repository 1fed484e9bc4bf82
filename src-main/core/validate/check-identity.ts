/** Name, UUID, title, description, bridge, MAC and MTU of a network. */
import type { NetworkDef } from '../model/network'
import type { Problems } from './problems'
import { firstControlChar, ifnameProblem, macProblem, networkNameProblem, uuidProblem } from './syntax'

const NAME_FIX = "use a name without '/' or control characters, short enough for a file name, e.g. 'lab-net'"
const IFNAME_FIX = "use at most 15 letters, digits, '_', '.' and '-', e.g. 'virbr1'"

export const MIN_MTU = 68
export const MAX_MTU = 65535
/** The kernel's bridge forward delay limit in seconds (BR_MAX_FORWARD_DELAY). */
const MAX_BRIDGE_DELAY = 30

export function checkIdentity(def: NetworkDef, p: Problems): void {
  const nameProblem = networkNameProblem(def.name)
  if (nameProblem) p.add('name', nameProblem, NAME_FIX)

  if (def.uuid !== undefined) {
    const problem = uuidProblem(def.uuid)
    if (problem)
      p.add(
        'uuid',
        problem,
        'write 32 hex digits as 8-4-4-4-12, e.g. 3e3fce45-4f53-4fa7-bb32-11f34168b82b, or remove <uuid> to get a new one'
      )
  }

  if (def.title !== undefined) {
    const bad = firstControlChar(def.title)
    if (bad)
      p.add(
        'title',
        `${bad} is not allowed in the title: it is a single line of text`,
        'remove line breaks and control characters; put longer text in <description>'
      )
  }
  if (def.description !== undefined) {
    const bad = firstControlChar(def.description, '\t\n\r')
    if (bad)
      p.add(
        'description',
        `${bad} is not allowed in the description`,
        'remove control characters (line breaks and tabs are fine)'
      )
  }

  if (def.bridge?.name !== undefined) {
    const name = def.bridge.name
    if (name.includes('%')) {
      p.add(
        'bridge.name',
        `'${name}' is a name template; guestnet stores the actual bridge name`,
        "write a name such as 'virbr1', or remove name= to have a free virbrN picked"
      )
    } else {
      const problem = ifnameProblem(name)
      if (problem) p.add('bridge.name', problem, `${IFNAME_FIX}, or remove name= to have a free virbrN picked`)
    }
  }
  if (def.bridge?.delay !== undefined && (def.bridge.delay < 0 || def.bridge.delay > MAX_BRIDGE_DELAY)) {
    p.add(
      'bridge.delay',
      `forward delay ${def.bridge.delay} is out of range`,
      `use 0 to ${MAX_BRIDGE_DELAY} seconds (0 is usual for a guest network)`
    )
  }

  if (def.mac !== undefined) {
    const problem = macProblem(def.mac)
    if (problem)
      p.add(
        'mac.address',
        problem,
        "use a unicast, locally administered address such as '52:54:00:12:34:56', or remove <mac> to get one"
      )
  }

  if (def.mtu !== undefined && (def.mtu < MIN_MTU || def.mtu > MAX_MTU)) {
    p.add('mtu.size', `MTU ${def.mtu} is out of range`, `use ${MIN_MTU} to ${MAX_MTU} (1500 is usual), or remove <mtu>`)
  }
}
