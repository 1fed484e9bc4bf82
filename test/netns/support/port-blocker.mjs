// `node port-blocker.mjs PORT` holds TCP and UDP PORT on every address (IPv4 and IPv6) and prints
// "ready" once both are bound: another program that wants the port (dnsmasq on 53) cannot bind it.
import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'

const port = Number(process.argv[2])
let bound = 0
const ready = () => {
  if (++bound === 2) process.stdout.write('ready\n')
}
createServer(() => {}).listen({ port, host: '::', ipv6Only: false }, ready)
const udp = createSocket({ type: 'udp6', ipv6Only: false })
udp.bind(port, '::', ready)
process.on('SIGTERM', () => process.exit(0))
