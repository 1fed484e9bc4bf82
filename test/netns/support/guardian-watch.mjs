// Follows the guardian of guestnet's warm service, run inside a test namespace: waits for the hello,
// sends a watching client line with this pid, and prints every frame as it arrives.
import net from 'node:net'

const [socketPath] = process.argv.slice(2)
const sock = net.createConnection(socketPath)
let sent = false
sock.setEncoding('utf8')
sock.on('data', (d) => {
  if (!sent) {
    sent = true
    sock.write(`${JSON.stringify({ type: 'client', pid: process.pid, watch: true })}\n`)
  }
  process.stdout.write(d)
})
sock.on('error', (e) => process.stderr.write(`${e.message}\n`))
sock.on('close', () => process.exit(0))
