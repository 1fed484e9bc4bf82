// `node dhcp-request.mjs MAC CIADDR [TIMEOUT_MS]`, run inside a guest namespace: sends one
// DHCPREQUEST the way a client renewing CIADDR in the REBINDING state does (broadcast, ciaddr set,
// no server identifier), then prints the first answer for it as one JSON line:
// {"answer":"nak"|"ack"|"other","type":N,"yiaddr":"…","serverId":"…","message":"…"} | {"answer":"none"}
import { createSocket } from 'node:dgram'
import { randomBytes } from 'node:crypto'

const [mac, ciaddr, timeoutText] = process.argv.slice(2)
const hw = Buffer.from(mac.split(':').map((h) => parseInt(h, 16)))
const ip4 = (text) => Buffer.from(text.split('.').map(Number))
const xid = randomBytes(4)

const packet = Buffer.alloc(240)
packet[0] = 1 // BOOTREQUEST
packet[1] = 1 // Ethernet
packet[2] = 6
xid.copy(packet, 4)
ip4(ciaddr).copy(packet, 12)
hw.copy(packet, 28)
Buffer.from([99, 130, 83, 99]).copy(packet, 236)
const options = Buffer.from([53, 1, 3, 61, 7, 1, ...hw, 255])
const request = Buffer.concat([packet, options])

const done = (value) => {
  process.stdout.write(`${JSON.stringify(value)}\n`)
  process.exit(0)
}

function parseOptions(buf) {
  const out = new Map()
  let i = 240
  while (i < buf.length) {
    const code = buf[i]
    if (code === 255) break
    if (code === 0) {
      i++
      continue
    }
    const len = buf[i + 1]
    out.set(code, buf.subarray(i + 2, i + 2 + len))
    i += 2 + len
  }
  return out
}

const socket = createSocket({ type: 'udp4', reuseAddr: true })
socket.on('message', (msg) => {
  if (msg.length < 240 || msg[0] !== 2 || !msg.subarray(4, 8).equals(xid)) return
  const opts = parseOptions(msg)
  const type = opts.get(53)?.[0] ?? 0
  const sid = opts.get(54)
  done({
    answer: type === 6 ? 'nak' : type === 5 ? 'ack' : 'other',
    type,
    yiaddr: [...msg.subarray(16, 20)].join('.'),
    serverId: sid ? [...sid].join('.') : null,
    message: opts.get(56)?.toString('latin1') ?? null
  })
})
socket.bind(68, () => {
  socket.setBroadcast(true)
  socket.send(request, 67, '255.255.255.255')
  setTimeout(() => done({ answer: 'none' }), Number(timeoutText || 3000))
})
