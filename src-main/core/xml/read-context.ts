/**
 * Shared plumbing for reading our XML tree into a `NetworkDef`: collects Problems (field path,
 * message, fix, source line), reports unsupported elements/attributes, and reads typed values.
 */
import type { Problem } from '../model/problem'
import type { XmlElement } from './xml-tree'
import { attr, childElements } from './xml-tree'

/** Why guestnet leaves out a libvirt element; used in the fix text of an "unsupported" problem. */
const WHY_UNSUPPORTED: Record<string, string> = {
  bandwidth: 'guestnet does not shape traffic (QoS)',
  portgroup: 'guestnet has no port groups',
  virtualport: 'guestnet does not manage Open vSwitch or 802.1Qbg/Qbh ports',
  vlan: 'guestnet does not tag VLANs',
  // Raw options reach dnsmasq, which starts as root: dhcp-script= alone would let anyone who may
  // define a network run a program as root.
  'dnsmasq:options':
    'guestnet does not pass raw dnsmasq options: one such as dhcp-script would let any network definition run programs as root. ' +
    "For network boot use <ip><tftp root='/srv/tftp'/> and <dhcp><bootp file='pxelinux.0'/>; for DNS records, <dns> <host>, <srv> and <txt>",
  pf: 'it belongs to hostdev/passthrough forwarding, which guestnet does not manage',
  address: 'it belongs to hostdev/passthrough forwarding, which guestnet does not manage',
  driver: 'it belongs to hostdev forwarding, which guestnet does not manage'
}

export function joinPath(path: string, name: string): string {
  return path ? `${path}.${name}` : name
}

/** At most this many problems are kept; the rest are only counted (hostile input stays cheap). */
export const MAX_PROBLEMS = 100

export class ReadContext {
  readonly problems: Problem[] = []
  /** Problems past MAX_PROBLEMS, counted but not kept. */
  dropped = 0

  problem(field: string, message: string, fix: string | undefined, line: number): void {
    if (this.problems.length >= MAX_PROBLEMS) {
      this.dropped++
      return
    }
    this.problems.push(fix === undefined ? { field, message, line } : { field, message, fix, line })
  }

  unsupportedElement(field: string, el: XmlElement, what = `<${el.name}>`): void {
    const why = WHY_UNSUPPORTED[el.name] ?? 'guestnet does not support this libvirt element'
    this.problem(field, `unsupported: ${what}`, `remove ${what} (${why})`, el.line)
  }

  /**
   * Reports attributes of `el` that are not in `known`. `ignored` ones are read-only status
   * attributes libvirt itself ignores on input (e.g. `connections`).
   */
  checkAttrs(el: XmlElement, path: string, known: readonly string[], ignored: readonly string[] = []): void {
    for (const a of el.attrs) {
      if (known.includes(a.name) || ignored.includes(a.name)) continue
      this.problem(
        joinPath(path, a.name),
        `unsupported: <${el.name} ${a.name}>`,
        `remove ${a.name}= from <${el.name}>: guestnet does not support it`,
        el.line
      )
    }
  }

  /** Child elements of `el` by name; names not in `known` are reported as unsupported. */
  children(el: XmlElement, path: string, known: readonly string[]): Map<string, XmlElement[]> {
    const groups = new Map<string, XmlElement[]>()
    for (const child of childElements(el)) {
      if (!known.includes(child.name)) {
        this.unsupportedElement(joinPath(path, child.name), child)
        continue
      }
      const list = groups.get(child.name) ?? []
      list.push(child)
      groups.set(child.name, list)
    }
    return groups
  }

  /** The one `<name>` child; a second one is a problem (the model holds only one). */
  single(groups: Map<string, XmlElement[]>, name: string, path: string): XmlElement | undefined {
    const list = groups.get(name) ?? []
    if (list.length > 1) {
      this.problem(joinPath(path, name), `more than one <${name}>`, `keep a single <${name}> element`, list[1].line)
    }
    return list[0]
  }

  required(el: XmlElement, name: string, path: string, example: string): string | undefined {
    const value = attr(el, name)
    if (value === undefined) {
      this.problem(joinPath(path, name), `<${el.name}> needs a ${name}= attribute`, `add ${name}='${example}'`, el.line)
    }
    return value
  }

  yesNo(el: XmlElement, name: string, path: string): boolean | undefined {
    return this.choice(el, name, path, { yes: true, no: false })
  }

  onOff(el: XmlElement, name: string, path: string): boolean | undefined {
    return this.choice(el, name, path, { on: true, off: false })
  }

  choice<T>(el: XmlElement, name: string, path: string, values: Record<string, T>): T | undefined {
    const value = attr(el, name)
    if (value === undefined) return undefined
    if (Object.hasOwn(values, value)) return values[value]
    const options = Object.keys(values)
    const list = options.map((o) => `'${o}'`).join(options.length > 2 ? ', ' : ' or ')
    this.problem(joinPath(path, name), `'${value}' is not a valid ${name}`, `use ${list}`, el.line)
    return undefined
  }

  /** A non-negative whole number in decimal. */
  uint(el: XmlElement, name: string, path: string, example: string): number | undefined {
    const value = attr(el, name)
    if (value === undefined) return undefined
    if (/^[0-9]{1,15}$/.test(value)) return Number(value)
    this.problem(
      joinPath(path, name),
      `'${value}' is not a whole number`,
      `write digits only, e.g. ${name}='${example}'`,
      el.line
    )
    return undefined
  }

  /** Elements that only carry text: no attributes, no child elements. */
  textElement(el: XmlElement, path: string): void {
    this.checkAttrs(el, path, [])
    this.children(el, path, [])
  }
}

/** The `values` of a choice attribute that are their own meaning (`ctx.choice(el, 'proto', path, asChoice(PROTOS))`). */
export function asChoice<T extends string>(values: readonly T[]): Record<T, T> {
  return Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>
}
