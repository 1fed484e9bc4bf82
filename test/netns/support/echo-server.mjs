// `node echo-server.mjs tcp|udp PORT` answers every line (TCP, connection kept open) or datagram
// (UDP) with "PEER LINE", the peer's address as the server sees it; prints "ready" once bound.
import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'

const [proto, portText] = process.argv.slice(2)
const port = Number(portText)
const plain = (address) => (address ?? '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1')
if (proto === 'udp') {
  const udp = createSocket({ type: 'udp6', ipv6Only: false })
  udp.on('message', (msg, rinfo) =>
    udp.send(`${plain(rinfo.address)} ${msg.toString().trim()}`, rinfo.port, rinfo.address)
  )
  udp.bind(port, '::', () => process.stdout.write('ready\n'))
} else {
  createServer((socket) => {
    socket.setEncoding('utf8')
    let buffer = ''
    socket.on('data', (chunk) => {
      buffer += chunk
      let nl
      while ((nl = buffer.indexOf('\n')) >= 0) {
        socket.write(`${plain(socket.remoteAddress)} ${buffer.slice(0, nl)}\n`)
        buffer = buffer.slice(nl + 1)
      }
    })
    socket.on('error', () => {})
  }).listen({ port, host: '::', ipv6Only: false }, () => process.stdout.write('ready\n'))
}
process.on('SIGTERM', () => process.exit(0))
