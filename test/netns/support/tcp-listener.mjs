// A TCP listener for namespace tests: `node tcp-listener.mjs PORT` listens on every address (IPv4 and
// IPv6), answers each connection with "hello <peer>\n" and reports on stdout, one JSON object a line:
// {"event":"listening","port":N} once, then {"event":"peer","address":"203.0.113.2"} per connection.
import { createServer } from 'node:net'

const port = Number(process.argv[2])
const plain = (address) => (address ?? '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1')
const server = createServer((socket) => {
  const address = plain(socket.remoteAddress)
  process.stdout.write(`${JSON.stringify({ event: 'peer', address })}\n`)
  socket.end(`hello ${address}\n`)
  socket.on('error', () => {})
})
server.listen({ port, host: '::', ipv6Only: false }, () => {
  process.stdout.write(`${JSON.stringify({ event: 'listening', port })}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
