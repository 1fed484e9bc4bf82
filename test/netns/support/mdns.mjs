// A minimal mDNS (RFC 6762) responder and one-shot resolver for namespace tests, standing in for
// Avahi on a guest or the host: only AAAA records of NAME.local, over IPv6 link-local multicast.
//   node mdns.mjs respond NAME IFNAME   answers AAAA queries for NAME.local with IFNAME's fe80 address;
//                                       prints {"event":"listening"} once ready
//   node mdns.mjs query NAME IFNAME [MS] asks ff02::fb%IFNAME (a legacy unicast query, RFC 6762 §6.7)
//                                       and prints {"address":"fe80:0:0:…"} (uncompressed) or
//                                       {"address":null} after MS
import { createSocket } from 'node:dgram'
import { networkInterfaces } from 'node:os'

const [mode, name, ifname, waitMs = '3000'] = process.argv.slice(2)
const fqdn = `${name}.local`.toLowerCase()
const GROUP = 'ff02::fb'

function encodeName(n) {
  const parts = n.split('.').map((l) => Buffer.concat([Buffer.from([Buffer.byteLength(l)]), Buffer.from(l)]))
  return Buffer.concat([...parts, Buffer.from([0])])
}

function readName(buf, off) {
  const labels = []
  for (let hops = 0; hops < 32; hops++) {
    const len = buf[off]
    if (len === undefined) return null
    if (len === 0) return { name: labels.join('.').toLowerCase(), next: off + 1 }
    if ((len & 0xc0) === 0xc0) {
      const target = ((len & 0x3f) << 8) | buf[off + 1]
      const rest = readName(buf, target)
      return rest && { name: [...labels, rest.name].filter(Boolean).join('.').toLowerCase(), next: off + 2 }
    }
    labels.push(buf.subarray(off + 1, off + 1 + len).toString())
    off += 1 + len
  }
  return null
}

function linkLocal() {
  const a = (networkInterfaces()[ifname] ?? []).find((x) => x.family === 'IPv6' && x.address.startsWith('fe80'))
  return a?.address
}

function addressBytes(text) {
  const [head, tail = ''] = text.split('::')
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 255]))
}

function bytesAddress(b) {
  const groups = []
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16))
  return groups.join(':')
}

if (mode === 'respond') {
  const sock = createSocket({ type: 'udp6', reuseAddr: true })
  sock.on('message', (msg, rinfo) => {
    if (msg.length < 12 || (msg[2] & 0x80) !== 0) return
    const q = readName(msg, 12)
    if (!q || q.name !== fqdn) return
    const type = msg.readUInt16BE(q.next)
    if (type !== 28 && type !== 255) return
    const address = linkLocal()
    if (!address) return
    const id = rinfo.port === 5353 ? 0 : msg.readUInt16BE(0)
    const question = msg.subarray(12, q.next + 4)
    const header = Buffer.from([id >> 8, id & 255, 0x84, 0, 0, rinfo.port === 5353 ? 0 : 1, 0, 1, 0, 0, 0, 0])
    const rr = Buffer.concat([
      encodeName(fqdn),
      Buffer.from([0, 28, 0x80, 1, 0, 0, 0, 120, 0, 16]),
      addressBytes(address.split('%')[0])
    ])
    const reply = Buffer.concat([header, rinfo.port === 5353 ? Buffer.alloc(0) : question, rr])
    const to = rinfo.port === 5353 ? `${GROUP}%${ifname}` : rinfo.address
    sock.send(reply, rinfo.port === 5353 ? 5353 : rinfo.port, to)
  })
  sock.bind(5353, '::', () => {
    sock.addMembership(GROUP, `::%${ifname}`)
    process.stdout.write(`${JSON.stringify({ event: 'listening' })}\n`)
  })
  process.on('SIGTERM', () => sock.close(() => process.exit(0)))
} else if (mode === 'query') {
  const sock = createSocket({ type: 'udp6' })
  const id = Math.floor(Math.random() * 65535)
  const query = Buffer.concat([
    Buffer.from([id >> 8, id & 255, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
    encodeName(fqdn),
    Buffer.from([0, 28, 0, 1])
  ])
  const done = (address) => {
    process.stdout.write(`${JSON.stringify({ address })}\n`)
    sock.close()
  }
  const timer = setTimeout(() => done(null), Number(waitMs))
  sock.on('message', (msg) => {
    if (msg.length < 12 || msg.readUInt16BE(0) !== id) return
    let off = 12
    const qd = msg.readUInt16BE(4)
    for (let i = 0; i < qd; i++) off = (readName(msg, off)?.next ?? msg.length) + 4
    const an = readName(msg, off)
    if (!an || an.name !== fqdn || msg.readUInt16BE(an.next) !== 28) return
    clearTimeout(timer)
    done(bytesAddress(msg.subarray(an.next + 10, an.next + 26)))
  })
  sock.bind(0, '::', () => {
    sock.setMulticastInterface(`::%${ifname}`)
    sock.send(query, 5353, `${GROUP}%${ifname}`)
  })
} else {
  process.stderr.write('usage: mdns.mjs respond|query NAME IFNAME [MS]\n')
  process.exit(2)
}
